package com.lockstep.identity.store;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** The devices each user identity was granted access to. */
@ApplicationScoped
public class DeviceGrantStore {

    /** Returns false when the identity had access already. */
    public boolean grant(Connection tx, UUID workspaceId, UUID userIdentityId, UUID deviceId, Instant at) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO device_grant (user_identity_id, device_id, "
                + "workspace_id, granted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, userIdentityId);
            insert.setObject(2, deviceId);
            insert.setObject(3, workspaceId);
            insert.setTimestamp(4, Timestamp.from(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** Returns false when the identity had no access. */
    public boolean revoke(Connection tx, UUID userIdentityId, UUID deviceId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM device_grant WHERE user_identity_id = ? AND device_id = ?")) {
            delete.setObject(1, userIdentityId);
            delete.setObject(2, deviceId);
            return delete.executeUpdate() == 1;
        }
    }

    public void deleteAll(Connection tx, UUID userIdentityId) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM device_grant WHERE user_identity_id = ?")) {
            delete.setObject(1, userIdentityId);
            delete.executeUpdate();
        }
    }
}
