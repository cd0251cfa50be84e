package com.lockstep.device.events.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.lockstep.events.common.ResourceError;
import com.lockstep.events.common.ResourceWarning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seam's JSON of connected accounts and ACS systems (metadata, errors, warnings) as event fields. */
final class EventFields {

    private EventFields() {
    }

    /** Seam's custom_metadata values are strings and booleans. */
    static Map<String, Object> metadata(JsonNode customMetadata) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        customMetadata.fields().forEachRemaining(entry -> metadata.put(entry.getKey(),
                entry.getValue().isBoolean() ? (Object) entry.getValue().booleanValue() : entry.getValue().asText()));
        return metadata;
    }

    static List<ResourceError> errors(ArrayNode errors) {
        List<ResourceError> list = new ArrayList<>();
        errors.forEach(error -> list.add(new ResourceError(error.path("error_code").asText(), error.path("message").asText(),
                Instant.parse(error.path("created_at").asText()))));
        return list;
    }

    static List<ResourceWarning> warnings(ArrayNode warnings) {
        List<ResourceWarning> list = new ArrayList<>();
        warnings.forEach(warning -> list.add(new ResourceWarning(warning.path("warning_code").asText(),
                warning.path("message").asText(), Instant.parse(warning.path("created_at").asText()))));
        return list;
    }
}
