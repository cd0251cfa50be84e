package com.lockstep.device.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's account at a provider (Seam's {@code connected_account}); {@code provider} names the
 * adapter that speaks to it. {@code customMetadata}, {@code errors} and {@code warnings} are Seam's JSON.
 */
public record ConnectedAccount(
        UUID connectedAccountId,
        UUID workspaceId,
        String provider,
        String accountType,
        String accountTypeDisplayName,
        String displayName,
        String imageUrl,
        List<String> acceptedCapabilities,
        boolean automaticallyManageNewDevices,
        ObjectNode customMetadata,
        ArrayNode errors,
        ArrayNode warnings,
        Instant createdAt) {
}
