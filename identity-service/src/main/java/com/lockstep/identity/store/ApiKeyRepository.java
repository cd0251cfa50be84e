package com.lockstep.identity.store;

import com.lockstep.identity.domain.ApiKey;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.Optional;
import java.util.UUID;

/** Workspaces' API keys (their hashes) in identity-service's database. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    /** Locks the key's row, so its state events are written in the order they happen. */
    public Optional<ApiKey> lock(UUID apiKeyId) {
        return findByIdOptional(apiKeyId, LockModeType.PESSIMISTIC_WRITE);
    }
}
