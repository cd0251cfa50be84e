package com.lockstep.identity.store;

import com.lockstep.identity.domain.LinkedAcsUser;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which ACS user belongs to which user identity. A removed link keeps its row, so that an
 * acs_user.created replayed later does not link the ACS user again.
 */
@ApplicationScoped
public class AcsUserLinkStore {

    /** The link row of an ACS user, whether active or removed. */
    public record LinkRow(UUID acsUserId, UUID userIdentityId, UUID acsSystemId, boolean active) {
    }

    public Optional<LinkRow> find(Connection connection, UUID workspaceId, UUID acsUserId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT acs_user_id, user_identity_id, acs_system_id, "
                + "removed_at IS NULL AS active FROM acs_user_link WHERE workspace_id = ? AND acs_user_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, acsUserId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new LinkRow(row.getObject("acs_user_id", UUID.class),
                        row.getObject("user_identity_id", UUID.class), row.getObject("acs_system_id", UUID.class),
                        row.getBoolean("active"))) : Optional.empty();
            }
        }
    }

    /**
     * Links the ACS user to the identity, or links again a removed link (to any identity).
     * Returns false when the ACS user has an active link already; a second ACS user of the same
     * ACS system for one identity fails with SQLState 23505.
     */
    public boolean link(Connection tx, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId, Instant at)
            throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO acs_user_link (acs_user_id, workspace_id, "
                + "user_identity_id, acs_system_id, linked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (acs_user_id) DO UPDATE "
                + "SET user_identity_id = EXCLUDED.user_identity_id, acs_system_id = EXCLUDED.acs_system_id, "
                + "linked_at = EXCLUDED.linked_at, removed_at = NULL WHERE acs_user_link.removed_at IS NOT NULL")) {
            upsert.setObject(1, acsUserId);
            upsert.setObject(2, workspaceId);
            upsert.setObject(3, userIdentityId);
            upsert.setObject(4, acsSystemId);
            upsert.setTimestamp(5, Timestamp.from(at));
            return upsert.executeUpdate() == 1;
        }
    }

    /** Links only an ACS user that was never linked: what an acs_user.created may do, replayed or not. */
    public boolean linkIfNeverLinked(Connection tx, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId,
                                     Instant at) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO acs_user_link (acs_user_id, workspace_id, "
                + "user_identity_id, acs_system_id, linked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, acsUserId);
            insert.setObject(2, workspaceId);
            insert.setObject(3, userIdentityId);
            insert.setObject(4, acsSystemId);
            insert.setTimestamp(5, Timestamp.from(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** Returns false when the ACS user was not linked to that identity. */
    public boolean unlink(Connection tx, UUID userIdentityId, UUID acsUserId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_user_link SET removed_at = ? "
                + "WHERE acs_user_id = ? AND user_identity_id = ? AND removed_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, acsUserId);
            update.setObject(3, userIdentityId);
            return update.executeUpdate() == 1;
        }
    }

    /** A deleted identity's links go with it. */
    public void deleteAll(Connection tx, UUID userIdentityId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM acs_user_link WHERE user_identity_id = ?")) {
            delete.setObject(1, userIdentityId);
            delete.executeUpdate();
        }
    }

    /** The active links of these identities, oldest first, with each ACS user's profile where known. */
    public List<LinkedAcsUser> activeLinks(Connection connection, Collection<UUID> userIdentityIds) throws SQLException {
        if (userIdentityIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT l.user_identity_id, l.acs_user_id, l.acs_system_id, "
                + "l.linked_at, a.full_name, a.email_address, a.phone_number FROM acs_user_link l "
                + "LEFT JOIN acs_user a ON a.acs_user_id = l.acs_user_id "
                + "WHERE l.user_identity_id = ANY (?) AND l.removed_at IS NULL ORDER BY l.linked_at, l.acs_user_id")) {
            select.setArray(1, connection.createArrayOf("uuid", userIdentityIds.toArray()));
            List<LinkedAcsUser> links = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    links.add(new LinkedAcsUser(rows.getObject("user_identity_id", UUID.class), rows.getObject("acs_user_id", UUID.class),
                            rows.getObject("acs_system_id", UUID.class), rows.getTimestamp("linked_at").toInstant(),
                            rows.getString("full_name"), rows.getString("email_address"), rows.getString("phone_number")));
                }
            }
            return links;
        }
    }
}
