package com.lockstep.phone.store;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** The phone each credential was issued to, projected from credential events. */
@ApplicationScoped
public class IssuedCredentialStore {

    public void issued(Connection tx, UUID acsCredentialId, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO issued_credential (acs_credential_id, workspace_id, device_id) "
                + "VALUES (?, ?, ?) ON CONFLICT (acs_credential_id) DO UPDATE SET device_id = EXCLUDED.device_id")) {
            upsert.setObject(1, acsCredentialId);
            upsert.setObject(2, workspaceId);
            upsert.setObject(3, deviceId);
            upsert.executeUpdate();
        }
    }

    public void deleted(Connection tx, List<UUID> acsCredentialIds) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM issued_credential WHERE acs_credential_id = ANY (?)")) {
            delete.setArray(1, tx.createArrayOf("uuid", acsCredentialIds.toArray()));
            delete.executeUpdate();
        }
    }
}
