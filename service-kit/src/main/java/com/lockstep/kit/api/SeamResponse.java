package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.KitApi;
import io.vertx.core.buffer.Buffer;

/**
 * A successful response body: {@code {"<key>": ..., "ok": true}}, or {@code {"ok": true}} for actions.
 * Either built as a JSON tree, or already written ({@link #rendered}): a body a service keeps
 * serialized, so that serving it again costs no serialization.
 */
@KitApi
public final class SeamResponse {

    private final ObjectNode body;
    private final Buffer rendered;

    private SeamResponse(ObjectNode body, Buffer rendered) {
        this.body = body;
        this.rendered = rendered;
    }

    public static SeamResponse ok() {
        return new SeamResponse(JsonNodeFactory.instance.objectNode(), null);
    }

    public static SeamResponse of(String key, JsonNode value) {
        return ok().with(key, value);
    }

    /**
     * A whole body already written as UTF-8 JSON in this class's shape ({@code {..., "ok": true}},
     * e.g. by {@link RenderedJson}); sent as it is. The buffer must not change afterwards: it may
     * be sent many times, concurrently.
     */
    public static SeamResponse rendered(Buffer body) {
        if (body == null) {
            throw new IllegalArgumentException("A rendered response needs a body");
        }
        return new SeamResponse(null, body);
    }

    public SeamResponse with(String key, JsonNode value) {
        if (body == null) {
            throw new IllegalStateException("A rendered response cannot be added to");
        }
        body.set(key, value);
        return this;
    }

    /** The tree to serialize; null for a rendered response. */
    ObjectNode body() {
        if (body == null) {
            return null;
        }
        body.put("ok", true);
        return body;
    }

    /** The body as written; null unless {@link #rendered}. */
    Buffer renderedBody() {
        return rendered;
    }
}
