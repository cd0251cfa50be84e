package com.lockstep.identity.store;

import com.lockstep.identity.domain.InstantKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

/** Instant keys issued for user identities. */
@ApplicationScoped
public class InstantKeyStore {

    public void insert(Connection tx, InstantKey key) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO instant_key (instant_key_id, workspace_id, "
                + "user_identity_id, client_session_id, instant_key_url, max_use_count, "
                + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, key.instantKeyId());
            insert.setObject(2, key.workspaceId());
            insert.setObject(3, key.userIdentityId());
            insert.setObject(4, key.clientSessionId());
            insert.setString(5, key.instantKeyUrl());
            insert.setInt(6, key.maxUseCount());
            insert.setTimestamp(7, Timestamp.from(key.createdAt()));
            insert.setTimestamp(8, Timestamp.from(key.expiresAt()));
            insert.executeUpdate();
        }
    }

    public void deleteAll(Connection tx, UUID userIdentityId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM instant_key WHERE user_identity_id = ?")) {
            delete.setObject(1, userIdentityId);
            delete.executeUpdate();
        }
    }
}
