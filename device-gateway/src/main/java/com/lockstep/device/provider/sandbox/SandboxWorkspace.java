package com.lockstep.device.provider.sandbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * A workspace the sandbox provisioned (once), with the connected account it gave it; claimed only by
 * {@link SandboxWorkspaceRepository#claim}, and read for that account.
 */
@Entity
@Table(name = "sandbox_workspace")
public class SandboxWorkspace {

    @Id
    @Column(name = "workspace_id")
    private UUID workspaceId;
    @Column(name = "connected_account_id", nullable = false, updatable = false)
    private UUID connectedAccountId;

    protected SandboxWorkspace() {
    }

    public UUID connectedAccountId() {
        return connectedAccountId;
    }
}
