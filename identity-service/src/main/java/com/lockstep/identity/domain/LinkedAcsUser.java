package com.lockstep.identity.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An ACS user linked to a user identity, with the ACS user's profile where identity-service
 * knows it (null fields otherwise), to tell whether the two profiles match.
 */
public record LinkedAcsUser(
        UUID userIdentityId,
        UUID acsUserId,
        UUID acsSystemId,
        Instant linkedAt,
        String acsUserFullName,
        String acsUserEmailAddress,
        String acsUserPhoneNumber) {

    /** True when the ACS user has a name, email address or phone number the identity does not share. */
    public boolean profileDiffersFrom(UserIdentity identity) {
        return differs(acsUserFullName, identity.fullName(), false)
                || differs(acsUserEmailAddress, identity.emailAddress(), true)
                || differs(acsUserPhoneNumber, identity.phoneNumber(), false);
    }

    private static boolean differs(String acsUserValue, String identityValue, boolean ignoreCase) {
        if (acsUserValue == null) {
            return false;
        }
        return ignoreCase ? !acsUserValue.equalsIgnoreCase(identityValue) : !acsUserValue.equals(identityValue);
    }
}
