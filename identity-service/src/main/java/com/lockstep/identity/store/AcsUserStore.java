package com.lockstep.identity.store;

import com.lockstep.identity.domain.AcsUser;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The projection of ACS users from credential-service's acs_user events. */
@ApplicationScoped
public class AcsUserStore {

    private static final String COLUMNS = "acs_user_id, workspace_id, acs_system_id, connected_account_id, user_identity_id, "
            + "display_name, full_name, email_address, phone_number, is_suspended, access_schedule_starts_at, "
            + "access_schedule_ends_at, created_at";

    /**
     * acs_user.created: the ACS user as created. A copy of the event (the row exists) sets the fields
     * that event carries again, and leaves suspension and access schedule as they are.
     */
    public void upsert(Connection tx, AcsUser user) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO acs_user (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (acs_user_id) DO UPDATE SET "
                + "acs_system_id = EXCLUDED.acs_system_id, connected_account_id = EXCLUDED.connected_account_id, "
                + "user_identity_id = EXCLUDED.user_identity_id, display_name = EXCLUDED.display_name, "
                + "full_name = EXCLUDED.full_name, email_address = EXCLUDED.email_address, "
                + "phone_number = EXCLUDED.phone_number")) {
            upsert.setObject(1, user.acsUserId());
            upsert.setObject(2, user.workspaceId());
            upsert.setObject(3, user.acsSystemId());
            upsert.setObject(4, user.connectedAccountId());
            upsert.setObject(5, user.userIdentityId());
            upsert.setString(6, user.displayName());
            upsert.setString(7, user.fullName());
            upsert.setString(8, user.emailAddress());
            upsert.setString(9, user.phoneNumber());
            upsert.setBoolean(10, user.isSuspended());
            upsert.setTimestamp(11, timestamp(user.accessScheduleStartsAt()));
            upsert.setTimestamp(12, timestamp(user.accessScheduleEndsAt()));
            upsert.setTimestamp(13, Timestamp.from(user.createdAt()));
            upsert.executeUpdate();
        }
    }

    /**
     * What acs_user.updated sets on an ACS user: every field it can change (not its ACS system, account
     * or creation).
     */
    public record Update(UUID acsUserId, UUID workspaceId, UUID userIdentityId, String displayName,
                         String fullName, String emailAddress, String phoneNumber, boolean isSuspended,
                         Instant accessScheduleStartsAt, Instant accessScheduleEndsAt) {
    }

    /**
     * acs_user.updated: sets every field it carries on the ACS user. False if the projection does
     * not have the ACS user (its acs_user.created was never applied).
     */
    public boolean update(Connection tx, Update update) throws SQLException {
        try (PreparedStatement set = tx.prepareStatement("UPDATE acs_user SET user_identity_id = ?, display_name = ?, "
                + "full_name = ?, email_address = ?, phone_number = ?, is_suspended = ?, access_schedule_starts_at = ?, "
                + "access_schedule_ends_at = ? WHERE acs_user_id = ? AND workspace_id = ?")) {
            set.setObject(1, update.userIdentityId());
            set.setString(2, update.displayName());
            set.setString(3, update.fullName());
            set.setString(4, update.emailAddress());
            set.setString(5, update.phoneNumber());
            set.setBoolean(6, update.isSuspended());
            set.setTimestamp(7, timestamp(update.accessScheduleStartsAt()));
            set.setTimestamp(8, timestamp(update.accessScheduleEndsAt()));
            set.setObject(9, update.acsUserId());
            set.setObject(10, update.workspaceId());
            return set.executeUpdate() == 1;
        }
    }

    public void delete(Connection tx, UUID acsUserId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM acs_user WHERE acs_user_id = ?")) {
            delete.setObject(1, acsUserId);
            delete.executeUpdate();
        }
    }

    public void clear(Connection tx) throws SQLException {
        try (Statement truncate = tx.createStatement()) {
            truncate.execute("TRUNCATE acs_user");
        }
    }

    public Optional<AcsUser> find(Connection connection, UUID workspaceId, UUID acsUserId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM acs_user WHERE workspace_id = ? AND acs_user_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, acsUserId);
            return first(select);
        }
    }

    /**
     * An ACS user of that system, linked to no identity, with this email address (any case) or
     * phone number: the one {@code /user_identities/create} links instead of having one created.
     */
    public Optional<AcsUser> findUnlinkedMatch(Connection connection, UUID workspaceId, UUID acsSystemId,
                                               String emailAddress, String phoneNumber) throws SQLException {
        if (emailAddress == null && phoneNumber == null) {
            return Optional.empty();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS.replaceAll("(^|, )", "$1a.")
                + " FROM acs_user a WHERE a.workspace_id = ? AND a.acs_system_id = ?"
                + " AND (lower(a.email_address) = lower(?) OR a.phone_number = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM acs_user_link l WHERE l.acs_user_id = a.acs_user_id AND l.removed_at IS NULL)"
                + " ORDER BY a.created_at, a.acs_user_id LIMIT 1")) {
            select.setObject(1, workspaceId);
            select.setObject(2, acsSystemId);
            select.setString(3, emailAddress);
            select.setString(4, phoneNumber);
            return first(select);
        }
    }

    /** The ACS users linked to the identity, oldest link first. */
    public List<AcsUser> linkedTo(Connection connection, UUID userIdentityId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS.replaceAll("(^|, )", "$1a.")
                + " FROM acs_user_link l JOIN acs_user a ON a.acs_user_id = l.acs_user_id"
                + " WHERE l.user_identity_id = ? AND l.removed_at IS NULL ORDER BY l.linked_at, l.acs_user_id")) {
            select.setObject(1, userIdentityId);
            List<AcsUser> users = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    users.add(read(rows));
                }
            }
            return users;
        }
    }

    private static Optional<AcsUser> first(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    private static AcsUser read(ResultSet row) throws SQLException {
        return new AcsUser(
                row.getObject("acs_user_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getObject("acs_system_id", UUID.class),
                row.getObject("connected_account_id", UUID.class),
                row.getObject("user_identity_id", UUID.class),
                row.getString("display_name"),
                row.getString("full_name"),
                row.getString("email_address"),
                row.getString("phone_number"),
                row.getBoolean("is_suspended"),
                instant(row.getTimestamp("access_schedule_starts_at")),
                instant(row.getTimestamp("access_schedule_ends_at")),
                row.getTimestamp("created_at").toInstant());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
