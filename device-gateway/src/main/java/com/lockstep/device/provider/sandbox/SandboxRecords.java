package com.lockstep.device.provider.sandbox;

import com.lockstep.device.provider.AcsCredentialGrant;
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

/** The sandbox provider's own tables: the workspaces it provisioned, and what its ACSs hold. */
@ApplicationScoped
public class SandboxRecords {

    /**
     * Marks the workspace provisioned with this account; false if it was already (a concurrent
     * claim waits for the first to commit, then finds it).
     */
    public boolean claimWorkspace(Connection tx, UUID workspaceId, UUID connectedAccountId, Instant at) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO sandbox_workspace (workspace_id, connected_account_id, "
                + "provisioned_at) VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO NOTHING")) {
            insert.setObject(1, workspaceId);
            insert.setObject(2, connectedAccountId);
            insert.setTimestamp(3, Timestamp.from(at));
            return insert.executeUpdate() == 1;
        }
    }

    public Optional<UUID> provisionedAccount(Connection connection, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT connected_account_id FROM sandbox_workspace WHERE workspace_id = ?")) {
            select.setObject(1, workspaceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** Holds the credential (again); counts the request either way. */
    public void program(Connection tx, UUID acsSystemId, AcsCredentialGrant credential, Instant at) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO sandbox_acs_credential (acs_credential_id, acs_system_id, "
                + "workspace_id, access_method, acs_user_id, device_id, user_identity_id, programmed_at, times_programmed) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (acs_credential_id) DO UPDATE SET removed_at = NULL, "
                + "times_programmed = sandbox_acs_credential.times_programmed + 1")) {
            upsert.setObject(1, credential.acsCredentialId());
            upsert.setObject(2, acsSystemId);
            upsert.setObject(3, credential.workspaceId());
            upsert.setString(4, credential.accessMethod());
            upsert.setObject(5, credential.acsUserId());
            upsert.setObject(6, credential.deviceId());
            upsert.setObject(7, credential.userIdentityId());
            upsert.setTimestamp(8, Timestamp.from(at));
            upsert.executeUpdate();
        }
    }

    /** Drops the credential if it is held; counts the request if the credential is known. */
    public void remove(Connection tx, UUID acsSystemId, UUID acsCredentialId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE sandbox_acs_credential SET removed_at = COALESCE(removed_at, ?), "
                + "times_removed = times_removed + 1 WHERE acs_credential_id = ? AND acs_system_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, acsCredentialId);
            update.setObject(3, acsSystemId);
            update.executeUpdate();
        }
    }

    /** Every credential the system was asked to program, held or removed, in the order they were programmed. */
    public List<SandboxAcsCredential> credentials(Connection connection, UUID workspaceId, UUID acsSystemId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT acs_credential_id, acs_system_id, access_method, "
                + "acs_user_id, device_id, user_identity_id, programmed_at, removed_at, times_programmed, times_removed "
                + "FROM sandbox_acs_credential WHERE workspace_id = ? AND acs_system_id = ? ORDER BY programmed_at, acs_credential_id")) {
            select.setObject(1, workspaceId);
            select.setObject(2, acsSystemId);
            List<SandboxAcsCredential> credentials = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp removed = rows.getTimestamp("removed_at");
                    credentials.add(new SandboxAcsCredential(
                            rows.getObject("acs_credential_id", UUID.class),
                            rows.getObject("acs_system_id", UUID.class),
                            rows.getString("access_method"),
                            rows.getObject("acs_user_id", UUID.class),
                            rows.getObject("device_id", UUID.class),
                            rows.getObject("user_identity_id", UUID.class),
                            rows.getTimestamp("programmed_at").toInstant(),
                            removed == null ? null : removed.toInstant(),
                            rows.getInt("times_programmed"),
                            rows.getInt("times_removed")));
                }
            }
            return credentials;
        }
    }
}
