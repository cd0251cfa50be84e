package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A shareable link that opens a client session of one user identity, with that identity's credentials. Set once. */
@Entity
@Table(name = "instant_key")
public class InstantKey {

    @Id
    @Column(name = "instant_key_id")
    private UUID instantKeyId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "user_identity_id", nullable = false, updatable = false)
    private UUID userIdentityId;
    @Column(name = "client_session_id", nullable = false, updatable = false)
    private UUID clientSessionId;
    @Column(name = "instant_key_url", nullable = false, updatable = false)
    private String instantKeyUrl;
    @Column(name = "max_use_count", nullable = false, updatable = false)
    private int maxUseCount;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    protected InstantKey() {
    }

    public InstantKey(UUID instantKeyId, UUID workspaceId, UUID userIdentityId, UUID clientSessionId, String instantKeyUrl,
                      int maxUseCount, Instant createdAt, Instant expiresAt) {
        this.instantKeyId = instantKeyId;
        this.workspaceId = workspaceId;
        this.userIdentityId = userIdentityId;
        this.clientSessionId = clientSessionId;
        this.instantKeyUrl = instantKeyUrl;
        this.maxUseCount = maxUseCount;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public UUID instantKeyId() {
        return instantKeyId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public UUID clientSessionId() {
        return clientSessionId;
    }

    public String instantKeyUrl() {
        return instantKeyUrl;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
