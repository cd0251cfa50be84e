package com.lockstep.identity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The projection of ACS systems: each one's Seam object, from device-gateway's acs_system events. */
@ApplicationScoped
public class AcsSystemStore {

    private final ObjectMapper mapper;

    public AcsSystemStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void upsert(Connection tx, UUID acsSystemId, UUID workspaceId, ObjectNode acsSystem) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO acs_system (acs_system_id, workspace_id, acs_system) "
                + "VALUES (?, ?, ?::jsonb) ON CONFLICT (acs_system_id) DO UPDATE SET acs_system = EXCLUDED.acs_system")) {
            upsert.setObject(1, acsSystemId);
            upsert.setObject(2, workspaceId);
            upsert.setString(3, acsSystem.toString());
            upsert.executeUpdate();
        }
    }

    /** Replaces the system's errors and warnings; a system not known yet is left alone. */
    public void setHealth(Connection tx, UUID acsSystemId, ArrayNode errors, ArrayNode warnings) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE acs_system SET acs_system = "
                + "acs_system || jsonb_build_object('errors', ?::jsonb, 'warnings', ?::jsonb) WHERE acs_system_id = ?")) {
            update.setString(1, errors.toString());
            update.setString(2, warnings.toString());
            update.setObject(3, acsSystemId);
            update.executeUpdate();
        }
    }

    public void clear(Connection tx) throws SQLException {
        try (Statement truncate = tx.createStatement()) {
            truncate.execute("TRUNCATE acs_system");
        }
    }

    /** Which of {@code acsSystemIds} the workspace has. */
    public Set<UUID> existing(Connection connection, UUID workspaceId, Collection<UUID> acsSystemIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT acs_system_id FROM acs_system WHERE workspace_id = ? AND acs_system_id = ANY (?)")) {
            select.setObject(1, workspaceId);
            select.setArray(2, connection.createArrayOf("uuid", acsSystemIds.toArray()));
            Set<UUID> found = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getObject(1, UUID.class));
                }
            }
            return found;
        }
    }

    /** The systems of the ACS users linked to the identity, in acs_system_id order. */
    public List<ObjectNode> ofIdentity(Connection connection, UUID userIdentityId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT s.acs_system FROM acs_system s "
                + "WHERE s.acs_system_id IN (SELECT l.acs_system_id FROM acs_user_link l "
                + "WHERE l.user_identity_id = ? AND l.removed_at IS NULL) ORDER BY s.acs_system_id")) {
            select.setObject(1, userIdentityId);
            List<ObjectNode> systems = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    systems.add((ObjectNode) mapper.readTree(rows.getString(1)));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON is unreadable", e);
            }
            return systems;
        }
    }
}
