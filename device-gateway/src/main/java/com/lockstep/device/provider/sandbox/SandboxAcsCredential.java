package com.lockstep.device.provider.sandbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A credential as a sandbox ACS knows it: what was programmed, whether it still holds it, and how
 * many times it was asked to program and to remove it. Rows are written only by
 * {@link SandboxAcsCredentialRepository}'s statements, never through the entity.
 */
@Entity
@Table(name = "sandbox_acs_credential")
public class SandboxAcsCredential {

    @Id
    @Column(name = "acs_credential_id")
    private UUID acsCredentialId;
    @Column(name = "acs_system_id", nullable = false, updatable = false)
    private UUID acsSystemId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "access_method", nullable = false, updatable = false)
    private String accessMethod;
    @Column(name = "acs_user_id", updatable = false)
    private UUID acsUserId;
    @Column(name = "device_id", updatable = false)
    private UUID deviceId;
    @Column(name = "user_identity_id", updatable = false)
    private UUID userIdentityId;
    @Column(name = "programmed_at", nullable = false, updatable = false)
    private Instant programmedAt;
    @Column(name = "removed_at")
    private Instant removedAt;
    @Column(name = "times_programmed", nullable = false)
    private int timesProgrammed;
    @Column(name = "times_removed", nullable = false)
    private int timesRemoved;

    protected SandboxAcsCredential() {
    }

    public boolean held() {
        return removedAt == null;
    }

    public UUID acsCredentialId() {
        return acsCredentialId;
    }

    public UUID acsSystemId() {
        return acsSystemId;
    }

    public String accessMethod() {
        return accessMethod;
    }

    public UUID acsUserId() {
        return acsUserId;
    }

    public UUID deviceId() {
        return deviceId;
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public Instant programmedAt() {
        return programmedAt;
    }

    public Instant removedAt() {
        return removedAt;
    }

    public int timesProgrammed() {
        return timesProgrammed;
    }

    public int timesRemoved() {
        return timesRemoved;
    }
}
