package com.lockstep.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The catalog finds every schema, and every schema follows the conventions of DESIGN.md. */
class SchemaConventionsTest {

    private static final String EVENTS_NAMESPACE = "com.lockstep.events.";

    @Test
    void catalogListsEveryAvscFile() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/avro"))) {
            List<String> avscFiles = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".avsc")).sorted().toList();
            assertEquals(avscFiles, SchemaCatalog.avscFileNames());
        }
        assertEquals(SchemaCatalog.avscFileNames().size(), SchemaCatalog.schemas().size());
    }

    @Test
    void everySchemaAndFieldIsDocumented() {
        for (Schema schema : SchemaCatalog.schemas()) {
            assertFalse(isBlank(schema.getDoc()), "doc of " + schema.getFullName());
            for (Schema.Field field : schema.getFields()) {
                assertFalse(isBlank(field.doc()), "doc of " + schema.getFullName() + "." + field.name());
            }
        }
    }

    @Test
    void nullableFieldsDefaultToNull() {
        for (Schema schema : SchemaCatalog.schemas()) {
            for (Schema.Field field : schema.getFields()) {
                if (field.schema().isNullable()) {
                    assertEquals(Schema.Type.NULL, field.schema().getTypes().get(0).getType(),
                            "null first in the union of " + schema.getFullName() + "." + field.name());
                    assertEquals(JsonProperties.NULL_VALUE, field.defaultVal(),
                            "default of " + schema.getFullName() + "." + field.name());
                }
            }
        }
    }

    @Test
    void everyEventCarriesSeamsEventFields() {
        List<Schema> events = SchemaCatalog.schemas().stream()
                .filter(schema -> schema.getNamespace().startsWith(EVENTS_NAMESPACE)).toList();
        assertFalse(events.isEmpty());
        for (Schema event : events) {
            assertStringField(event, 0, "event_id");
            assertStringField(event, 1, "event_type");
            assertStringField(event, 2, "workspace_id");
            assertTimestampField(event, 3, "occurred_at");
            assertTimestampField(event, 4, "created_at");
        }
    }

    private static void assertStringField(Schema record, int position, String name) {
        Schema.Field field = record.getFields().get(position);
        assertEquals(name, field.name(), record.getFullName() + " field " + position);
        assertEquals(Schema.Type.STRING, field.schema().getType(), record.getFullName() + "." + name);
    }

    private static void assertTimestampField(Schema record, int position, String name) {
        Schema.Field field = record.getFields().get(position);
        assertEquals(name, field.name(), record.getFullName() + " field " + position);
        assertTrue(field.schema().getLogicalType() instanceof LogicalTypes.TimestampMillis,
                record.getFullName() + "." + name + " is timestamp-millis");
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
