package com.lockstep.identity.store;

import com.lockstep.identity.domain.Phone;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The phone projection: what keeps an identity from deletion through its phones not deactivated. */
@ApplicationScoped
public class PhoneRepository implements PanacheRepositoryBase<Phone, UUID> {

    public void registered(UUID deviceId, UUID workspaceId, UUID userIdentityId) {
        if (findById(deviceId) == null) {
            persist(new Phone(deviceId, workspaceId, userIdentityId, false));
        }
    }

    public void deactivated(UUID deviceId, UUID workspaceId, UUID userIdentityId) {
        Phone phone = findById(deviceId);
        if (phone == null) {
            persist(new Phone(deviceId, workspaceId, userIdentityId, true));
        } else {
            phone.deactivate();
        }
    }

    public List<UUID> activeOf(UUID workspaceId, UUID userIdentityId) {
        return getEntityManager().createQuery("select p.deviceId from Phone p where p.workspaceId = :workspace"
                        + " and p.userIdentityId = :identity and not p.deactivated order by p.deviceId", UUID.class)
                .setParameter("workspace", workspaceId)
                .setParameter("identity", userIdentityId)
                .getResultList();
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
