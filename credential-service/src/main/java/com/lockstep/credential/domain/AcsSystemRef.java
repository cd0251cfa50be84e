package com.lockstep.credential.domain;

import java.util.UUID;

/** What credential-service knows of an ACS system, from device-gateway's events. */
public record AcsSystemRef(UUID acsSystemId, UUID workspaceId, UUID connectedAccountId, String externalType,
                           boolean credentialManager) {
}
