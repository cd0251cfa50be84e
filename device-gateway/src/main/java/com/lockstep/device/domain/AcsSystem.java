package com.lockstep.device.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.kit.api.SeamJson;

import java.time.Instant;
import java.util.UUID;

/**
 * An access control system (Seam's {@code acs_system}), e.g. a credential manager that issues
 * mobile keys. {@code errors} and {@code warnings} are Seam's JSON objects.
 */
public record AcsSystem(
        UUID acsSystemId,
        UUID workspaceId,
        UUID connectedAccountId,
        String name,
        String externalType,
        String externalTypeDisplayName,
        boolean credentialManager,
        String imageUrl,
        String imageAltText,
        String timeZone,
        ArrayNode errors,
        ArrayNode warnings,
        Instant createdAt) {

    public static final String DISCONNECTED_ERROR = "acs_system_disconnected";

    public boolean connected() {
        for (JsonNode error : errors) {
            if (DISCONNECTED_ERROR.equals(error.path("error_code").asText())) {
                return false;
            }
        }
        return true;
    }

    /** Connected with no disconnection error, or disconnected with one (created {@code at}). */
    public AcsSystem withConnected(boolean connected, Instant at) {
        ArrayNode next = JsonNodeFactory.instance.arrayNode();
        errors.forEach(error -> {
            if (!DISCONNECTED_ERROR.equals(error.path("error_code").asText())) {
                next.add(error.deepCopy());
            }
        });
        if (!connected) {
            next.addObject()
                    .put("error_code", DISCONNECTED_ERROR)
                    .put("message", "The access control system is disconnected")
                    .put("created_at", SeamJson.timestamp(at));
        }
        return new AcsSystem(acsSystemId, workspaceId, connectedAccountId, name, externalType, externalTypeDisplayName,
                credentialManager, imageUrl, imageAltText, timeZone, next, warnings, createdAt);
    }
}
