package com.lockstep.credential.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A user of an access control system, with every field of Seam's {@code acs_user} object that
 * Lockstep keeps. {@code identity} is the linked user identity's contact, if linked and known.
 */
public record AcsUser(
        UUID acsUserId,
        UUID workspaceId,
        UUID acsSystemId,
        UUID connectedAccountId,
        String systemExternalType,
        UUID userIdentityId,
        IdentityContact identity,
        String fullName,
        String emailAddress,
        String phoneNumber,
        Instant accessScheduleStartsAt,
        Instant accessScheduleEndsAt,
        boolean suspended,
        Instant createdAt) {

    /** What an ACS user shows of its user identity. */
    public record IdentityContact(String emailAddress, String phoneNumber, String fullName) {
    }
}
