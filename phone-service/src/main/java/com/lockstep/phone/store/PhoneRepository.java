package com.lockstep.phone.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.phone.domain.DeviceType;
import com.lockstep.phone.domain.Phone;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Phones in phone-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class PhoneRepository implements PanacheRepositoryBase<Phone, UUID> {

    private static final String ACTIVE_PHONE = "SELECT device_id, workspace_id, owner_user_identity_id, device_type,"
            + " nickname, display_name, custom_metadata, properties, errors, warnings, custom_sdk_installation_id, created_at"
            + " FROM phone WHERE workspace_id = ? AND device_id = ? AND deactivated_at IS NULL";

    private final ObjectMapper mapper;

    public PhoneRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * {@code /phones/get}'s read: one statement on the caller's connection, not a Hibernate session.
     * Measured in one session with a 40 s warm-up, a session per request (request-scoped or
     * stateless) cost 40 % and more of the requests/s (docs/quarkus-stack.md).
     */
    public Optional<Phone> findActive(Connection connection, UUID workspaceId, UUID deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(ACTIVE_PHONE)) {
            select.setObject(1, workspaceId);
            select.setObject(2, deviceId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Phone(row.getObject("device_id", UUID.class), row.getObject("workspace_id", UUID.class),
                        row.getObject("owner_user_identity_id", UUID.class), DeviceType.valueOf(row.getString("device_type")),
                        row.getString("nickname"), row.getString("display_name"),
                        json(row, "custom_metadata", ObjectNode.class), json(row, "properties", ObjectNode.class),
                        json(row, "errors", ArrayNode.class), json(row, "warnings", ArrayNode.class),
                        row.getString("custom_sdk_installation_id"), row.getTimestamp("created_at").toInstant()));
            }
        }
    }

    private <T> T json(ResultSet row, String column, Class<T> type) throws SQLException {
        try {
            return mapper.readValue(row.getString(column), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON in phone." + column + " is unreadable", e);
        }
    }

    /** Locks the phone's row, so its events are written in the order they happen. */
    public Optional<Phone> lock(UUID workspaceId, UUID deviceId) {
        return findByIdOptional(deviceId, LockModeType.PESSIMISTIC_WRITE).filter(phone -> phone.workspaceId().equals(workspaceId));
    }

    /**
     * Active phones, newest first, after {@code cursor}; returns up to {@code limit + 1} rows
     * so the caller knows whether another page follows.
     */
    public List<Phone> listActive(UUID workspaceId, UUID ownerUserIdentityId, UUID acsCredentialId, PageCursor cursor, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace and deactivatedAt is null");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (ownerUserIdentityId != null) {
            query.append(" and ownerUserIdentityId = :owner");
            parameters.and("owner", ownerUserIdentityId);
        }
        if (acsCredentialId != null) {
            query.append(" and deviceId in (select c.deviceId from IssuedCredential c"
                    + " where c.workspaceId = :workspace and c.acsCredentialId = :credential)");
            parameters.and("credential", acsCredentialId);
        }
        if (cursor != null) {
            query.append(" and (createdAt, deviceId) < (:cursorCreatedAt, :cursorId)");
            parameters.and("cursorCreatedAt", cursor.createdAt()).and("cursorId", cursor.id());
        }
        query.append(" order by createdAt desc, deviceId desc");
        return find(query.toString(), parameters).range(0, limit).list();
    }
}
