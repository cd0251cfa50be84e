package com.lockstep.device.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.db.LikePattern;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.Session;

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
 * Devices in device-gateway's database, each stored as Seam's device object. Every query is scoped
 * to one workspace, and removed devices are never read.
 */
@ApplicationScoped
public class DeviceRepository implements PanacheRepositoryBase<Device, UUID> {

    /** A device as the list returns it: the stored object (raw JSON), and its position in the list order. */
    public record StoredDevice(UUID deviceId, Instant createdAt, JsonNode device) {
    }

    /**
     * Locks the device's row (managed or not), so its events are written in the order its changes
     * commit; the device's first read in its transaction (a device already loaded keeps the state it
     * was read with).
     */
    public Optional<Device> lock(UUID workspaceId, UUID deviceId) {
        return find("deviceId = ?1 and workspaceId = ?2 and removedAt is null", deviceId, workspaceId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .singleResultOptional();
    }

    public Optional<Device> findManaged(UUID workspaceId, UUID deviceId) {
        return find("deviceId = ?1 and workspaceId = ?2 and removedAt is null and managed", deviceId, workspaceId)
                .singleResultOptional();
    }

    /** The newest managed device with this display name. */
    public Optional<Device> findManagedByName(UUID workspaceId, String name) {
        return find("workspaceId = ?1 and displayName = ?2 and removedAt is null and managed"
                + " order by createdAt desc, deviceId desc", workspaceId, name)
                .firstResultOptional();
    }

    /**
     * Managed devices matching {@code filter}, newest first, after {@code cursor}; up to
     * {@code limit + 1} rows, so the caller knows whether another page follows.
     */
    public List<StoredDevice> listManaged(UUID workspaceId, DeviceFilter filter, PageCursor cursor, int limit) {
        if (filter.matchesNothing()) {
            return List.of();
        }
        // SQL: the filters need JSONB operators (->>, @>) and a set-returning function (jsonb_each_text)
        // that HQL has no form of; and each device's stored text goes into the response unparsed.
        return getEntityManager().unwrap(Session.class).doReturningWork(connection ->
                listManaged(connection, workspaceId, filter, cursor, limit));
    }

    private static List<StoredDevice> listManaged(Connection connection, UUID workspaceId, DeviceFilter filter, PageCursor cursor,
                                                  int limit) throws SQLException {
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

    private static StoredDevice read(ResultSet row) throws SQLException {
        return new StoredDevice(row.getObject("device_id", UUID.class), row.getTimestamp("created_at").toInstant(),
                JsonNodeFactory.instance.rawValueNode(new RawValue(row.getString("device"))));
    }

    private static String flagTrue(String flag) {
        return JsonNodeFactory.instance.objectNode().put(flag, true).toString();
    }
}
