package com.lockstep.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.avro.strategy.RecordIdStrategy;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;

/**
 * The one Kafka serde configuration of the platform (Apicurio serde 3.1.7): String keys, Avro values.
 * Services and examples start from these maps and add their own client settings (bootstrap servers,
 * acks, group id, ...). Values are strings, so they can also be copied into application properties.
 *
 * <p>Wire format: magic byte 0, the 4-byte registry content id, then the Avro binary body; no
 * registry headers.
 */
public final class SerdeConfig {

    private SerdeConfig() {
    }

    /** Producer serde settings: each record's schema must already be registered (SchemaRegistrar). */
    public static Map<String, Object> producer(String registryUrl) {
        Map<String, Object> config = common(registryUrl);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
        // Several event types share a topic, so the artifact follows the record (group = namespace,
        // artifact = record name), not the topic; SchemaRegistrar registers under the same coordinates.
        config.put(AvroSerdeConfig.ARTIFACT_RESOLVER_STRATEGY, RecordIdStrategy.class.getName());
        // Production never relies on auto-registration; schemas are registered before deploying.
        config.put(AvroSerdeConfig.AUTO_REGISTER_ARTIFACT, "false");
        // Look the record's own schema up by content, so a producer writes exactly the version it was
        // built with (not whatever is latest); the content is matched exactly, not canonicalised.
        config.put(AvroSerdeConfig.FIND_LATEST_ARTIFACT, "false");
        config.put(AvroSerdeConfig.CANONICALIZE, "false");
        // A record with nested named records (DeviceState) is otherwise looked up as a schema that
        // names them as references; SchemaRegistrar registers each schema whole, nested types inline.
        config.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, "true");
        config.put(io.apicurio.registry.serde.config.SerdeConfig.SCHEMA_RESOLVER, SchemaOnceResolver.class.getName());
        return config;
    }

    /** Consumer serde settings: values arrive as the generated SpecificRecord classes. */
    public static Map<String, Object> consumer(String registryUrl) {
        Map<String, Object> config = common(registryUrl);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        // Without it the deserializer returns GenericRecord; with it, the writer's schema is resolved
        // against the generated class's schema (schema evolution).
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, "true");
        return config;
    }

    private static Map<String, Object> common(String registryUrl) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AvroSerdeConfig.REGISTRY_URL, registryUrl);
        // Pinned although they are the 3.x defaults: consumers depend on this wire format.
        config.put(AvroSerdeConfig.USE_ID, IdOption.contentId.name());
        config.put(KafkaSerdeConfig.ENABLE_HEADERS, "false");
        return config;
    }
}
