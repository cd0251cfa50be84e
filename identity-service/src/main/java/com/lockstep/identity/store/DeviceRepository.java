package com.lockstep.identity.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.Device;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The projection of device state: each device's full Seam object, from device-gateway's compacted topic. */
@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<Device, UUID> {

    public void changed(UUID deviceId, UUID workspaceId, ObjectNode state) {
        Device device = findById(deviceId);
        if (device == null) {
            persist(new Device(deviceId, workspaceId, state));
        } else {
            device.changedTo(workspaceId, state);
        }
    }

    public void removed(UUID deviceId) {
        deleteById(deviceId);
    }

    public boolean exists(UUID workspaceId, UUID deviceId) {
        return count("deviceId = ?1 and workspaceId = ?2", deviceId, workspaceId) > 0;
    }

    /** The devices the identity was granted and that exist, in the order they were granted. */
    public List<ObjectNode> grantedTo(UUID userIdentityId) {
        return getEntityManager().createQuery("select d.device from DeviceGrant g"
                        + " join Device d on d.deviceId = g.deviceId and d.workspaceId = g.workspaceId"
                        + " where g.userIdentityId = :identity order by g.grantedAt, g.deviceId", ObjectNode.class)
                .setParameter("identity", userIdentityId)
                .getResultList();
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
