package com.lockstep.device.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.schemas.json.SeamRecordJson;
import com.lockstep.state.device.DeviceState;
import com.lockstep.kit.db.LikePattern;
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

/**
 * Devices in device-gateway's database, each stored as Seam's device object. Reads for the API
 * return that object's stored text, written into the response as it is (not parsed and written
 * again); changes read it into a {@link Device} first. Every query is scoped to one workspace, and
 * removed devices are never read.
 */
@ApplicationScoped
public class DeviceStore {

    /** A device as a list or get returns it: the stored object (raw JSON), and its position in the list order. */
    public record StoredDevice(UUID deviceId, Instant createdAt, JsonNode device) {
    }

    private final ObjectMapper mapper;

    public DeviceStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void insert(Connection tx, Device device) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO device (device_id, workspace_id, connected_account_id, "
                + "device_type, display_name, is_managed, device, created_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            insert.setObject(1, device.deviceId());
            insert.setObject(2, device.workspaceId());
            insert.setObject(3, device.connectedAccountId());
            insert.setString(4, device.deviceType());
            insert.setString(5, device.displayName());
            insert.setBoolean(6, device.managed());
            insert.setString(7, SeamRecordJson.toJson(device.state()).toString());
            insert.setTimestamp(8, Timestamp.from(device.createdAt()));
            insert.executeUpdate();
        }
    }

    public void update(Connection tx, Device device) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE device SET display_name = ?, is_managed = ?, device = ?::jsonb WHERE device_id = ?")) {
            update.setString(1, device.displayName());
            update.setBoolean(2, device.managed());
            update.setString(3, SeamRecordJson.toJson(device.state()).toString());
            update.setObject(4, device.deviceId());
            update.executeUpdate();
        }
    }

    public void markRemoved(Connection tx, UUID deviceId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE device SET removed_at = ? WHERE device_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, deviceId);
            update.executeUpdate();
        }
    }

    /** Locks the device's row (managed or not), so its events are written in the order its changes commit. */
    public Optional<Device> lock(Connection tx, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = tx.prepareStatement("SELECT device FROM device"
                + " WHERE workspace_id = ? AND device_id = ? AND removed_at IS NULL FOR UPDATE")) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Device(SeamRecordJson.fromJson(tree(row.getString(1)), DeviceState.class)))
                        : Optional.empty();
            }
        }
    }

    public Optional<Device> findManaged(Connection connection, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT device FROM device"
                + " WHERE workspace_id = ? AND device_id = ? AND removed_at IS NULL AND is_managed")) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Device(SeamRecordJson.fromJson(tree(row.getString(1)), DeviceState.class)))
                        : Optional.empty();
            }
        }
    }

    public Optional<StoredDevice> findManagedJson(Connection connection, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT device_id, created_at, device FROM device"
                + " WHERE workspace_id = ? AND device_id = ? AND removed_at IS NULL AND is_managed")) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            return first(select);
        }
    }

    /** The newest managed device with this display name. */
    public Optional<StoredDevice> findManagedJsonByName(Connection connection, UUID workspaceId, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT device_id, created_at, device FROM device"
                + " WHERE workspace_id = ? AND display_name = ? AND removed_at IS NULL AND is_managed"
                + " ORDER BY created_at DESC, device_id DESC LIMIT 1")) {
            select.setObject(1, workspaceId);
            select.setString(2, name);
            return first(select);
        }
    }

    /**
     * Managed devices matching {@code filter}, newest first, after {@code cursor}; up to
     * {@code limit + 1} rows, so the caller knows whether another page follows.
     */
    public List<StoredDevice> listManaged(Connection connection, UUID workspaceId, DeviceFilter filter, PageCursor cursor,
                                          int limit) throws SQLException {
        if (filter.matchesNothing()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT device_id, created_at, device FROM device"
                + " WHERE workspace_id = ? AND removed_at IS NULL AND is_managed");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (filter.connectedAccountIds() != null) {
            sql.append(" AND connected_account_id = ANY (?)");
            args.add(connection.createArrayOf("uuid", filter.connectedAccountIds().toArray()));
        }
        if (filter.deviceTypes() != null) {
            sql.append(" AND device_type = ANY (?)");
            args.add(connection.createArrayOf("text", filter.deviceTypes().toArray()));
        }
        if (filter.manufacturer() != null) {
            sql.append(" AND device->'properties'->>'manufacturer' = ?");
            args.add(filter.manufacturer());
        }
        if (filter.deviceIds() != null) {
            sql.append(" AND device_id = ANY (?)");
            args.add(connection.createArrayOf("uuid", filter.deviceIds().toArray()));
        }
        if (filter.createdBefore() != null) {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(filter.createdBefore()));
        }
        if (filter.customMetadataHas() != null) {
            // Compared as text: a query string sends true and "true" alike.
            filter.customMetadataHas().forEach((key, value) -> {
                sql.append(" AND device->'custom_metadata'->>? = ?");
                args.add(key);
                args.add(value.toString());
            });
        }
        if (filter.includeIf() != null) {
            for (String flag : filter.includeIf()) {
                sql.append(" AND device @> ?::jsonb");
                args.add(flagTrue(flag));
            }
        }
        if (filter.excludeIf() != null) {
            for (String flag : filter.excludeIf()) {
                sql.append(" AND NOT device @> ?::jsonb");
                args.add(flagTrue(flag));
            }
        }
        if (filter.search() != null) {
            // Seam's partial match: an id by its prefix (4 characters at least), names and metadata anywhere.
            String contains = LikePattern.containing(filter.search());
            String escape = " " + LikePattern.ESCAPE;
            sql.append(" AND (display_name ILIKE ?" + escape);
            args.add(contains);
            if (filter.search().length() >= 4) {
                String prefix = LikePattern.startingWith(filter.search().toLowerCase());
                sql.append(" OR device_id::text LIKE ?" + escape + " OR connected_account_id::text LIKE ?" + escape);
                args.add(prefix);
                args.add(prefix);
            }
            sql.append(" OR device->'location'->>'location_name' ILIKE ?" + escape
                    + " OR EXISTS (SELECT 1 FROM jsonb_each_text(device->'custom_metadata') m WHERE m.value ILIKE ?" + escape + "))");
            args.add(contains);
            args.add(contains);
        }
        if (cursor != null) {
            sql.append(" AND (created_at, device_id) < (?, ?)");
            args.add(Timestamp.from(cursor.createdAt()));
            args.add(cursor.id());
        }
        sql.append(" ORDER BY created_at DESC, device_id DESC LIMIT ?");
        args.add(limit + 1);
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            List<StoredDevice> devices = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    devices.add(read(rows));
                }
            }
            return devices;
        }
    }

    private Optional<StoredDevice> first(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    private StoredDevice read(ResultSet row) throws SQLException {
        return new StoredDevice(row.getObject("device_id", UUID.class), row.getTimestamp("created_at").toInstant(),
                JsonNodeFactory.instance.rawValueNode(new RawValue(row.getString("device"))));
    }

    private ObjectNode tree(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored device JSON is unreadable", e);
        }
    }

    private static String flagTrue(String flag) {
        return JsonNodeFactory.instance.objectNode().put(flag, true).toString();
    }
}
