package com.lockstep.identity.domain;

import java.time.Instant;
import java.util.UUID;

/** An app's user account, with the fields of Seam's {@code user_identity} object that it owns. */
public record UserIdentity(
        UUID userIdentityId,
        UUID workspaceId,
        String userIdentityKey,
        String emailAddress,
        String phoneNumber,
        String fullName,
        Instant createdAt) {

    /** Seam's display name: the full name, else the first contact detail or key the identity has. */
    public String displayName() {
        for (String candidate : new String[] {fullName, emailAddress, phoneNumber, userIdentityKey}) {
            if (candidate != null) {
                return candidate;
            }
        }
        return "Unnamed user identity";
    }

    public UserIdentity withProfile(UserIdentityProfile profile) {
        return new UserIdentity(userIdentityId, workspaceId, profile.userIdentityKey(), profile.emailAddress(),
                profile.phoneNumber(), profile.fullName(), createdAt);
    }

    public UserIdentityProfile profile() {
        return new UserIdentityProfile(userIdentityKey, emailAddress, phoneNumber, fullName);
    }
}
