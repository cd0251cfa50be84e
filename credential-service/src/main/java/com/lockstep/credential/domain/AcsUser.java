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

    /**
     * The ACS user created for a user identity that asks for one on an ACS system: named after the
     * identity (its full name, else its email address, phone number or id), with its contact.
     */
    public static AcsUser forIdentity(AcsSystemRef system, UUID userIdentityId, IdentityContact contact, Instant createdAt) {
        String fullName = contact.fullName() != null ? contact.fullName()
                : contact.emailAddress() != null ? contact.emailAddress()
                : contact.phoneNumber() != null ? contact.phoneNumber() : userIdentityId.toString();
        return new AcsUser(UUID.randomUUID(), system.workspaceId(), system.acsSystemId(), system.connectedAccountId(),
                system.externalType(), userIdentityId, contact, fullName, contact.emailAddress(), contact.phoneNumber(),
                null, null, false, createdAt);
    }

    /** This ACS user, suspended or not. */
    public AcsUser withSuspended(boolean isSuspended) {
        return new AcsUser(acsUserId, workspaceId, acsSystemId, connectedAccountId, systemExternalType, userIdentityId, identity,
                fullName, emailAddress, phoneNumber, accessScheduleStartsAt, accessScheduleEndsAt, isSuspended, createdAt);
    }

    /** This ACS user, linked to another user identity (null: to none); the identity's contact is not known here. */
    public AcsUser withUserIdentityId(UUID linkedUserIdentityId) {
        return new AcsUser(acsUserId, workspaceId, acsSystemId, connectedAccountId, systemExternalType, linkedUserIdentityId, null,
                fullName, emailAddress, phoneNumber, accessScheduleStartsAt, accessScheduleEndsAt, suspended, createdAt);
    }

    /** What an ACS user shows of its user identity. */
    public record IdentityContact(String emailAddress, String phoneNumber, String fullName) {
    }
}
