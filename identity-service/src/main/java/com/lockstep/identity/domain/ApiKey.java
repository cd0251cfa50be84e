package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A workspace's API key, as stored: its hash, never the key. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @Column(name = "api_key_id")
    private UUID apiKeyId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "key_hash", nullable = false, updatable = false)
    private String keyHash;
    @Column(updatable = false)
    private String name;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {
    }

    public ApiKey(UUID apiKeyId, UUID workspaceId, String keyHash, String name, Instant createdAt) {
        this.apiKeyId = apiKeyId;
        this.workspaceId = workspaceId;
        this.keyHash = keyHash;
        this.name = name;
        this.createdAt = createdAt;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public void revoke(Instant at) {
        revokedAt = at;
    }

    public UUID apiKeyId() {
        return apiKeyId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public String keyHash() {
        return keyHash;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
