package com.lockstep.device.provider.sandbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The workspaces the sandbox provisioned. */
@ApplicationScoped
public class SandboxWorkspaceRepository implements PanacheRepositoryBase<SandboxWorkspace, UUID> {

    /**
     * Marks the workspace provisioned with this account; false if it was already (a concurrent
     * claim waits for the first to commit, then finds it).
     */
    public boolean claim(UUID workspaceId, UUID connectedAccountId, Instant at) {
        // SQL: ON CONFLICT DO NOTHING decides atomically against a concurrent claim, which a
        // find-then-persist would turn into a primary key violation at commit.
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sandbox_workspace (workspace_id,"
                    + " connected_account_id, provisioned_at) VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO NOTHING")) {
                insert.setObject(1, workspaceId);
                insert.setObject(2, connectedAccountId);
                insert.setTimestamp(3, Timestamp.from(at));
                return insert.executeUpdate() == 1;
            }
        });
    }

    public Optional<UUID> provisionedAccount(UUID workspaceId) {
        return findByIdOptional(workspaceId).map(SandboxWorkspace::connectedAccountId);
    }
}
