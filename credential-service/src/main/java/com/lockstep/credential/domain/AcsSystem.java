package com.lockstep.credential.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** What credential-service knows of an ACS system, projected from device-gateway's events. */
@Entity
@Table(name = "acs_system")
public class AcsSystem {

    @Id
    @Column(name = "acs_system_id")
    private UUID acsSystemId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "connected_account_id", nullable = false)
    private UUID connectedAccountId;
    @Column(name = "external_type", nullable = false)
    private String externalType;
    @Column(nullable = false)
    private String name;
    @Column(name = "is_credential_manager", nullable = false)
    private boolean credentialManager;

    protected AcsSystem() {
    }

    public AcsSystem(UUID acsSystemId, UUID workspaceId, UUID connectedAccountId, String externalType, String name,
                     boolean credentialManager) {
        this.acsSystemId = acsSystemId;
        this.workspaceId = workspaceId;
        this.connectedAccountId = connectedAccountId;
        this.externalType = externalType;
        this.name = name;
        this.credentialManager = credentialManager;
    }

    /** Added again: the latest event's fields count (the workspace stays). */
    public void addedAgain(AcsSystem added) {
        connectedAccountId = added.connectedAccountId;
        externalType = added.externalType;
        name = added.name;
        credentialManager = added.credentialManager;
    }

    public UUID acsSystemId() {
        return acsSystemId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID connectedAccountId() {
        return connectedAccountId;
    }

    public String externalType() {
        return externalType;
    }

    public boolean credentialManager() {
        return credentialManager;
    }
}
