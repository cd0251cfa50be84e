package com.lockstep.device.provider.sandbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A credential as a sandbox ACS knows it: what was programmed, whether it still holds it, and how
 * many times it was asked to program and to remove it.
 */
public record SandboxAcsCredential(UUID acsCredentialId, UUID acsSystemId, String accessMethod, UUID acsUserId,
                                   UUID deviceId, UUID userIdentityId, Instant programmedAt, Instant removedAt,
                                   int timesProgrammed, int timesRemoved) {

    public boolean held() {
        return removedAt == null;
    }
}
