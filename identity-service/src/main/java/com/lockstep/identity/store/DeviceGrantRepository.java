package com.lockstep.identity.store;

import com.lockstep.identity.domain.DeviceGrant;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/** The devices each user identity was granted access to. Callers hold the identity's row lock. */
@ApplicationScoped
public class DeviceGrantRepository implements PanacheRepositoryBase<DeviceGrant, DeviceGrant.Key> {

    /** Returns false when the identity had access already. */
    public boolean grant(UUID workspaceId, UUID userIdentityId, UUID deviceId, Instant at) {
        if (findById(new DeviceGrant.Key(userIdentityId, deviceId)) != null) {
            return false;
        }
        persist(new DeviceGrant(userIdentityId, deviceId, workspaceId, at));
        return true;
    }

    /** Returns false when the identity had no access. */
    public boolean revoke(UUID userIdentityId, UUID deviceId) {
        return deleteById(new DeviceGrant.Key(userIdentityId, deviceId));
    }

    /** A deleted identity's grants go with it: one statement. */
    public void deleteOf(UUID userIdentityId) {
        delete("userIdentityId", userIdentityId);
    }
}
