package com.lockstep.device.provider;

import java.util.UUID;

/**
 * A credential to put on an access control system, from {@code acs_credential.issued}; the ACS
 * user, phone and user identity are null when the credential has none.
 */
public record AcsCredentialGrant(UUID acsCredentialId, UUID workspaceId, String accessMethod, UUID acsUserId,
                                 UUID deviceId, UUID userIdentityId) {
}
