package com.lockstep.credential.store;

import com.lockstep.credential.domain.AcsUser.IdentityContact;
import com.lockstep.credential.domain.UserIdentity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** User identities, a projection of identity-service's events. */
@ApplicationScoped
public class UserIdentityRepository implements PanacheRepositoryBase<UserIdentity, UUID> {

    /** {@code deletionPending}: identity-service announced its deletion and has not finished or withdrawn it. */
    public void changed(UUID userIdentityId, UUID workspaceId, IdentityContact contact, boolean deletionPending) {
        UserIdentity identity = findById(userIdentityId);
        if (identity == null) {
            persist(new UserIdentity(userIdentityId, workspaceId, contact, deletionPending));
        } else {
            identity.changed(contact, deletionPending);
        }
    }

    /** True unless the identity is deleted or its deletion is under way; an identity not known (yet) accepts them. */
    public boolean acceptsCredentials(UUID userIdentityId) {
        return findByIdOptional(userIdentityId).map(UserIdentity::acceptsCredentials).orElse(true);
    }

    public void markDeleted(UUID userIdentityId, Instant at) {
        findByIdOptional(userIdentityId).ifPresent(identity -> identity.markDeleted(at));
    }

    /** The contact of a user identity of the workspace that is not deleted; empty if there is none. */
    public Optional<IdentityContact> find(UUID workspaceId, UUID userIdentityId) {
        return findByIdOptional(userIdentityId).filter(identity -> identity.liveIn(workspaceId)).map(UserIdentity::contact);
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
