package com.lockstep.credential.store;

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

    public Optional<PhoneRow> find(Connection connection, UUID deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT device_id, workspace_id, owner_user_identity_id, "
                + "deactivated_at IS NULL FROM phone WHERE device_id = ?")) {
            select.setObject(1, deviceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new PhoneRow(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                        row.getObject(3, UUID.class), row.getBoolean(4))) : Optional.empty();
            }
        }
    }

    public void markDeactivated(Connection tx, UUID deviceId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE phone SET deactivated_at = ? WHERE device_id = ? AND deactivated_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, deviceId);
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
