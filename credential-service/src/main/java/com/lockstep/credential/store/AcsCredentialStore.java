package com.lockstep.credential.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.credential.domain.AccessMethod;
import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.kit.api.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static com.lockstep.credential.store.AcsUserStore.escapeLike;
import static com.lockstep.credential.store.AcsUserStore.instant;

/** ACS credentials in credential-service's database. API queries are scoped to one workspace. */
@ApplicationScoped
public class AcsCredentialStore {

    private static final String COLUMNS = "acs_credential_id, workspace_id, acs_system_id, connected_account_id, acs_user_id, "
            + "user_identity_id, access_method, code, starts_at, ends_at, is_multi_phone_sync_credential, "
            + "parent_acs_credential_id, device_id, allowed_acs_entrance_ids, vendor_metadata, issued_at, created_at";
    private static final String SELECT = "SELECT c." + COLUMNS.replace(", ", ", c.") + ", s.external_type "
            + "FROM acs_credential c LEFT JOIN acs_system s ON s.acs_system_id = c.acs_system_id ";
    private static final String RETURNING = " RETURNING " + COLUMNS
            + ", (SELECT external_type FROM acs_system s WHERE s.acs_system_id = acs_credential.acs_system_id)";

    /** Filters of {@code /acs/credentials/list}; null means not filtered. */
    public record Filter(UUID acsUserId, UUID acsSystemId, UUID userIdentityId, Boolean multiPhoneSync, String search,
                         Instant createdBefore) {
    }

    private final ObjectMapper mapper;

    public AcsCredentialStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Inserts the credential; false if it is a child its phone already had (nothing is written). */
    public boolean insert(Connection tx, AcsCredential credential) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO acs_credential (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, credential.acsCredentialId());
            insert.setObject(2, credential.workspaceId());
            insert.setObject(3, credential.acsSystemId());
            insert.setObject(4, credential.connectedAccountId());
            insert.setObject(5, credential.acsUserId());
            insert.setObject(6, credential.userIdentityId());
            insert.setString(7, credential.accessMethod().name());
            insert.setString(8, credential.code());
            insert.setTimestamp(9, timestamp(credential.startsAt()));
            insert.setTimestamp(10, timestamp(credential.endsAt()));
            insert.setBoolean(11, credential.multiPhoneSync());
            insert.setObject(12, credential.parentAcsCredentialId());
            insert.setObject(13, credential.deviceId());
            insert.setArray(14, tx.createArrayOf("uuid", credential.allowedAcsEntranceIds().toArray()));
            insert.setString(15, json(credential.vendorMetadata()));
            insert.setTimestamp(16, timestamp(credential.issuedAt()));
            insert.setTimestamp(17, Timestamp.from(credential.createdAt()));
            return insert.executeUpdate() == 1;
        }
    }

    /** A credential that is not deleted; {@code lock} takes its row lock. */
    public Optional<AcsCredential> find(Connection connection, UUID workspaceId, UUID acsCredentialId, boolean lock)
            throws SQLException {
        List<AcsCredential> found = all(new SqlArgs(SELECT + "WHERE c.workspace_id = ? AND c.acs_credential_id = ? "
                + "AND c.deleted_at IS NULL", workspaceId, acsCredentialId).andIf(lock ? true : null, "FOR UPDATE OF c"), connection);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Up to {@code limit + 1} credentials, newest first, after {@code cursor}. */
    public List<AcsCredential> list(Connection connection, UUID workspaceId, Filter filter, PageCursor cursor, int limit)
            throws SQLException {
        String like = filter.search() == null ? null : "%" + escapeLike(filter.search()) + "%";
        SqlArgs query = new SqlArgs(SELECT + "WHERE c.workspace_id = ? AND c.deleted_at IS NULL", workspaceId)
                .andIf(filter.acsUserId(), "AND c.acs_user_id = ?", filter.acsUserId())
                .andIf(filter.acsSystemId(), "AND c.acs_system_id = ?", filter.acsSystemId())
                .andIf(filter.userIdentityId(), "AND c.user_identity_id = ?", filter.userIdentityId())
                .andIf(filter.multiPhoneSync(), "AND c.is_multi_phone_sync_credential = ?", filter.multiPhoneSync())
                .andIf(like, "AND (c.code ILIKE ? OR c.acs_credential_id::text = ? OR c.device_id::text = ?)",
                        like, filter.search(), filter.search())
                .andIf(filter.createdBefore(), "AND c.created_at < ?", filter.createdBefore())
                .andIf(cursor, "AND (c.created_at, c.acs_credential_id) < (?, ?)",
                        cursor == null ? null : cursor.createdAt(), cursor == null ? null : cursor.id())
                .append("ORDER BY c.created_at DESC, c.acs_credential_id DESC LIMIT ?", limit + 1);
        return all(query, connection);
    }

    /** The live multi-phone-sync credentials of a user identity, locked: issuing children must not race their deletion. */
    public List<AcsCredential> lockMultiPhoneSyncOf(Connection tx, UUID workspaceId, UUID userIdentityId) throws SQLException {
        return all(new SqlArgs(SELECT + "WHERE c.workspace_id = ? AND c.user_identity_id = ? AND c.deleted_at IS NULL "
                + "AND c.is_multi_phone_sync_credential ORDER BY c.created_at, c.acs_credential_id FOR UPDATE OF c",
                workspaceId, userIdentityId), tx);
    }

    /** The live credentials of an ACS user, parents before their children. */
    public List<AcsCredential> lockOfAcsUser(Connection tx, UUID acsUserId) throws SQLException {
        return all(new SqlArgs(SELECT + "WHERE c.acs_user_id = ? AND c.deleted_at IS NULL "
                + "ORDER BY c.parent_acs_credential_id NULLS FIRST, c.created_at, c.acs_credential_id FOR UPDATE OF c",
                acsUserId), tx);
    }

    /** Sets the credential's code and end; its children (mobile keys, no code) take the end. */
    public void update(Connection tx, UUID acsCredentialId, String code, Instant endsAt) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_credential SET "
                + "code = CASE WHEN acs_credential_id = ? THEN ? ELSE code END, ends_at = ? "
                + "WHERE (acs_credential_id = ? OR parent_acs_credential_id = ?) AND deleted_at IS NULL")) {
            update.setObject(1, acsCredentialId);
            update.setString(2, code);
            update.setTimestamp(3, timestamp(endsAt));
            update.setObject(4, acsCredentialId);
            update.setObject(5, acsCredentialId);
            update.executeUpdate();
        }
    }

    /** The live credential and its live children, parent first. */
    public List<AcsCredential> liveWithChildren(Connection connection, UUID acsCredentialId) throws SQLException {
        return all(new SqlArgs(SELECT + "WHERE (c.acs_credential_id = ? OR c.parent_acs_credential_id = ?) AND c.deleted_at IS NULL "
                + "ORDER BY c.parent_acs_credential_id NULLS FIRST, c.created_at", acsCredentialId, acsCredentialId), connection);
    }

    /** Issues an ACS user's credentials that were held back while it was suspended. */
    public void markIssued(Connection tx, UUID acsUserId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_credential SET issued_at = ? "
                + "WHERE acs_user_id = ? AND deleted_at IS NULL AND issued_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, acsUserId);
            update.executeUpdate();
        }
    }

    /** Assigns the credential (and its children) to an ACS user, or unassigns it with nulls. */
    public void setAcsUser(Connection tx, UUID acsCredentialId, UUID acsUserId, UUID userIdentityId) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_credential SET acs_user_id = ?, user_identity_id = ? "
                + "WHERE (acs_credential_id = ? OR parent_acs_credential_id = ?) AND deleted_at IS NULL")) {
            update.setObject(1, acsUserId);
            update.setObject(2, userIdentityId);
            update.setObject(3, acsCredentialId);
            update.setObject(4, acsCredentialId);
            update.executeUpdate();
        }
    }

    /** Follows an ACS user's link to a user identity onto its live credentials. */
    public void setUserIdentityOfAcsUser(Connection tx, UUID acsUserId, UUID userIdentityId) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE acs_credential SET user_identity_id = ? WHERE acs_user_id = ? AND deleted_at IS NULL")) {
            update.setObject(1, userIdentityId);
            update.setObject(2, acsUserId);
            update.executeUpdate();
        }
    }

    /** Deletes the credential and its live children; returns what was deleted, the credential first. */
    public List<AcsCredential> deleteWithChildren(Connection tx, UUID acsCredentialId, Instant at) throws SQLException {
        return returning(tx, "UPDATE acs_credential SET deleted_at = ? WHERE (acs_credential_id = ? OR parent_acs_credential_id = ?) "
                + "AND deleted_at IS NULL", at, acsCredentialId, acsCredentialId).stream()
                .sorted((a, b) -> Boolean.compare(a.parentAcsCredentialId() != null, b.parentAcsCredentialId() != null))
                .toList();
    }

    /** Deletes every live credential issued to any of the phones; returns them. */
    public List<AcsCredential> deleteIssuedTo(Connection tx, List<UUID> deviceIds, Instant at) throws SQLException {
        return returning(tx, "UPDATE acs_credential SET deleted_at = ? WHERE device_id = ANY (?) AND deleted_at IS NULL",
                at, deviceIds);
    }

    /** Deletes the live children of {@code parents} issued to any of {@code phones}; returns them. */
    public List<AcsCredential> deleteChildrenOn(Connection tx, List<UUID> parents, List<UUID> phones, Instant at)
            throws SQLException {
        if (parents.isEmpty() || phones.isEmpty()) {
            return List.of();
        }
        return returning(tx, "UPDATE acs_credential SET deleted_at = ? WHERE parent_acs_credential_id = ANY (?) "
                + "AND device_id = ANY (?) AND deleted_at IS NULL", at, parents, phones);
    }

    private List<AcsCredential> returning(Connection tx, String update, Instant at, Object... args) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(update + RETURNING)) {
            statement.setTimestamp(1, Timestamp.from(at));
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                statement.setObject(i + 2, arg instanceof List<?> list ? tx.createArrayOf("uuid", list.toArray()) : arg);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<AcsCredential> credentials = new ArrayList<>();
                while (rows.next()) {
                    credentials.add(read(rows, rows.getMetaData().getColumnCount()));
                }
                return credentials;
            }
        }
    }

    private List<AcsCredential> all(SqlArgs query, Connection connection) throws SQLException {
        try (PreparedStatement select = query.prepare(connection); ResultSet rows = select.executeQuery()) {
            List<AcsCredential> credentials = new ArrayList<>();
            while (rows.next()) {
                credentials.add(read(rows, rows.getMetaData().getColumnCount()));
            }
            return credentials;
        }
    }

    /** The row's columns in {@link #COLUMNS} order, the ACS system's type last. */
    private AcsCredential read(ResultSet row, int systemTypeColumn) throws SQLException {
        Array entrances = row.getArray("allowed_acs_entrance_ids");
        return new AcsCredential(
                row.getObject("acs_credential_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getObject("acs_system_id", UUID.class),
                row.getObject("connected_account_id", UUID.class),
                row.getString(systemTypeColumn),
                row.getObject("acs_user_id", UUID.class),
                row.getObject("user_identity_id", UUID.class),
                AccessMethod.valueOf(row.getString("access_method")),
                row.getString("code"),
                instant(row.getTimestamp("starts_at")),
                instant(row.getTimestamp("ends_at")),
                row.getBoolean("is_multi_phone_sync_credential"),
                row.getObject("parent_acs_credential_id", UUID.class),
                row.getObject("device_id", UUID.class),
                List.copyOf(Arrays.asList((UUID[]) entrances.getArray())),
                tree(row.getString("vendor_metadata")),
                instant(row.getTimestamp("issued_at")),
                row.getTimestamp("created_at").toInstant());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private String json(ObjectNode value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ObjectNode tree(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
