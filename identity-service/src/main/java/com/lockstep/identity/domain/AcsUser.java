package com.lockstep.identity.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A user of an access control system, as identity-service knows it from credential-service's events:
 * its fields as acs_user.created gave them, or as the latest acs_user.updated did. The access
 * schedule's start and end are both null when it has none.
 */
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
        boolean isSuspended,
        Instant accessScheduleStartsAt,
        Instant accessScheduleEndsAt,
        Instant createdAt) {
}
