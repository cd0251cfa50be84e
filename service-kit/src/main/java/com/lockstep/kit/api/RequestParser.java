package com.lockstep.kit.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Turns a query string or a JSON body into one JSON object of parameters.
 * The query form is the one the Seam SDK writes: sorted keys, {@code _strict=true},
 * arrays as repeated keys, nested objects as dotted keys, and an empty value for null or
 * an empty array.
 */
final class RequestParser {

    private static final String STRICT_FLAG = "_strict";

    private final ObjectMapper mapper;

    RequestParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode fromQuery(MultiMap query) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (String name : query.names()) {
            if (STRICT_FLAG.equals(name)) {
                continue;
            }
            List<String> values = query.getAll(name);
            JsonNode value;
            if (values.size() == 1) {
                value = values.get(0).isEmpty() ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(values.get(0));
            } else {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                values.forEach(array::add);
                value = array;
            }
            placeDotted(params, name, value);
        }
        return params;
    }

    ObjectNode fromBody(byte[] body) {
        if (body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(body);
        } catch (JacksonException e) {
            throw SeamException.invalidInput("Request body is not valid JSON", null);
        } catch (java.io.IOException e) {
            throw SeamException.invalidInput("Request body could not be read", null);
        }
        if (parsed == null || parsed.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!parsed.isObject()) {
            throw SeamException.invalidInput("Request body must be a JSON object", null);
        }
        return (ObjectNode) parsed;
    }

    private static void placeDotted(ObjectNode params, String name, JsonNode value) {
        String[] path = name.split("\\.", -1);
        ObjectNode parent = params;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = parent.get(path[i]);
            if (!(child instanceof ObjectNode)) {
                child = parent.putObject(path[i]);
            }
            parent = (ObjectNode) child;
        }
        parent.set(path[path.length - 1], value);
    }
}
