package com.lockstep.device.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.lockstep.device.domain.AcsSystem;
import com.lockstep.kit.db.LikePattern;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Access control systems in device-gateway's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class AcsSystemStore {

    private static final String COLUMNS = "acs_system_id, workspace_id, connected_account_id, name, external_type, "
            + "external_type_display_name, is_credential_manager, image_url, image_alt_text, time_zone, errors, warnings, created_at";

    private final ObjectMapper mapper;

    public AcsSystemStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void insert(Connection tx, AcsSystem system) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO acs_system (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            insert.setObject(1, system.acsSystemId());
            insert.setObject(2, system.workspaceId());
            insert.setObject(3, system.connectedAccountId());
            insert.setString(4, system.name());
            insert.setString(5, system.externalType());
            insert.setString(6, system.externalTypeDisplayName());
            insert.setBoolean(7, system.credentialManager());
            insert.setString(8, system.imageUrl());
            insert.setString(9, system.imageAltText());
            insert.setString(10, system.timeZone());
            insert.setString(11, system.errors().toString());
            insert.setString(12, system.warnings().toString());
            insert.setTimestamp(13, Timestamp.from(system.createdAt()));
            insert.executeUpdate();
        }
    }

    public void updateIssues(Connection tx, AcsSystem system) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE acs_system SET errors = ?::jsonb, warnings = ?::jsonb WHERE acs_system_id = ?")) {
            update.setString(1, system.errors().toString());
            update.setString(2, system.warnings().toString());
            update.setObject(3, system.acsSystemId());
            update.executeUpdate();
        }
    }

    public Optional<AcsSystem> find(Connection connection, UUID workspaceId, UUID acsSystemId) throws SQLException {
        return first(connection, "SELECT " + COLUMNS + " FROM acs_system WHERE workspace_id = ? AND acs_system_id = ?",
                workspaceId, acsSystemId);
    }

    /** Locks the system's row, so its events are written in the order its changes commit. */
    public Optional<AcsSystem> lock(Connection tx, UUID workspaceId, UUID acsSystemId) throws SQLException {
        return first(tx, "SELECT " + COLUMNS + " FROM acs_system WHERE workspace_id = ? AND acs_system_id = ? FOR UPDATE",
                workspaceId, acsSystemId);
    }

    /**
     * The workspace's systems, newest first; {@code search} matches the name anywhere or the id's
     * prefix (Seam's partial match).
     */
    public List<AcsSystem> list(Connection connection, UUID workspaceId, UUID connectedAccountId, String search) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM acs_system WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (connectedAccountId != null) {
            sql.append(" AND connected_account_id = ?");
            args.add(connectedAccountId);
        }
        if (search != null) {
            sql.append(" AND (name ILIKE ? " + LikePattern.ESCAPE + " OR acs_system_id::text LIKE ? " + LikePattern.ESCAPE + ")");
            args.add(LikePattern.containing(search));
            args.add(LikePattern.startingWith(search.toLowerCase()));
        }
        sql.append(" ORDER BY created_at DESC, acs_system_id DESC");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            List<AcsSystem> systems = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    systems.add(read(rows));
                }
            }
            return systems;
        }
    }

    private Optional<AcsSystem> first(Connection connection, String sql, UUID workspaceId, UUID acsSystemId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, workspaceId);
            select.setObject(2, acsSystemId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private AcsSystem read(ResultSet row) throws SQLException {
        return new AcsSystem(
                row.getObject("acs_system_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getObject("connected_account_id", UUID.class),
                row.getString("name"),
                row.getString("external_type"),
                row.getString("external_type_display_name"),
                row.getBoolean("is_credential_manager"),
                row.getString("image_url"),
                row.getString("image_alt_text"),
                row.getString("time_zone"),
                array(row.getString("errors")),
                array(row.getString("warnings")),
                row.getTimestamp("created_at").toInstant());
    }

    private ArrayNode array(String json) {
        try {
            return (ArrayNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
