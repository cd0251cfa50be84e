package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.InstantKey;
import com.lockstep.kit.api.SeamJson;

/** Seam's {@code instant_key} object. */
final class InstantKeyJson {

    private InstantKeyJson() {
    }

    static ObjectNode of(InstantKey key) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("instant_key_id", key.instantKeyId().toString());
        json.put("instant_key_url", key.instantKeyUrl());
        json.put("client_session_id", key.clientSessionId().toString());
        json.put("user_identity_id", key.userIdentityId().toString());
        json.put("workspace_id", key.workspaceId().toString());
        json.put("created_at", SeamJson.timestamp(key.createdAt()));
        json.put("expires_at", SeamJson.timestamp(key.expiresAt()));
        return json;
    }
}
