package com.lockstep.device.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.device.domain.AcsSystem;
import com.lockstep.kit.api.SeamJson;

/** Seam's {@code acs_system} object. */
final class AcsSystemJson {

    private AcsSystemJson() {
    }

    static ObjectNode of(AcsSystem system) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("acs_system_id", system.acsSystemId().toString());
        json.put("name", system.name());
        json.put("external_type", system.externalType());
        json.put("external_type_display_name", system.externalTypeDisplayName());
        // Seam's deprecated names of the same two fields.
        json.put("system_type", system.externalType());
        json.put("system_type_display_name", system.externalTypeDisplayName());
        json.put("is_credential_manager", system.credentialManager());
        json.putObject("location").put("time_zone", system.timeZone());
        json.put("workspace_id", system.workspaceId().toString());
        json.put("connected_account_id", system.connectedAccountId().toString());
        json.putArray("connected_account_ids").add(system.connectedAccountId().toString());
        json.put("image_url", system.imageUrl());
        json.put("image_alt_text", system.imageAltText());
        json.set("errors", system.errors());
        json.set("warnings", system.warnings());
        json.put("created_at", SeamJson.timestamp(system.createdAt()));
        return json;
    }
}
