package com.lockstep.identity.domain;

import java.time.Instant;
import java.util.UUID;

/** A user of an access control system, as identity-service knows it from credential-service's events. */
public record AcsUser(
        UUID acsUserId,
        UUID workspaceId,
        UUID acsSystemId,
        UUID connectedAccountId,
        UUID userIdentityId,
        String displayName,
        String fullName,
        String emailAddress,
        String phoneNumber,
        Instant createdAt) {
}
