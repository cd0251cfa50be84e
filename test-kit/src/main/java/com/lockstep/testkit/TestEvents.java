package com.lockstep.testkit;

import com.lockstep.schemas.registry.SerdeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads and writes Lockstep topics the way another context or a downstream consumer would:
 * Avro through the registry (schemas must be registered, as {@link RealServers} does).
 * Tests use it to publish the events of contexts that do not exist yet, and to check what a
 * service published.
 */
public final class TestEvents {

    private final String bootstrapServers;
    private final String registryUrl;

    public TestEvents(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    /** For the JVM's {@link RealServers}. */
    public static TestEvents onRealServers() {
        RealServers servers = RealServers.get();
        return new TestEvents(servers.kafka().bootstrapServers(), servers.apicurio().url());
    }

    /** Publishes an Avro record (null: a tombstone) and waits for the broker's acknowledgement. */
    public void publish(String topic, String key, Object value) {
        Map<String, Object> config = new HashMap<>(SerdeConfig.producer(registryUrl));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + topic, e);
        }
    }

    /** Publishes bytes as they are, e.g. garbage a consumer must dead-letter. */
    public void publishRaw(String topic, byte[] key, byte[] value) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + topic, e);
        }
    }

    /**
     * Reads the topic from the beginning, deserialised through the registry, until
     * {@code done} holds for what was read or {@code timeout} passes; returns what was read.
     */
    public List<ConsumerRecord<String, Object>> readUntil(String topic, Predicate<List<ConsumerRecord<String, Object>>> done,
                                                          Duration timeout) {
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(registryUrl));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return read(topic, done, timeout, config);
    }

    /** As {@link #readUntil} but raw bytes, e.g. to read a dead-letter topic. */
    public List<ConsumerRecord<byte[], byte[]>> readRawUntil(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                             Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return read(topic, done, timeout, config);
    }

    /**
     * Waits until {@code consumerGroup} has committed offsets up to the end of {@code topic} as it is
     * now: every record published so far has been applied (or dead-lettered) by that consumer.
     */
    public void awaitConsumed(String consumerGroup, String topic, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(consumerGroup).partitionsToOffsetAndMetadata().get();
                boolean caughtUp = end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
                if (caughtUp) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError(consumerGroup + " did not consume " + topic + " up to " + end + " within "
                            + timeout + "; committed: " + committed);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not read the offsets of " + consumerGroup, e);
        }
    }

    private static <K, V> List<ConsumerRecord<K, V>> read(String topic, Predicate<List<ConsumerRecord<K, V>>> done,
                                                          Duration timeout, Map<String, Object> config) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (!done.test(records) && Instant.now().isBefore(deadline)) {
                try {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                } catch (RecordDeserializationException e) {
                    // Poison a test put on the topic: skip it as a tolerant consumer would.
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        return records;
    }
}
