package com.lockstep.identity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The projection of device state: each device's full Seam object, from device-gateway's compacted topic. */
@ApplicationScoped
public class DeviceStore {

    private final ObjectMapper mapper;

    public DeviceStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void upsert(Connection tx, UUID deviceId, UUID workspaceId, ObjectNode device) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO device (device_id, workspace_id, device) "
                + "VALUES (?, ?, ?::jsonb) ON CONFLICT (device_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, "
                + "device = EXCLUDED.device")) {
            upsert.setObject(1, deviceId);
            upsert.setObject(2, workspaceId);
            upsert.setString(3, device.toString());
            upsert.executeUpdate();
        }
    }

    public void delete(Connection tx, UUID deviceId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM device WHERE device_id = ?")) {
            delete.setObject(1, deviceId);
            delete.executeUpdate();
        }
    }

    public void clear(Connection tx) throws SQLException {
        try (Statement truncate = tx.createStatement()) {
            truncate.execute("TRUNCATE device");
        }
    }

    public boolean exists(Connection connection, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM device WHERE workspace_id = ? AND device_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The devices the identity was granted and that exist, in the order they were granted. */
    public List<ObjectNode> grantedTo(Connection connection, UUID userIdentityId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT d.device FROM device_grant g "
                + "JOIN device d ON d.device_id = g.device_id AND d.workspace_id = g.workspace_id "
                + "WHERE g.user_identity_id = ? ORDER BY g.granted_at, g.device_id")) {
            select.setObject(1, userIdentityId);
            List<ObjectNode> devices = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    devices.add((ObjectNode) mapper.readTree(rows.getString(1)));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON is unreadable", e);
            }
            return devices;
        }
    }
}
