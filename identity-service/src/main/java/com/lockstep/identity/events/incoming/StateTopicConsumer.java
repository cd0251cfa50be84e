package com.lockstep.identity.events.incoming;

import com.lockstep.kit.consistency.AppliedOffsets;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Materialises a compacted state topic (key: the entity's id; value: its whole state, a tombstone
 * once it is gone) into a table, in a consumer group of its own. State records carry no event id
 * and the kit's inbox skips tombstones, so this consumer applies each batch in one transaction and
 * commits the offsets after it: applying a state again is harmless, so at-least-once is enough.
 * The positions it reaches are recorded in the batch's transaction, for reads to fence on.
 * A value the registry cannot deserialise is logged and skipped (state topics have no dead letters).
 */
final class StateTopicConsumer implements AutoCloseable {

    /** Applies one record inside the batch's transaction; {@code state} is null for a tombstone. */
    @FunctionalInterface
    interface StateHandler {
        void apply(Connection tx, String key, Object state) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(StateTopicConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final String consumerGroup;
    private final String topic;
    private final StateHandler handler;
    private final KafkaClients clients;
    private final Database database;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    StateTopicConsumer(String consumerGroup, String topic, StateHandler handler, KafkaClients clients, Database database) {
        this.consumerGroup = consumerGroup;
        this.topic = topic;
        this.handler = handler;
        this.clients = clients;
        this.database = database;
        this.thread = new Thread(this::run, "state-" + consumerGroup);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            KafkaConsumer<byte[], byte[]> kafka = clients.groupConsumer(consumerGroup);
            consumer = kafka;
            try (Deserializer<Object> deserializer = clients.valueDeserializer()) {
                kafka.subscribe(List.of(topic));
                Map<TopicPartition, Long> recorded = new HashMap<>();
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
                    Map<TopicPartition, Long> positions = new HashMap<>();
                    kafka.assignment().forEach(partition -> positions.put(partition, kafka.position(partition)));
                    if (records.isEmpty() && positions.equals(recorded)) {
                        continue;
                    }
                    try {
                        database.inTransaction(tx -> {
                            for (ConsumerRecord<byte[], byte[]> record : records) {
                                apply(tx, record, deserializer);
                            }
                            AppliedOffsets.record(tx, consumerGroup, positions);
                            return null;
                        });
                        recorded = positions;
                        if (records.isEmpty()) {
                            continue;
                        }
                        kafka.commitSync(nextOffsets(records));
                    } catch (WakeupException e) {
                        throw e;
                    } catch (Exception e) {
                        LOG.warnf("Consumer %s could not apply a batch of %s, retrying: %s", consumerGroup, topic, e.toString());
                        records.partitions().forEach(p -> kafka.seek(p, records.records(p).get(0).offset()));
                        sleep(RETRY);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("Consumer %s restarts after: %s", consumerGroup, e.toString());
                    sleep(RETRY);
                }
            } finally {
                kafka.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            }
        }
    }

    private void apply(Connection tx, ConsumerRecord<byte[], byte[]> record, Deserializer<Object> deserializer) throws Exception {
        if (record.key() == null) {
            LOG.warnf("Consumer %s skips a record without a key at %s-%d@%d", consumerGroup, topic, record.partition(), record.offset());
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        Object state = null;
        if (record.value() != null) {
            try {
                state = deserializer.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                LOG.warnf("Consumer %s skips an undeserialisable record at %s-%d@%d: %s", consumerGroup, topic,
                        record.partition(), record.offset(), e.getMessage());
                return;
            }
        }
        handler.apply(tx, key, state);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(partition);
            next.put(partition, new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
        }
        return next;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.join(10_000);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
