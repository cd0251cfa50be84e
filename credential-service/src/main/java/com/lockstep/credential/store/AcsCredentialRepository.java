package com.lockstep.credential.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.credential.domain.AccessMethod;
import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.db.LikePattern;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

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


/**
 * ACS credentials in credential-service's database. API queries are scoped to one workspace.
 * <p>
 * Issuing children and revoking stay set-based SQL on the transaction's connection (taken by the
 * methods with a {@code Connection}): each flushes the entity changes pending before it, and their
 * rows are returned as the statement left them, not as managed entities. An entity loaded before a
 * revocation is not read again in that transaction: the queries here skip deleted rows in the database.
 */
@ApplicationScoped
public class AcsCredentialRepository implements PanacheRepositoryBase<AcsCredential, UUID> {

    private static final String COLUMNS = "acs_credential_id, workspace_id, acs_system_id, connected_account_id, acs_user_id, "
            + "user_identity_id, access_method, code, starts_at, ends_at, is_multi_phone_sync_credential, "
            + "parent_acs_credential_id, device_id, allowed_acs_entrance_ids, vendor_metadata, issued_at, created_at";

    /** Filters of {@code /acs/credentials/list}; null means not filtered. */
    public record Filter(UUID acsUserId, UUID acsSystemId, UUID userIdentityId, Boolean multiPhoneSync, String search,
                         Instant createdBefore) {
    }

    private final ObjectMapper mapper;

    public AcsCredentialRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A credential that is not deleted. */
    public Optional<AcsCredential> find(UUID workspaceId, UUID acsCredentialId) {
        return findByIdOptional(acsCredentialId).filter(credential -> credential.liveIn(workspaceId));
    }

    /** A credential that is not deleted, its row locked. */
    public Optional<AcsCredential> lock(UUID workspaceId, UUID acsCredentialId) {
        return findByIdOptional(acsCredentialId, LockModeType.PESSIMISTIC_WRITE).filter(credential -> credential.liveIn(workspaceId));
    }

    /** Up to {@code limit + 1} credentials, newest first, after {@code cursor}. */
    public List<AcsCredential> list(UUID workspaceId, Filter filter, PageCursor cursor, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace and deletedAt is null");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (filter.acsUserId() != null) {
            query.append(" and acsUserId = :acsUser");
            parameters.and("acsUser", filter.acsUserId());
        }
        if (filter.acsSystemId() != null) {
            query.append(" and acsSystemId = :system");
            parameters.and("system", filter.acsSystemId());
        }
        if (filter.userIdentityId() != null) {
            query.append(" and userIdentityId = :identity");
            parameters.and("identity", filter.userIdentityId());
        }
        if (filter.multiPhoneSync() != null) {
            query.append(" and multiPhoneSync = :multiPhoneSync");
            parameters.and("multiPhoneSync", filter.multiPhoneSync());
        }
        if (filter.search() != null) {
            query.append(" and (code ilike :like " + LikePattern.ESCAPE + " or cast(acsCredentialId as String) = :search"
                    + " or cast(deviceId as String) = :search)");
            parameters.and("like", LikePattern.containing(filter.search())).and("search", filter.search());
        }
        if (filter.createdBefore() != null) {
            query.append(" and createdAt < :createdBefore");
            parameters.and("createdBefore", filter.createdBefore());
        }
        if (cursor != null) {
            query.append(" and (createdAt, acsCredentialId) < (:cursorCreatedAt, :cursorId)");
            parameters.and("cursorCreatedAt", cursor.createdAt()).and("cursorId", cursor.id());
        }
        query.append(" order by createdAt desc, acsCredentialId desc");
        return find(query.toString(), parameters).range(0, limit).list();
    }

    /** The live multi-phone-sync credentials of a user identity, locked: issuing children must not race their deletion. */
    public List<AcsCredential> lockMultiPhoneSyncOf(UUID workspaceId, UUID userIdentityId) {
        return find("workspaceId = ?1 and userIdentityId = ?2 and deletedAt is null and multiPhoneSync = true "
                + "order by createdAt, acsCredentialId", workspaceId, userIdentityId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** The live credentials of an ACS user, parents before their children, locked. */
    public List<AcsCredential> lockOfAcsUser(UUID acsUserId) {
        return find("acsUserId = ?1 and deletedAt is null order by parentAcsCredentialId nulls first, createdAt, acsCredentialId",
                acsUserId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** The live credential and its live children, parent first. */
    public List<AcsCredential> liveWithChildren(UUID acsCredentialId) {
        return list("(acsCredentialId = ?1 or parentAcsCredentialId = ?1) and deletedAt is null "
                + "order by parentAcsCredentialId nulls first, createdAt", acsCredentialId);
    }

    /** Sets the credential's code and end; its children (mobile keys, no code) take the end. */
    public void change(UUID acsCredentialId, String code, Instant endsAt) {
        for (AcsCredential credential : lockWithChildren(acsCredentialId)) {
            if (credential.acsCredentialId().equals(acsCredentialId)) {
                credential.changeCode(code);
            }
            credential.endAt(endsAt);
        }
    }

    /** Assigns the credential (and its children) to an ACS user, or unassigns it with nulls. */
    public void assign(UUID acsCredentialId, UUID acsUserId, UUID userIdentityId) {
        lockWithChildren(acsCredentialId).forEach(credential -> credential.assignTo(acsUserId, userIdentityId));
    }

    /** Follows an ACS user's link to a user identity onto its live credentials. */
    public void followIdentityOfAcsUser(UUID acsUserId, UUID userIdentityId) {
        list("acsUserId = ?1 and deletedAt is null", acsUserId).forEach(credential -> credential.followIdentity(userIdentityId));
    }

    /** What {@link #liveWithChildren} finds, locked, as an UPDATE of them would lock them: a row deleted meanwhile is left out. */
    private List<AcsCredential> lockWithChildren(UUID acsCredentialId) {
        return find("(acsCredentialId = ?1 or parentAcsCredentialId = ?1) and deletedAt is null", acsCredentialId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /**
     * Inserts a child; false if its phone already had a live one of that parent (nothing is
     * written). SQL: ON CONFLICT DO NOTHING on the one-live-child index keeps a link that comes again
     * idempotent, where a persist would fail the transaction.
     */
    public boolean insertChild(Connection tx, AcsCredential child) throws SQLException {
        flush();
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO acs_credential (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, child.acsCredentialId());
            insert.setObject(2, child.workspaceId());
            insert.setObject(3, child.acsSystemId());
            insert.setObject(4, child.connectedAccountId());
            insert.setObject(5, child.acsUserId());
            insert.setObject(6, child.userIdentityId());
            insert.setString(7, child.accessMethod().name());
            insert.setString(8, child.code());
            insert.setTimestamp(9, timestamp(child.startsAt()));
            insert.setTimestamp(10, timestamp(child.endsAt()));
            insert.setBoolean(11, child.multiPhoneSync());
            insert.setObject(12, child.parentAcsCredentialId());
            insert.setObject(13, child.deviceId());
            insert.setArray(14, tx.createArrayOf("uuid", child.allowedAcsEntranceIds().toArray()));
            insert.setString(15, json(child.vendorMetadata()));
            insert.setTimestamp(16, timestamp(child.issuedAt()));
            insert.setTimestamp(17, Timestamp.from(child.createdAt()));
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Deletes the credential and its live children; returns what was deleted, the credential first.
     * One statement, which finds its rows again under their locks (nothing if another transaction
     * deleted them first) and returns them as deleted, for their events.
     */
    public List<AcsCredential> deleteWithChildren(Connection tx, UUID acsCredentialId, Instant at) throws SQLException {
        return returning(tx, "UPDATE acs_credential SET deleted_at = ? WHERE (acs_credential_id = ? OR parent_acs_credential_id = ?) "
                + "AND deleted_at IS NULL", at, acsCredentialId, acsCredentialId).stream()
                .sorted((a, b) -> Boolean.compare(a.parentAcsCredentialId() != null, b.parentAcsCredentialId() != null))
                .toList();
    }

    /** Deletes every live credential issued to any of the phones; returns them. One statement for a poll's lost phones. */
    public List<AcsCredential> deleteIssuedTo(Connection tx, List<UUID> deviceIds, Instant at) throws SQLException {
        return returning(tx, "UPDATE acs_credential SET deleted_at = ? WHERE device_id = ANY (?) AND deleted_at IS NULL",
                at, deviceIds);
    }

    /** Deletes the live children of {@code parents} issued to any of {@code phones}; returns them. One statement. */
    public List<AcsCredential> deleteChildrenOn(Connection tx, List<UUID> parents, List<UUID> phones, Instant at)
            throws SQLException {
        if (parents.isEmpty() || phones.isEmpty()) {
            return List.of();
        }
        return returning(tx, "UPDATE acs_credential SET deleted_at = ? WHERE parent_acs_credential_id = ANY (?) "
                + "AND device_id = ANY (?) AND deleted_at IS NULL", at, parents, phones);
    }

    private List<AcsCredential> returning(Connection tx, String update, Instant at, Object... args) throws SQLException {
        flush();
        try (PreparedStatement statement = tx.prepareStatement(update + " RETURNING " + COLUMNS)) {
            statement.setTimestamp(1, Timestamp.from(at));
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                statement.setObject(i + 2, arg instanceof List<?> list ? tx.createArrayOf("uuid", list.toArray()) : arg);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<AcsCredential> credentials = new ArrayList<>();
                while (rows.next()) {
                    credentials.add(read(rows));
                }
                return credentials;
            }
        }
    }

    /** A row in {@link #COLUMNS}, not managed: its system's type is not read. */
    private AcsCredential read(ResultSet row) throws SQLException {
        return new AcsCredential(
                row.getObject("acs_credential_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getObject("acs_system_id", UUID.class),
                row.getObject("connected_account_id", UUID.class),
                null,
                row.getObject("acs_user_id", UUID.class),
                row.getObject("user_identity_id", UUID.class),
                AccessMethod.valueOf(row.getString("access_method")),
                row.getString("code"),
                instant(row.getTimestamp("starts_at")),
                instant(row.getTimestamp("ends_at")),
                row.getBoolean("is_multi_phone_sync_credential"),
                row.getObject("parent_acs_credential_id", UUID.class),
                row.getObject("device_id", UUID.class),
                Arrays.asList((UUID[]) row.getArray("allowed_acs_entrance_ids").getArray()),
                tree(row.getString("vendor_metadata")),
                instant(row.getTimestamp("issued_at")),
                row.getTimestamp("created_at").toInstant());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
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
