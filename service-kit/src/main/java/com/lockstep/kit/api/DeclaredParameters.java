package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters an endpoint reads through {@link Params}, as it reads them: name, JSON type,
 * format and whether it is required. Recorded only where {@code lockstep.openapi.record-parameters}
 * is on (tests), and sent back in the {@value #HEADER} header, from which each service's endpoint
 * description ({@code META-INF/lockstep/endpoints.json}, the OpenAPI document's parameters) is
 * checked: the document says what the code reads.
 */
final class DeclaredParameters {

    static final String HEADER = "Lockstep-Declared-Parameters";

    /**
     * One parameter. An array's {@code format} is its strings' format; a nested object's
     * parameters are named {@code object.field}.
     */
    record Declared(String type, String format, boolean required) {
    }

    private final Map<String, Declared> parameters = new LinkedHashMap<>();

    /** The first declaration of a name wins: the outermost reader is the most specific. */
    void declare(String name, String type, String format, boolean required) {
        parameters.putIfAbsent(name, new Declared(type, format, required));
    }

    /** {@code {"device_id": {"type": "string", "format": "uuid", "required": true}, ...}}, in read order. */
    String toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        parameters.forEach((name, declared) -> {
            ObjectNode parameter = json.putObject(name);
            parameter.put("type", declared.type());
            if (declared.format() != null) {
                parameter.put("format", declared.format());
            }
            parameter.put("required", declared.required());
        });
        return json.toString();
    }
}
