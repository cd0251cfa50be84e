package com.lockstep.phone.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.phone.domain.DeviceType;
import com.lockstep.phone.domain.Phone;
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

/** Phones in phone-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class PhoneStore {

    private static final String COLUMNS = "device_id, workspace_id, owner_user_identity_id, device_type, nickname, "
            + "display_name, custom_metadata, properties, errors, warnings, custom_sdk_installation_id, created_at, deactivated_at";

    private final ObjectMapper mapper;

    public PhoneStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void insert(Connection tx, Phone phone) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO phone (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)")) {
            insert.setObject(1, phone.deviceId());
            insert.setObject(2, phone.workspaceId());
            insert.setObject(3, phone.ownerUserIdentityId());
            insert.setString(4, phone.deviceType().name());
            insert.setString(5, phone.nickname());
            insert.setString(6, phone.displayName());
            insert.setString(7, json(phone.customMetadata()));
            insert.setString(8, json(phone.properties()));
            insert.setString(9, json(phone.errors()));
            insert.setString(10, json(phone.warnings()));
            insert.setString(11, phone.customSdkInstallationId());
            insert.setTimestamp(12, Timestamp.from(phone.createdAt()));
            insert.setTimestamp(13, phone.deactivatedAt() == null ? null : Timestamp.from(phone.deactivatedAt()));
            insert.executeUpdate();
        }
    }

    public Optional<Phone> findActive(Connection connection, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM phone WHERE workspace_id = ? AND device_id = ? AND deactivated_at IS NULL")) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            return first(select);
        }
    }

    /** Locks the phone's row, so its events are written in the order they happen. */
    public Optional<Phone> lock(Connection tx, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = tx.prepareStatement("SELECT " + COLUMNS
                + " FROM phone WHERE workspace_id = ? AND device_id = ? FOR UPDATE")) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            return first(select);
        }
    }

    public void markDeactivated(Connection tx, UUID deviceId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE phone SET deactivated_at = ? WHERE device_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, deviceId);
            update.executeUpdate();
        }
    }

    /**
     * Active phones, newest first, after {@code cursor}; returns up to {@code limit + 1} rows
     * so the caller knows whether another page follows.
     */
    public List<Phone> listActive(Connection connection, UUID workspaceId, UUID ownerUserIdentityId,
                                  UUID acsCredentialId, PageCursor cursor, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS.replaceAll("(^|, )", "$1p."))
                .append(" FROM phone p WHERE p.workspace_id = ? AND p.deactivated_at IS NULL");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (ownerUserIdentityId != null) {
            sql.append(" AND p.owner_user_identity_id = ?");
            args.add(ownerUserIdentityId);
        }
        if (acsCredentialId != null) {
            sql.append(" AND p.device_id IN (SELECT c.device_id FROM issued_credential c"
                    + " WHERE c.workspace_id = ? AND c.acs_credential_id = ?)");
            args.add(workspaceId);
            args.add(acsCredentialId);
        }
        if (cursor != null) {
            sql.append(" AND (p.created_at, p.device_id) < (?, ?)");
            args.add(Timestamp.from(cursor.createdAt()));
            args.add(cursor.id());
        }
        sql.append(" ORDER BY p.created_at DESC, p.device_id DESC LIMIT ?");
        args.add(limit + 1);
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            List<Phone> phones = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    phones.add(read(rows));
                }
            }
            return phones;
        }
    }

    private Optional<Phone> first(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    private Phone read(ResultSet row) throws SQLException {
        Timestamp deactivated = row.getTimestamp("deactivated_at");
        return new Phone(
                row.getObject("device_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getObject("owner_user_identity_id", UUID.class),
                DeviceType.valueOf(row.getString("device_type")),
                row.getString("nickname"),
                row.getString("display_name"),
                (ObjectNode) tree(row.getString("custom_metadata")),
                (ObjectNode) tree(row.getString("properties")),
                (ArrayNode) tree(row.getString("errors")),
                (ArrayNode) tree(row.getString("warnings")),
                row.getString("custom_sdk_installation_id"),
                row.getTimestamp("created_at").toInstant(),
                deactivated == null ? null : deactivated.toInstant());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
