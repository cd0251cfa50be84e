package com.lockstep.identity.events.outgoing;

import com.lockstep.identity.domain.ApiKey;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import com.lockstep.state.api_key.ApiKeyState;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Publishes the key-to-workspace map on the compacted {@value Topics#API_KEY_STATE} topic,
 * keyed by the key's hash: a record when a key is created, a tombstone when it is revoked.
 * Every service's auth filter materialises this topic.
 */
@ApplicationScoped
public class ApiKeyStateEvents {

    public static final String CREATED = "api_key.created";
    public static final String REVOKED = "api_key.revoked";

    private final Outbox outbox;

    public ApiKeyStateEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void created(Connection tx, ApiKey key) throws SQLException {
        ApiKeyState state = ApiKeyState.newBuilder()
                .setApiKeyId(key.apiKeyId().toString())
                .setWorkspaceId(key.workspaceId().toString())
                .setCreatedAt(key.createdAt())
                .build();
        outbox.appendState(tx, Topics.API_KEY_STATE, key.keyHash(), CREATED, state);
    }

    public void revoked(Connection tx, ApiKey key) throws SQLException {
        outbox.appendTombstone(tx, Topics.API_KEY_STATE, key.keyHash(), REVOKED);
    }
}
