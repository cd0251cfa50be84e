package com.lockstep.identity.domain;

import java.time.Instant;
import java.util.UUID;

/** A workspace's API key, as stored: its hash, never the key. */
public record ApiKey(UUID apiKeyId, UUID workspaceId, String keyHash, String name, Instant createdAt, Instant revokedAt) {
}
