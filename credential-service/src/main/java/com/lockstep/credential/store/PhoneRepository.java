package com.lockstep.credential.store;

import com.lockstep.credential.domain.Phone;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Phones, a projection of phone-service's events. The lost-phone flow reads and deactivates a
 * poll's phones together, so the table's writes and that read are set-based SQL on the
 * transaction's connection; there is never an unflushed phone entity for them to miss.
 */
@ApplicationScoped
public class PhoneRepository implements PanacheRepositoryBase<Phone, UUID> {

    /** A phone as far as its credentials are concerned. */
    public record PhoneRow(UUID deviceId, UUID workspaceId, UUID ownerUserIdentityId) {
    }

    /**
     * Records a registration; false if the phone was already known (it then stays as it is). SQL:
     * the deactivations that may follow in the same transaction read the table with SQL.
     */
    public boolean insertIfAbsent(Connection tx, UUID deviceId, UUID workspaceId, UUID owner, Instant at) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO phone (device_id, workspace_id, "
                + "owner_user_identity_id, registered_at) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO NOTHING")) {
            insert.setObject(1, deviceId);
            insert.setObject(2, workspaceId);
            insert.setObject(3, owner);
            insert.setTimestamp(4, Timestamp.from(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** The known phones among {@code deviceIds}, by id: one statement for a poll's deactivations. */
    public Map<UUID, PhoneRow> findAll(Connection tx, List<UUID> deviceIds) throws SQLException {
        try (PreparedStatement select = tx.prepareStatement(
                "SELECT device_id, workspace_id, owner_user_identity_id FROM phone WHERE device_id = ANY (?)")) {
            select.setArray(1, tx.createArrayOf("uuid", deviceIds.toArray()));
            Map<UUID, PhoneRow> phones = new HashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    PhoneRow phone = new PhoneRow(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                            row.getObject(3, UUID.class));
                    phones.put(phone.deviceId(), phone);
                }
            }
            return phones;
        }
    }

    /** One statement for a poll's deactivations. */
    public void markDeactivated(Connection tx, List<UUID> deviceIds, Instant at) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE phone SET deactivated_at = ? WHERE device_id = ANY (?) AND deactivated_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setArray(2, tx.createArrayOf("uuid", deviceIds.toArray()));
            update.executeUpdate();
        }
    }

    /** The active phones of a user identity, which its multi-phone-sync credentials reach. */
    public List<UUID> activeOf(UUID workspaceId, UUID owner) {
        return getEntityManager().createQuery("select p.deviceId from Phone p where p.workspaceId = :workspace "
                        + "and p.ownerUserIdentityId = :owner and p.deactivatedAt is null order by p.registeredAt, p.deviceId", UUID.class)
                .setParameter("workspace", workspaceId)
                .setParameter("owner", owner)
                .getResultList();
    }
}
