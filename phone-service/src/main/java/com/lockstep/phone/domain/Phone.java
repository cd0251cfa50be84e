package com.lockstep.phone.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/** An app user's phone, with every field of Seam's {@code phone} object. */
public record Phone(
        UUID deviceId,
        UUID workspaceId,
        UUID ownerUserIdentityId,
        DeviceType deviceType,
        String nickname,
        String displayName,
        ObjectNode customMetadata,
        ObjectNode properties,
        ArrayNode errors,
        ArrayNode warnings,
        String customSdkInstallationId,
        Instant createdAt,
        Instant deactivatedAt) {

    public boolean active() {
        return deactivatedAt == null;
    }
}
