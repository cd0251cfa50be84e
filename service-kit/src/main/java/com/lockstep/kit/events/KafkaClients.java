package com.lockstep.kit.events;

import com.lockstep.kit.KitApi;
import com.lockstep.schemas.registry.SerdeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The Kafka clients a service uses, configured once: Avro through Apicurio Registry, loopback-friendly timeouts. */
@KitApi
public class KafkaClients {

    private final String bootstrapServers;
    private final String registryUrl;
    private final String clientIdPrefix;
    private final Optional<String> instanceId;
    private final EventTracing tracing;

    public KafkaClients(String bootstrapServers, String registryUrl, String clientIdPrefix) {
        this(bootstrapServers, registryUrl, clientIdPrefix, Optional.empty(), EventTracing.off());
    }

    /**
     * {@code instanceId}: this replica's stable name (a StatefulSet pod's name, say), which makes its
     * group consumers static members: a replica restarted after a crash takes its partitions back at
     * once instead of waiting for its old session to time out. {@code tracing}: how the relay and
     * the consumers carry traces with the records.
     */
    public KafkaClients(String bootstrapServers, String registryUrl, String clientIdPrefix, Optional<String> instanceId,
                        EventTracing tracing) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.clientIdPrefix = clientIdPrefix;
        this.instanceId = instanceId.filter(id -> !id.isBlank());
        this.tracing = tracing;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** This replica's static member name in every consumer group, if it has one. */
    public Optional<String> instanceId() {
        return instanceId;
    }

    public EventTracing tracing() {
        return tracing;
    }

    /**
     * The relay's producer, idempotent, {@code acks=all}, ordered per partition even when it
     * retries. Values are the outbox's bytes, already encoded ({@link #eventSerializer}).
     */
    public KafkaProducer<String, byte[]> eventProducer() {
        Map<String, Object> config = new HashMap<>(common("relay"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return new KafkaProducer<>(config);
    }

    /** A group-less reader of a whole compacted state topic, with Avro values. */
    public KafkaConsumer<String, Object> stateReader() {
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(registryUrl));
        config.putAll(common("state-reader"));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config);
    }

    /** A group-less reader of raw records: topics' end offsets, and a replay's records. */
    public KafkaConsumer<byte[], byte[]> rawReader() {
        Map<String, Object> config = new HashMap<>(common("raw-reader"));
        // The offsets group consumers (read_committed) can reach.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config);
    }

    /** The registry-aware value serialiser: what encodes an event once, as the outbox stores it. */
    public Serializer<Object> eventSerializer() {
        Serializer<Object> serializer = newSerde(SerdeConfig.producer(registryUrl), ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        serializer.configure(SerdeConfig.producer(registryUrl), false);
        return serializer;
    }

    /** The registry-aware value deserialiser, for consumers that read raw bytes. */
    public Deserializer<Object> valueDeserializer() {
        Deserializer<Object> deserializer = newSerde(SerdeConfig.consumer(registryUrl), ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        deserializer.configure(SerdeConfig.consumer(registryUrl), false);
        return deserializer;
    }

    /** A new, unconfigured instance of the serde class that {@code config} names under {@code classKey}. */
    @SuppressWarnings("unchecked")
    private static <T> T newSerde(Map<String, Object> config, String classKey) {
        try {
            Object className = config.get(classKey);
            Class<?> type = className instanceof Class<?> c ? c : Class.forName(className.toString());
            return (T) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The registry serde " + config.get(classKey) + " could not be created", e);
        }
    }

    public Admin admin() {
        return Admin.create(common("admin"));
    }

    private Map<String, Object> common(String role) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + role);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return config;
    }
}
