package com.lockstep.identity.store;

import com.lockstep.identity.domain.UserIdentity;
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

/** User identities in identity-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class UserIdentityStore {

    private static final String COLUMNS = "user_identity_id, workspace_id, user_identity_key, email_address, "
            + "phone_number, full_name, created_at";

    /** The filters of {@code /user_identities/list}; null means not filtered. */
    public record ListFilter(List<UUID> userIdentityIds, String search, Instant createdBefore,
                             UUID credentialManagerAcsSystemId) {
    }

    /** Inserts; a taken key, email address or phone number fails with the unique index's SQLState 23505. */
    public void insert(Connection tx, UserIdentity identity) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO user_identity (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, identity.userIdentityId());
            insert.setObject(2, identity.workspaceId());
            insert.setString(3, identity.userIdentityKey());
            insert.setString(4, identity.emailAddress());
            insert.setString(5, identity.phoneNumber());
            insert.setString(6, identity.fullName());
            insert.setTimestamp(7, Timestamp.from(identity.createdAt()));
            insert.executeUpdate();
        }
    }

    /** As {@link #insert}, a taken key, email address or phone number fails with SQLState 23505. */
    public void update(Connection tx, UserIdentity identity) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE user_identity SET user_identity_key = ?, "
                + "email_address = ?, phone_number = ?, full_name = ? WHERE user_identity_id = ?")) {
            update.setString(1, identity.userIdentityKey());
            update.setString(2, identity.emailAddress());
            update.setString(3, identity.phoneNumber());
            update.setString(4, identity.fullName());
            update.setObject(5, identity.userIdentityId());
            update.executeUpdate();
        }
    }

    public void delete(Connection tx, UUID userIdentityId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM user_identity WHERE user_identity_id = ?")) {
            delete.setObject(1, userIdentityId);
            delete.executeUpdate();
        }
    }

    /**
     * By id, by key, or by both (then both must match); {@code lock} takes the row's lock, so the
     * identity's events are written in the order its changes commit.
     */
    public Optional<UserIdentity> find(Connection connection, UUID workspaceId, UUID userIdentityId, String userIdentityKey,
                                       boolean lock) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM user_identity WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (userIdentityId != null) {
            sql.append(" AND user_identity_id = ?");
            args.add(userIdentityId);
        }
        if (userIdentityKey != null) {
            sql.append(" AND user_identity_key = ?");
            args.add(userIdentityKey);
        }
        if (lock) {
            sql.append(" FOR UPDATE");
        }
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, args);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Identities newest first, after {@code cursor}; returns up to {@code limit + 1} rows so the
     * caller knows whether another page follows.
     */
    public List<UserIdentity> list(Connection connection, UUID workspaceId, ListFilter filter, PageCursor cursor, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS.replaceAll("(^|, )", "$1u."))
                .append(" FROM user_identity u WHERE u.workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (filter.userIdentityIds() != null) {
            sql.append(" AND u.user_identity_id = ANY (?)");
            args.add(filter.userIdentityIds().toArray(new UUID[0]));
        }
        if (filter.createdBefore() != null) {
            sql.append(" AND u.created_at < ?");
            args.add(Timestamp.from(filter.createdBefore()));
        }
        if (filter.search() != null) {
            // Seam: a partial match on full name, phone number, email address or id.
            sql.append(" AND (u.full_name ILIKE ? OR u.phone_number ILIKE ? OR u.email_address ILIKE ?"
                    + " OR u.user_identity_id::text ILIKE ?)");
            String pattern = "%" + filter.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            for (int i = 0; i < 4; i++) {
                args.add(pattern);
            }
        }
        if (filter.credentialManagerAcsSystemId() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM acs_user_link l WHERE l.user_identity_id = u.user_identity_id"
                    + " AND l.acs_system_id = ? AND l.removed_at IS NULL)");
            args.add(filter.credentialManagerAcsSystemId());
        }
        if (cursor != null) {
            sql.append(" AND (u.created_at, u.user_identity_id) < (?, ?)");
            args.add(Timestamp.from(cursor.createdAt()));
            args.add(cursor.id());
        }
        sql.append(" ORDER BY u.created_at DESC, u.user_identity_id DESC LIMIT ?");
        args.add(limit + 1);
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, args);
            List<UserIdentity> identities = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    identities.add(read(rows));
                }
            }
            return identities;
        }
    }

    private static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof UUID[] uuids) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("uuid", uuids));
            } else {
                statement.setObject(i + 1, arg);
            }
        }
    }

    private static UserIdentity read(ResultSet row) throws SQLException {
        return new UserIdentity(
                row.getObject("user_identity_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getString("user_identity_key"),
                row.getString("email_address"),
                row.getString("phone_number"),
                row.getString("full_name"),
                row.getTimestamp("created_at").toInstant());
    }
}
