package com.lockstep.phone.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.api.SeamJson;
import com.lockstep.phone.domain.Phone;

/** Seam's {@code phone} object. */
final class PhoneJson {

    private PhoneJson() {
    }

    static ObjectNode of(Phone phone) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("device_id", phone.deviceId().toString());
        json.put("workspace_id", phone.workspaceId().toString());
        json.put("device_type", phone.deviceType().name());
        json.put("display_name", phone.displayName());
        if (phone.nickname() != null) {
            json.put("nickname", phone.nickname());
        }
        json.set("custom_metadata", phone.customMetadata());
        json.set("properties", phone.properties());
        json.set("errors", phone.errors());
        json.set("warnings", phone.warnings());
        json.put("created_at", SeamJson.timestamp(phone.createdAt()));
        return json;
    }
}
