package com.lockstep.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates response objects against the component schemas of Seam's OpenAPI document (the copy the
 * SDK suite uses). OpenAPI 3.0 schemas become JSON Schema as in {@code system-tests/sdk/lib/schemas.js}:
 * {@code nullable} turns into a union with null, {@code x-*} keys and {@code discriminator} go.
 */
public final class SeamOpenApi {

    /** From a module's directory, where its tests run. */
    private static final Path DOCUMENT = Path.of("../system-tests/sdk/seam-openapi-subset.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static volatile JsonNode components;

    private SeamOpenApi() {
    }

    /** Asserts that {@code value} matches Seam's {@code components.schemas[component]}. */
    public static void assertMatches(String component, JsonNode value) {
        Set<ValidationMessage> problems = SCHEMAS.computeIfAbsent(component, SeamOpenApi::compile).validate(value);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.format("%s against Seam's \"%s\" schema:%n%s%nvalue: %s", component, component,
                    problems.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("\n")), value));
        }
    }

    private static JsonSchema compile(String component) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$ref", "#/components/schemas/" + component);
        root.set("components", components());
        // Draft 7, told that the document's components and OpenAPI's deprecated flag are not constraints.
        JsonMetaSchema draft7 = JsonMetaSchema.builder(JsonMetaSchema.getV7().getIri(), JsonMetaSchema.getV7())
                .keyword(new NonValidationKeyword("components"))
                .keyword(new NonValidationKeyword("deprecated"))
                .build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, factory -> factory.metaSchema(draft7)).getSchema(root);
    }

    private static JsonNode components() {
        if (components == null) {
            try {
                components = toJsonSchema(MAPPER.readTree(DOCUMENT.toFile()).get("components"));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + DOCUMENT.toAbsolutePath(), e);
            }
        }
        return components;
    }

    private static JsonNode toJsonSchema(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> array.add(toJsonSchema(item)));
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(field -> {
            String key = field.getKey();
            if (!key.startsWith("x-") && !key.equals("discriminator") && !key.equals("nullable")) {
                out.set(key, toJsonSchema(field.getValue()));
            }
        });
        // OpenAPI 3.0's boolean exclusive bounds become JSON Schema's numeric ones.
        for (String[] bound : new String[][] {{"exclusiveMinimum", "minimum"}, {"exclusiveMaximum", "maximum"}}) {
            JsonNode exclusive = out.get(bound[0]);
            if (exclusive != null && exclusive.isBoolean()) {
                out.remove(bound[0]);
                if (exclusive.booleanValue() && out.path(bound[1]).isNumber()) {
                    out.set(bound[0], out.remove(bound[1]));
                }
            }
        }
        if (!node.path("nullable").asBoolean(false)) {
            return out;
        }
        if (out.path("type").isTextual()) {
            String type = out.get("type").asText();
            out.putArray("type").add(type).add("null");
            if (out.get("enum") instanceof ArrayNode values) {
                values.addNull();
            }
            return out;
        }
        ObjectNode nullable = JsonNodeFactory.instance.objectNode();
        nullable.putArray("anyOf").add(out).addObject().put("type", "null");
        return nullable;
    }
}
