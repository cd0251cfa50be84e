package com.lockstep.credential.store;

import com.lockstep.credential.domain.AcsUser.IdentityContact;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** User identities, a projection of identity-service's events. */
@ApplicationScoped
public class UserIdentityStore {

    /** {@code deletionPending}: identity-service announced its deletion and has not finished or withdrawn it. */
    public void upsert(Connection tx, UUID userIdentityId, UUID workspaceId, IdentityContact contact, boolean deletionPending)
            throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO user_identity (user_identity_id, workspace_id, "
                + "email_address, phone_number, full_name, deletion_pending) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_identity_id) DO UPDATE "
                + "SET email_address = EXCLUDED.email_address, phone_number = EXCLUDED.phone_number, full_name = EXCLUDED.full_name, "
                + "deletion_pending = EXCLUDED.deletion_pending")) {
            upsert.setObject(1, userIdentityId);
            upsert.setObject(2, workspaceId);
            upsert.setString(3, contact.emailAddress());
            upsert.setString(4, contact.phoneNumber());
            upsert.setString(5, contact.fullName());
            upsert.setBoolean(6, deletionPending);
            upsert.executeUpdate();
        }
    }

    /** True unless the identity is deleted or its deletion is under way: then it may not get a credential. */
    public boolean acceptsCredentials(Connection connection, UUID userIdentityId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT deleted_at IS NULL AND NOT deletion_pending FROM user_identity WHERE user_identity_id = ?")) {
            select.setObject(1, userIdentityId);
            try (ResultSet row = select.executeQuery()) {
                return !row.next() || row.getBoolean(1);
            }
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

    /** The contact of a user identity of the workspace that is not deleted; empty if there is none. */
    public Optional<IdentityContact> find(Connection connection, UUID workspaceId, UUID userIdentityId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT email_address, phone_number, full_name "
                + "FROM user_identity WHERE workspace_id = ? AND user_identity_id = ? AND deleted_at IS NULL")) {
            select.setObject(1, workspaceId);
            select.setObject(2, userIdentityId);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new IdentityContact(row.getString(1), row.getString(2), row.getString(3)))
                        : Optional.empty();
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
