package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A successful response body: {@code {"<key>": ..., "ok": true}}, or {@code {"ok": true}} for actions. */
public final class SeamResponse {

    private final ObjectNode body = JsonNodeFactory.instance.objectNode();

    private SeamResponse() {
    }

    public static SeamResponse ok() {
        return new SeamResponse();
    }

    public static SeamResponse of(String key, JsonNode value) {
        return new SeamResponse().with(key, value);
    }

    public SeamResponse with(String key, JsonNode value) {
        body.set(key, value);
        return this;
    }

    ObjectNode body() {
        body.put("ok", true);
        return body;
    }
}
