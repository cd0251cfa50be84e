package com.lockstep.identity.domain;

import java.time.Instant;
import java.util.UUID;

/** A shareable link that opens a client session of one user identity, with that identity's credentials. */
public record InstantKey(
        UUID instantKeyId,
        UUID workspaceId,
        UUID userIdentityId,
        UUID clientSessionId,
        String instantKeyUrl,
        int maxUseCount,
        Instant createdAt,
        Instant expiresAt) {
}
