package com.lockstep.credential.store;

import com.lockstep.credential.domain.AcsSystemRef;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** ACS systems, a projection of device-gateway's acs_system events. */
@ApplicationScoped
public class AcsSystemStore {

    public void upsert(Connection tx, AcsSystemRef system, String name) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO acs_system (acs_system_id, workspace_id, "
                + "connected_account_id, external_type, name, is_credential_manager) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (acs_system_id) DO UPDATE SET connected_account_id = EXCLUDED.connected_account_id, "
                + "external_type = EXCLUDED.external_type, name = EXCLUDED.name, "
                + "is_credential_manager = EXCLUDED.is_credential_manager")) {
            upsert.setObject(1, system.acsSystemId());
            upsert.setObject(2, system.workspaceId());
            upsert.setObject(3, system.connectedAccountId());
            upsert.setString(4, system.externalType());
            upsert.setString(5, name);
            upsert.setBoolean(6, system.credentialManager());
            upsert.executeUpdate();
        }
    }

    public Optional<AcsSystemRef> find(Connection connection, UUID workspaceId, UUID acsSystemId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT acs_system_id, workspace_id, connected_account_id, "
                + "external_type, is_credential_manager FROM acs_system WHERE workspace_id = ? AND acs_system_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, acsSystemId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new AcsSystemRef(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                        row.getObject(3, UUID.class), row.getString(4), row.getBoolean(5)));
            }
        }
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear(Connection tx) throws SQLException {
        try (var delete = tx.createStatement()) {
            delete.executeUpdate("DELETE FROM acs_system");
        }
    }
}
