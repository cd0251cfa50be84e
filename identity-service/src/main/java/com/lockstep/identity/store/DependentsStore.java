package com.lockstep.identity.store;

import com.lockstep.identity.domain.Dependents;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The projections that decide whether a user identity may be deleted: credentials (from
 * credential events), enrollment automations (from enrollment automation events) and phones
 * (from phone events).
 */
@ApplicationScoped
public class DependentsStore {

    public void credentialIssued(Connection tx, UUID acsCredentialId, UUID workspaceId, UUID userIdentityId, UUID acsUserId)
            throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO credential (acs_credential_id, workspace_id, "
                + "user_identity_id, acs_user_id) VALUES (?, ?, ?, ?) ON CONFLICT (acs_credential_id) DO UPDATE SET "
                + "user_identity_id = EXCLUDED.user_identity_id, acs_user_id = EXCLUDED.acs_user_id")) {
            upsert.setObject(1, acsCredentialId);
            upsert.setObject(2, workspaceId);
            upsert.setObject(3, userIdentityId);
            upsert.setObject(4, acsUserId);
            upsert.executeUpdate();
        }
    }

    public void credentialsDeleted(Connection tx, List<UUID> acsCredentialIds) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement("DELETE FROM credential WHERE acs_credential_id = ANY (?)")) {
            delete.setArray(1, tx.createArrayOf("uuid", acsCredentialIds.toArray()));
            delete.executeUpdate();
        }
    }

    public void enrollmentAutomationLaunched(Connection tx, UUID enrollmentAutomationId, UUID workspaceId, UUID userIdentityId)
            throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO enrollment_automation (enrollment_automation_id, "
                + "workspace_id, user_identity_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, enrollmentAutomationId);
            insert.setObject(2, workspaceId);
            insert.setObject(3, userIdentityId);
            insert.executeUpdate();
        }
    }

    public void enrollmentAutomationDeleted(Connection tx, UUID enrollmentAutomationId) throws SQLException {
        deleteById(tx, "DELETE FROM enrollment_automation WHERE enrollment_automation_id = ?", enrollmentAutomationId);
    }

    public void phoneRegistered(Connection tx, UUID deviceId, UUID workspaceId, UUID userIdentityId) throws SQLException {
        upsertPhone(tx, deviceId, workspaceId, userIdentityId, false);
    }

    public void phoneDeactivated(Connection tx, UUID deviceId, UUID workspaceId, UUID userIdentityId) throws SQLException {
        upsertPhone(tx, deviceId, workspaceId, userIdentityId, true);
    }

    public void clearCredentials(Connection tx) throws SQLException {
        truncate(tx, "credential");
    }

    public void clearEnrollmentAutomations(Connection tx) throws SQLException {
        truncate(tx, "enrollment_automation");
    }

    public void clearPhones(Connection tx) throws SQLException {
        truncate(tx, "phone");
    }

    /** The identity's credentials (its own or its linked ACS users'), enrollment automations and active phones. */
    public Dependents of(Connection connection, UUID workspaceId, UUID userIdentityId) throws SQLException {
        return new Dependents(
                // A credential of an ACS user counts through the user's link as it is now: once the user is
                // removed from the identity, its credentials stay with the user, not with the identity.
                ids(connection, "SELECT acs_credential_id FROM credential WHERE workspace_id = ? AND ((acs_user_id IS NULL AND user_identity_id = ?)"
                        + " OR acs_user_id IN (SELECT acs_user_id FROM acs_user_link WHERE user_identity_id = ? AND removed_at IS NULL))"
                        + " ORDER BY acs_credential_id", workspaceId, userIdentityId, userIdentityId),
                ids(connection, "SELECT enrollment_automation_id FROM enrollment_automation WHERE workspace_id = ?"
                        + " AND user_identity_id = ? ORDER BY enrollment_automation_id", workspaceId, userIdentityId),
                ids(connection, "SELECT device_id FROM phone WHERE workspace_id = ? AND user_identity_id = ?"
                        + " AND NOT deactivated ORDER BY device_id", workspaceId, userIdentityId));
    }

    private static void upsertPhone(Connection tx, UUID deviceId, UUID workspaceId, UUID userIdentityId, boolean deactivated)
            throws SQLException {
        // A deactivated phone never becomes active again, whatever order the events are applied in.
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO phone (device_id, workspace_id, user_identity_id, "
                + "deactivated) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET "
                + "deactivated = phone.deactivated OR EXCLUDED.deactivated")) {
            upsert.setObject(1, deviceId);
            upsert.setObject(2, workspaceId);
            upsert.setObject(3, userIdentityId);
            upsert.setBoolean(4, deactivated);
            upsert.executeUpdate();
        }
    }

    private static List<UUID> ids(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static void deleteById(Connection tx, String sql, UUID id) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement(sql)) {
            delete.setObject(1, id);
            delete.executeUpdate();
        }
    }

    private static void truncate(Connection tx, String table) throws SQLException {
        try (Statement truncate = tx.createStatement()) {
            truncate.execute("TRUNCATE " + table);
        }
    }
}
