package com.lockstep.device.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.device.domain.ConnectedAccount;
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

/** Connected accounts in device-gateway's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class ConnectedAccountStore {

    private static final String COLUMNS = "connected_account_id, workspace_id, provider, account_type, account_type_display_name, "
            + "display_name, image_url, accepted_capabilities, automatically_manage_new_devices, custom_metadata, errors, warnings, created_at";

    private final ObjectMapper mapper;

    public ConnectedAccountStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void insert(Connection tx, ConnectedAccount account) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO connected_account (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)")) {
            insert.setObject(1, account.connectedAccountId());
            insert.setObject(2, account.workspaceId());
            insert.setString(3, account.provider());
            insert.setString(4, account.accountType());
            insert.setString(5, account.accountTypeDisplayName());
            insert.setString(6, account.displayName());
            insert.setString(7, account.imageUrl());
            insert.setString(8, json(account.acceptedCapabilities()));
            insert.setBoolean(9, account.automaticallyManageNewDevices());
            insert.setString(10, account.customMetadata().toString());
            insert.setString(11, account.errors().toString());
            insert.setString(12, account.warnings().toString());
            insert.setTimestamp(13, Timestamp.from(account.createdAt()));
            insert.executeUpdate();
        }
    }

    public Optional<ConnectedAccount> find(Connection connection, UUID workspaceId, UUID connectedAccountId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM connected_account WHERE workspace_id = ? AND connected_account_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, connectedAccountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    private ConnectedAccount read(ResultSet row) throws SQLException {
        List<String> capabilities = new ArrayList<>();
        tree(row.getString("accepted_capabilities")).forEach(capability -> capabilities.add(capability.asText()));
        return new ConnectedAccount(
                row.getObject("connected_account_id", UUID.class),
                row.getObject("workspace_id", UUID.class),
                row.getString("provider"),
                row.getString("account_type"),
                row.getString("account_type_display_name"),
                row.getString("display_name"),
                row.getString("image_url"),
                capabilities,
                row.getBoolean("automatically_manage_new_devices"),
                (ObjectNode) tree(row.getString("custom_metadata")),
                (ArrayNode) tree(row.getString("errors")),
                (ArrayNode) tree(row.getString("warnings")),
                row.getTimestamp("created_at").toInstant());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
