package com.lockstep.identity.store;

import com.lockstep.identity.domain.InstantKey;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Instant keys issued for user identities. */
@ApplicationScoped
public class InstantKeyRepository implements PanacheRepositoryBase<InstantKey, UUID> {

    /** A deleted identity's instant keys go with it: one statement. */
    public void deleteOf(UUID userIdentityId) {
        delete("userIdentityId", userIdentityId);
    }
}
