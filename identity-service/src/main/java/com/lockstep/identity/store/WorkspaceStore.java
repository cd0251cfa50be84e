package com.lockstep.identity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.ApiKey;
import com.lockstep.identity.domain.Workspace;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Workspaces and their API keys in identity-service's database. */
@ApplicationScoped
public class WorkspaceStore {

    private final ObjectMapper mapper;

    public WorkspaceStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void insert(Connection tx, Workspace workspace) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO workspace (workspace_id, name, company_name, "
                + "is_sandbox, is_suspended, is_publishable_key_auth_enabled, connect_webview_customization, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            insert.setObject(1, workspace.workspaceId());
            insert.setString(2, workspace.name());
            insert.setString(3, workspace.companyName());
            insert.setBoolean(4, workspace.sandbox());
            insert.setBoolean(5, workspace.suspended());
            insert.setBoolean(6, workspace.publishableKeyAuthEnabled());
            insert.setString(7, workspace.connectWebviewCustomization().toString());
            insert.setTimestamp(8, Timestamp.from(workspace.createdAt()));
            insert.executeUpdate();
        }
    }

    public Optional<Workspace> find(Connection connection, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM workspace WHERE workspace_id = ?")) {
            select.setObject(1, workspaceId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Workspace(row.getObject("workspace_id", UUID.class), row.getString("name"),
                        row.getString("company_name"), row.getBoolean("is_sandbox"), row.getBoolean("is_suspended"),
                        row.getBoolean("is_publishable_key_auth_enabled"),
                        (ObjectNode) mapper.readTree(row.getString("connect_webview_customization")),
                        row.getTimestamp("created_at").toInstant()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored JSON is unreadable", e);
            }
        }
    }

    public void insert(Connection tx, ApiKey key) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO api_key (api_key_id, workspace_id, key_hash, name, created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, key.apiKeyId());
            insert.setObject(2, key.workspaceId());
            insert.setString(3, key.keyHash());
            insert.setString(4, key.name());
            insert.setTimestamp(5, Timestamp.from(key.createdAt()));
            insert.executeUpdate();
        }
    }

    /** Locks the key's row, so its state events are written in the order they happen. */
    public Optional<ApiKey> lockKey(Connection tx, UUID apiKeyId) throws SQLException {
        try (PreparedStatement select = tx.prepareStatement("SELECT * FROM api_key WHERE api_key_id = ? FOR UPDATE")) {
            select.setObject(1, apiKeyId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Timestamp revoked = row.getTimestamp("revoked_at");
                return Optional.of(new ApiKey(row.getObject("api_key_id", UUID.class), row.getObject("workspace_id", UUID.class),
                        row.getString("key_hash"), row.getString("name"), row.getTimestamp("created_at").toInstant(),
                        revoked == null ? null : revoked.toInstant()));
            }
        }
    }

    public void markRevoked(Connection tx, UUID apiKeyId, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE api_key SET revoked_at = ? WHERE api_key_id = ?")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, apiKeyId);
            update.executeUpdate();
        }
    }
}
