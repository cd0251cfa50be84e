package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.KitApi;

/**
 * An error the API reports to its caller in Seam's shape:
 * {@code {"error": {"type", "message", "validation_errors"?, "request_id"}, "ok": false}}.
 */
@KitApi
public class SeamException extends RuntimeException {

    private final int status;
    private final String type;
    private final ObjectNode validationErrors;

    public SeamException(int status, String type, String message, ObjectNode validationErrors) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.validationErrors = validationErrors;
    }

    public SeamException(int status, String type, String message) {
        this(status, type, message, null);
    }

    public static SeamException invalidInput(String message, ObjectNode validationErrors) {
        return new SeamException(400, "invalid_input", message, validationErrors);
    }

    /** A single-parameter invalid_input, with validation_errors in zod's format. */
    public static SeamException invalidParameter(String parameter, String problem) {
        ObjectNode errors = JsonNodeFactory.instance.objectNode();
        errors.putArray("_errors");
        errors.putObject(parameter).putArray("_errors").add(problem);
        return invalidInput(parameter + ": " + problem, errors);
    }

    /** {@code entity} is Seam's snake_case name, e.g. {@code phone} gives {@code phone_not_found}. */
    public static SeamException notFound(String entity) {
        String readable = Character.toUpperCase(entity.charAt(0)) + entity.substring(1).replace('_', ' ');
        return new SeamException(404, entity + "_not_found", readable + " not found");
    }

    public static SeamException unauthorized(String message) {
        return new SeamException(401, "unauthorized", message);
    }

    public static SeamException serviceUnavailable(String message) {
        return new SeamException(503, "service_unavailable", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public ObjectNode validationErrors() {
        return validationErrors;
    }
}
