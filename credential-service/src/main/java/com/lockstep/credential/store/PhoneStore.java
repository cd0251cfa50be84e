package com.lockstep.credential.store;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Phones, a projection of phone-service's events. */
@ApplicationScoped
public class PhoneStore {

    /** A phone as far as its credentials are concerned. */
    public record PhoneRow(UUID deviceId, UUID workspaceId, UUID ownerUserIdentityId, boolean active) {
    }

    /** Records a registration; false if the phone was already known (it then stays as it is). */
    public boolean insertIfAbsent(Connection tx, UUID deviceId, UUID workspaceId, UUID owner, Instant at) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO phone (device_id, workspace_id, "
                + "owner_user_identity_id, registered_at) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO NOTHING")) {
            insert.setObject(1, deviceId);
            insert.setObject(2, workspaceId);
            insert.setObject(3, owner);
            insert.setTimestamp(4, Timestamp.from(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** The known phones among {@code deviceIds}, by id. */
    public Map<UUID, PhoneRow> findAll(Connection connection, List<UUID> deviceIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT device_id, workspace_id, owner_user_identity_id, "
                + "deactivated_at IS NULL FROM phone WHERE device_id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("uuid", deviceIds.toArray()));
            Map<UUID, PhoneRow> phones = new HashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    PhoneRow phone = new PhoneRow(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                            row.getObject(3, UUID.class), row.getBoolean(4));
                    phones.put(phone.deviceId(), phone);
                }
            }
            return phones;
        }
    }

    public void markDeactivated(Connection tx, List<UUID> deviceIds, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE phone SET deactivated_at = ? WHERE device_id = ANY (?) AND deactivated_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setArray(2, tx.createArrayOf("uuid", deviceIds.toArray()));
            update.executeUpdate();
        }
    }

    /** The active phones of a user identity, which its multi-phone-sync credentials reach. */
    public List<UUID> activeOf(Connection connection, UUID workspaceId, UUID owner) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT device_id FROM phone WHERE workspace_id = ? "
                + "AND owner_user_identity_id = ? AND deactivated_at IS NULL ORDER BY registered_at, device_id")) {
            select.setObject(1, workspaceId);
            select.setObject(2, owner);
            List<UUID> phones = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    phones.add(rows.getObject(1, UUID.class));
                }
            }
            return phones;
        }
    }
}
