package com.lockstep.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.lockstep.schemas.SchemaCatalog;
import com.lockstep.schemas.Topics;

import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * The real Apicurio serde, configured with {@link SerdeConfig}, against an in-memory registry that holds
 * exactly what {@link SchemaRegistrar} registers: the serializer must find each schema by exact content
 * under the registrar's coordinates (no auto-registration), and the deserializer must return the
 * generated class. Each schema is looked up once, however many records are written. A serde upgrade
 * that changes its lookup fails here rather than in production.
 */
class SerdeLookupTest {

    private static final String UNUSED_URL = "http://127.0.0.1:1/apis/registry/v3";

    /** One content lookup the serializer made. */
    private record ContentLookup(RegistryArtifact artifact, String schemaText, boolean canonical) {
    }

    private final Map<String, Long> contentIds = new HashMap<>();
    private final Map<Long, String> contents = new HashMap<>();
    private final List<ContentLookup> lookups = new ArrayList<>();
    private final List<String> unexpectedCalls = new ArrayList<>();

    @Test
    void serdeRoundTripsEveryRecordThroughTheRegisteredSchemas() {
        for (Schema schema : SchemaCatalog.schemas()) {
            register(schema.toString());
        }
        RegistryClientFacade registry = inMemoryRegistry();

        for (Schema schema : SchemaCatalog.schemas()) {
            lookups.clear();
            SpecificRecord record = sampleRecord(schema);
            try (AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>(registry, configuredResolver());
                 AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>(registry)) {
                serializer.configure(SerdeConfig.producer(UNUSED_URL), false);
                deserializer.configure(SerdeConfig.consumer(UNUSED_URL), false);

                RecordHeaders headers = new RecordHeaders();
                String name = schema.getFullName();
                byte[] bytes = serializer.serialize(Topics.PHONE_EVENTS, headers, record);
                Object decoded = deserializer.deserialize(Topics.PHONE_EVENTS, headers, bytes);
                // Once per schema: the second record is encoded from the first one's answer.
                assertArrayEquals(bytes, serializer.serialize(Topics.PHONE_EVENTS, new RecordHeaders(), record), name);

                assertEquals(List.of(new ContentLookup(RegistryArtifact.of(schema), schema.toString(), false)),
                        lookups, name);
                assertEquals(List.of(), unexpectedCalls, name);
                assertEquals(0, headers.toArray().length, "registry ids travel in the payload, not headers: " + name);
                ByteBuffer payload = ByteBuffer.wrap(bytes);
                assertEquals(0, payload.get(), "magic byte: " + name);
                assertEquals(contentIds.get(schema.toString()).intValue(), payload.getInt(), "content id: " + name);
                assertEquals(record, decoded, "decoded as the generated class: " + name);
            }
        }
    }

    /** The resolver {@link SerdeConfig#producer} names, made as the serde makes it when it is built from configuration. */
    @SuppressWarnings("unchecked")
    private static SchemaResolver<Schema, SpecificRecord> configuredResolver() {
        Object className = SerdeConfig.producer(UNUSED_URL).get(io.apicurio.registry.serde.config.SerdeConfig.SCHEMA_RESOLVER);
        try {
            return (SchemaResolver<Schema, SpecificRecord>) Class.forName(className.toString()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("schema resolver " + className, e);
        }
    }

    private void register(String schemaText) {
        long contentId = contentIds.size() + 1;
        contentIds.put(schemaText, contentId);
        contents.put(contentId, schemaText);
    }

    private RegistryClientFacade inMemoryRegistry() {
        return (RegistryClientFacade) Proxy.newProxyInstance(RegistryClientFacade.class.getClassLoader(),
                new Class<?>[] {RegistryClientFacade.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "searchVersionsByContent" -> {
                        String schemaText = (String) args[0];
                        ArtifactReference reference = (ArtifactReference) args[2];
                        lookups.add(new ContentLookup(
                                new RegistryArtifact(reference.getGroupId(), reference.getArtifactId()),
                                schemaText, (Boolean) args[3]));
                        Long contentId = contentIds.get(schemaText);
                        yield contentId == null ? List.of() : List.of(RegistryVersionCoordinates.create(
                                contentId, contentId, reference.getGroupId(), reference.getArtifactId(), "1"));
                    }
                    case "getSchemaByContentId" -> contents.get((Long) args[0]);
                    case "getReferencesByContentId" -> List.of();
                    case "close", "hashCode" -> null;
                    default -> {
                        unexpectedCalls.add(method.getName());
                        throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** An instance of the generated class with every field set to a placeholder of its type. */
    private static SpecificRecord sampleRecord(Schema schema) {
        SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        assertNotNull(record, "generated class of " + schema.getFullName());
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), placeholder(field.schema()));
        }
        return record;
    }

    private static Object placeholder(Schema fieldSchema) {
        if (fieldSchema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.parse("2026-01-01T00:00:00Z");
        }
        return switch (fieldSchema.getType()) {
            case STRING -> "x";
            case BOOLEAN -> true;
            case LONG -> 1L;
            case DOUBLE -> 0.5;
            case UNION -> null;
            case ARRAY -> List.of();
            case MAP -> Map.of();
            case RECORD -> sampleRecord(fieldSchema);
            default -> throw new IllegalArgumentException("No placeholder for " + fieldSchema);
        };
    }
}
