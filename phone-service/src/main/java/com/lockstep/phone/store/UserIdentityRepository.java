package com.lockstep.phone.store;

import com.lockstep.phone.domain.UserIdentity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/** The user identity projection. */
@ApplicationScoped
public class UserIdentityRepository implements PanacheRepositoryBase<UserIdentity, UUID> {

    public void created(UUID userIdentityId, UUID workspaceId) {
        if (findById(userIdentityId) == null) {
            persist(new UserIdentity(userIdentityId, workspaceId));
        }
    }

    public void markDeleted(UUID userIdentityId, Instant at) {
        findByIdOptional(userIdentityId).ifPresent(identity -> identity.markDeleted(at));
    }

    /** Whether the identity exists in the workspace and is not deleted. */
    public boolean exists(UUID workspaceId, UUID userIdentityId) {
        return findByIdOptional(userIdentityId).filter(identity -> identity.liveIn(workspaceId)).isPresent();
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
