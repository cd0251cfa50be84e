package com.lockstep.credential.store;

import com.lockstep.credential.domain.AcsUser;
import com.lockstep.kit.api.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** ACS users in credential-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class AcsUserStore {

    private static final String SELECT = "SELECT u.acs_user_id, u.workspace_id, u.acs_system_id, u.connected_account_id, "
            + "s.external_type, u.user_identity_id, i.user_identity_id IS NOT NULL AS identity_known, i.email_address AS i_email, "
            + "i.phone_number AS i_phone, i.full_name AS i_name, u.full_name, u.email_address, u.phone_number, "
            + "u.access_schedule_starts_at, u.access_schedule_ends_at, u.is_suspended, u.created_at "
            + "FROM acs_user u LEFT JOIN acs_system s ON s.acs_system_id = u.acs_system_id "
            + "LEFT JOIN user_identity i ON i.user_identity_id = u.user_identity_id ";

    /** Filters of {@code /acs/users/list}; null means not filtered. */
    public record Filter(UUID acsSystemId, UUID userIdentityId, String userIdentityEmailAddress,
                         String userIdentityPhoneNumber, String search, Instant createdBefore) {
    }

    public void insert(Connection tx, AcsUser user) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO acs_user (acs_user_id, workspace_id, acs_system_id, "
                + "connected_account_id, user_identity_id, full_name, email_address, phone_number, access_schedule_starts_at, "
                + "access_schedule_ends_at, is_suspended, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, user.acsUserId());
            insert.setObject(2, user.workspaceId());
            insert.setObject(3, user.acsSystemId());
            insert.setObject(4, user.connectedAccountId());
            insert.setObject(5, user.userIdentityId());
            insert.setString(6, user.fullName());
            insert.setString(7, user.emailAddress());
            insert.setString(8, user.phoneNumber());
            insert.setTimestamp(9, timestamp(user.accessScheduleStartsAt()));
            insert.setTimestamp(10, timestamp(user.accessScheduleEndsAt()));
            insert.setBoolean(11, user.suspended());
            insert.setTimestamp(12, Timestamp.from(user.createdAt()));
            insert.executeUpdate();
        }
    }

    /** An ACS user that is not deleted; {@code lock} takes its row lock. */
    public Optional<AcsUser> find(Connection connection, UUID workspaceId, UUID acsUserId, boolean lock) throws SQLException {
        return first(new SqlArgs(SELECT + "WHERE u.workspace_id = ? AND u.acs_user_id = ? AND u.deleted_at IS NULL",
                workspaceId, acsUserId).andIf(lock ? true : null, "FOR UPDATE OF u"), connection);
    }

    /** The ACS user a user identity has on an ACS system, if any. */
    public Optional<AcsUser> findOfIdentity(Connection connection, UUID workspaceId, UUID userIdentityId, UUID acsSystemId,
                                            boolean lock) throws SQLException {
        return first(new SqlArgs(SELECT + "WHERE u.workspace_id = ? AND u.user_identity_id = ? AND u.acs_system_id = ? "
                + "AND u.deleted_at IS NULL", workspaceId, userIdentityId, acsSystemId)
                .andIf(lock ? true : null, "FOR UPDATE OF u"), connection);
    }

    /** Up to {@code limit + 1} ACS users, newest first, after {@code cursor}. */
    public List<AcsUser> list(Connection connection, UUID workspaceId, Filter filter, PageCursor cursor, int limit)
            throws SQLException {
        String like = filter.search() == null ? null : "%" + escapeLike(filter.search()) + "%";
        SqlArgs query = new SqlArgs(SELECT + "WHERE u.workspace_id = ? AND u.deleted_at IS NULL", workspaceId)
                .andIf(filter.acsSystemId(), "AND u.acs_system_id = ?", filter.acsSystemId())
                .andIf(filter.userIdentityId(), "AND u.user_identity_id = ?", filter.userIdentityId())
                .andIf(filter.userIdentityEmailAddress(), "AND lower(i.email_address) = lower(?)", filter.userIdentityEmailAddress())
                .andIf(filter.userIdentityPhoneNumber(), "AND i.phone_number = ?", filter.userIdentityPhoneNumber())
                .andIf(like, "AND (u.full_name ILIKE ? OR u.email_address ILIKE ? OR u.phone_number ILIKE ? "
                        + "OR u.acs_user_id::text = ?)", like, like, like, filter.search())
                .andIf(filter.createdBefore(), "AND u.created_at < ?", filter.createdBefore())
                .andIf(cursor, "AND (u.created_at, u.acs_user_id) < (?, ?)",
                        cursor == null ? null : cursor.createdAt(), cursor == null ? null : cursor.id())
                .append("ORDER BY u.created_at DESC, u.acs_user_id DESC LIMIT ?", limit + 1);
        return all(query, connection);
    }

    public void update(Connection tx, AcsUser user) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_user SET full_name = ?, email_address = ?, "
                + "phone_number = ?, access_schedule_starts_at = ?, access_schedule_ends_at = ? WHERE acs_user_id = ?")) {
            update.setString(1, user.fullName());
            update.setString(2, user.emailAddress());
            update.setString(3, user.phoneNumber());
            update.setTimestamp(4, timestamp(user.accessScheduleStartsAt()));
            update.setTimestamp(5, timestamp(user.accessScheduleEndsAt()));
            update.setObject(6, user.acsUserId());
            update.executeUpdate();
        }
    }

    public void setSuspended(Connection tx, UUID acsUserId, boolean suspended) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_user SET is_suspended = ? WHERE acs_user_id = ?")) {
            update.setBoolean(1, suspended);
            update.setObject(2, acsUserId);
            update.executeUpdate();
        }
    }

    public boolean isSuspended(Connection connection, UUID acsUserId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT is_suspended FROM acs_user WHERE acs_user_id = ?")) {
            select.setObject(1, acsUserId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    public void markDeleted(Connection tx, UUID acsUserId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_user SET deleted_at = ? WHERE acs_user_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, acsUserId);
            update.executeUpdate();
        }
    }

    /** Sets (or, with null, clears) the user identity an ACS user is linked to. */
    public void setUserIdentity(Connection tx, UUID acsUserId, UUID userIdentityId) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_user SET user_identity_id = ? WHERE acs_user_id = ?")) {
            update.setObject(1, userIdentityId);
            update.setObject(2, acsUserId);
            update.executeUpdate();
        }
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private Optional<AcsUser> first(SqlArgs query, Connection connection) throws SQLException {
        List<AcsUser> users = all(query, connection);
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0));
    }

    private List<AcsUser> all(SqlArgs query, Connection connection) throws SQLException {
        try (PreparedStatement select = query.prepare(connection); ResultSet rows = select.executeQuery()) {
            List<AcsUser> users = new ArrayList<>();
            while (rows.next()) {
                users.add(read(rows));
            }
            return users;
        }
    }

    private static AcsUser read(ResultSet row) throws SQLException {
        AcsUser.IdentityContact identity = row.getBoolean("identity_known")
                ? new AcsUser.IdentityContact(row.getString("i_email"), row.getString("i_phone"), row.getString("i_name"))
                : null;
        return new AcsUser(
                row.getObject("acs_user_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getObject("acs_system_id", UUID.class),
                row.getObject("connected_account_id", UUID.class),
                row.getString("external_type"),
                row.getObject("user_identity_id", UUID.class),
                identity,
                row.getString("full_name"),
                row.getString("email_address"),
                row.getString("phone_number"),
                instant(row.getTimestamp("access_schedule_starts_at")),
                instant(row.getTimestamp("access_schedule_ends_at")),
                row.getBoolean("is_suspended"),
                row.getTimestamp("created_at").toInstant());
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
