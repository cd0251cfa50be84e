package com.lockstep.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The AsyncAPI document stays in step with the schemas and topics it documents. */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("asyncapi.yaml");

    private static JsonNode asyncApi;
    private static List<String> refs;

    @BeforeAll
    static void parse() throws IOException {
        asyncApi = new YAMLMapper().readTree(DOCUMENT.toFile());
        refs = new ArrayList<>();
        collectRefs(asyncApi, refs);
    }

    @Test
    void isAnAsyncApi26Document() {
        assertEquals("2.6.0", asyncApi.path("asyncapi").asText());
    }

    @Test
    void everyInternalReferenceResolves() {
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertFalse(asyncApi.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
            }
        }
    }

    @Test
    void everyReferencedSchemaFileExists() {
        for (String ref : externalRefs()) {
            assertTrue(Files.isRegularFile(DOCUMENT.resolveSibling(ref)), "missing " + ref + " referenced in " + DOCUMENT);
        }
    }

    @Test
    void everyRecordIsDocumented() throws IOException {
        Set<String> documentedRecords = new TreeSet<>();
        for (String ref : externalRefs()) {
            documentedRecords.add(new Schema.Parser().parse(DOCUMENT.resolveSibling(ref).toFile()).getFullName());
        }

        Set<String> records = SchemaCatalog.schemas().stream().map(Schema::getFullName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(records, documentedRecords, "records whose .avsc " + DOCUMENT + " references");
    }

    @Test
    void everyTopicAndItsDeadLetterTopicIsAChannel() throws IllegalAccessException {
        Set<String> expectedChannels = new TreeSet<>(topicConstants());
        expectedChannels.addAll(Topics.STATE_TOPICS);
        // Event topics have consumers that dead-letter; state topics are materialised whole, with no dead letters.
        for (String topic : Topics.EVENT_TOPICS) {
            expectedChannels.add(Topics.deadLetterTopic(topic));
        }

        Set<String> channels = new TreeSet<>();
        asyncApi.path("channels").fieldNames().forEachRemaining(channels::add);
        assertEquals(expectedChannels, channels);
        for (String channel : channels) {
            assertEquals(channel, asyncApi.path("channels").path(channel).at("/bindings/kafka/topic").asText(),
                    "Kafka binding topic of " + channel);
        }
    }

    private static List<String> externalRefs() {
        List<String> external = refs.stream().filter(ref -> !ref.startsWith("#")).toList();
        assertFalse(external.isEmpty(), "no schema file referenced");
        return external;
    }

    private static List<String> topicConstants() throws IllegalAccessException {
        List<String> topics = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        return topics;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
