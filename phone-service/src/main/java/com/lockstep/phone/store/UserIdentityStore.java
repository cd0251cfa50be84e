package com.lockstep.phone.store;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** User identities, a projection of identity-service's events. */
@ApplicationScoped
public class UserIdentityStore {

    public void created(Connection tx, UUID userIdentityId, UUID workspaceId) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO user_identity (user_identity_id, workspace_id) "
                + "VALUES (?, ?) ON CONFLICT (user_identity_id) DO NOTHING")) {
            insert.setObject(1, userIdentityId);
            insert.setObject(2, workspaceId);
            insert.executeUpdate();
        }
    }

    public void markDeleted(Connection tx, UUID userIdentityId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE user_identity SET deleted_at = ? WHERE user_identity_id = ? AND deleted_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, userIdentityId);
            update.executeUpdate();
        }
    }

    /** Whether the identity exists in the workspace and is not deleted. */
    public boolean exists(Connection connection, UUID workspaceId, UUID userIdentityId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM user_identity "
                + "WHERE workspace_id = ? AND user_identity_id = ? AND deleted_at IS NULL")) {
            select.setObject(1, workspaceId);
            select.setObject(2, userIdentityId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear(Connection tx) throws SQLException {
        try (var delete = tx.createStatement()) {
            delete.executeUpdate("DELETE FROM user_identity");
        }
    }
}
