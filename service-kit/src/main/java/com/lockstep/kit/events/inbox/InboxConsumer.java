package com.lockstep.kit.events.inbox;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.consistency.AppliedOffsets;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.metrics.KitMetrics;
import com.lockstep.schemas.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Consumes a subscription's topics with at-least-once delivery and exactly-once effect: each
 * event's effect commits in one transaction with its (event_id, consumer) row in
 * {@code processed_event}, and offsets are committed only after that, at most every
 * {@link #COMMIT_INTERVAL} (and when partitions are revoked, and on close). A redelivered or
 * replayed event finds its row and changes nothing. The records of one poll are applied in one
 * transaction when they all can be; otherwise one at a time.
 * <p>
 * A record that can never be applied (undeserialisable bytes, an unknown schema, no valid
 * {@code event_id}, an {@link InvalidEventException} from its handler, or an effect that breaks a
 * database constraint) is copied unchanged to
 * the topic's dead-letter topic with the reason in headers, and consumption goes on. Any other
 * failure (the database is down, say) is retried on the same record until it succeeds.
 */
@KitApi
public class InboxConsumer implements AutoCloseable {

    public static final String DLQ_REASON = "dlq.reason";
    public static final String DLQ_CONSUMER = "dlq.consumer";
    public static final String DLQ_TOPIC = "dlq.original.topic";
    public static final String DLQ_PARTITION = "dlq.original.partition";
    public static final String DLQ_OFFSET = "dlq.original.offset";

    private static final Logger LOG = Logger.getLogger(InboxConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The inbox row, not the offset, is what makes a redelivered event harmless; committing after
     * every poll made offset commits the broker's busiest work under load, and each one made the
     * next poll wait for its round trip.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final EventSubscription subscription;
    private final KafkaClients clients;
    private final Database database;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public InboxConsumer(EventSubscription subscription, KafkaClients clients, Database database) {
        this.subscription = subscription;
        this.clients = clients;
        this.database = database;
        this.thread = new Thread(this::run, "inbox-" + subscription.consumerGroup());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            KafkaConsumer<byte[], byte[]> kafka = clients.groupConsumer(subscription.consumerGroup());
            consumer = kafka;
            PendingOffsets pending = new PendingOffsets(kafka);
            try (KafkaProducer<byte[], byte[]> deadLetters = clients.rawProducer();
                 Deserializer<Object> deserializer = clients.valueDeserializer()) {
                kafka.subscribe(subscription.topics(), pending);
                Map<TopicPartition, Long> recorded = new HashMap<>();
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
                    if (records.isEmpty()) {
                        recordApplied(unrecorded(kafka, recorded), recorded);
                        pending.commitIfDue();
                        continue;
                    }
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    Map<TopicPartition, Long> polled = unrecorded(kafka, recorded);
                    if (processBatch(records, deserializer, polled)) {
                        recorded.putAll(polled);
                        records.forEach(record -> done.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1)));
                    } else {
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                            if (!running || !process(record, deserializer, deadLetters)) {
                                done.put(partition, new OffsetAndMetadata(record.offset()));
                                rewind(kafka, records, done);
                                break;
                            }
                            done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                        }
                        recordApplied(unrecorded(kafka, recorded), recorded);
                    }
                    pending.add(done);
                    pending.commitIfDue();
                }
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("Consumer %s restarts after: %s", subscription.consumerGroup(), e.toString());
                    sleep(RETRY);
                }
            } finally {
                pending.commitNow();
                // Leaving the group promptly (a static member too) lets another replica take the partitions at once.
                kafka.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
            }
        }
    }

    /**
     * Applies every record of a poll in one transaction, with the positions it reaches, which is what
     * makes a backlog fast: one commit and one claim statement for hundreds of events. Returns false, having changed
     * nothing, when any record needs the one-at-a-time path (poison to dead-letter, a transient
     * failure to retry); that path then decides record by record.
     */
    private boolean processBatch(ConsumerRecords<byte[], byte[]> records, Deserializer<Object> deserializer,
                                 Map<TopicPartition, Long> applied) {
        List<Object> events = new ArrayList<>(records.count());
        List<UUID> eventIds = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            Object event;
            try {
                event = deserializer.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                return false;
            }
            if (event == null || subscription.handlerFor(event) == null) {
                continue;
            }
            UUID eventId = eventIdOf(event);
            if (eventId == null) {
                return false;
            }
            events.add(event);
            eventIds.add(eventId);
        }
        Span span = clients.tracing().startProcess(subscription.consumerGroup(), records);
        try (Scope current = span.makeCurrent()) {
            database.inTransaction(tx -> {
                Set<UUID> claimed = claim(tx, eventIds);
                List<Object> run = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    // remove(): an event delivered twice in one batch is applied once.
                    if (!claimed.remove(eventIds.get(i))) {
                        continue;
                    }
                    Object event = events.get(i);
                    if (!run.isEmpty() && run.get(0).getClass() != event.getClass()) {
                        applyRun(tx, run);
                    }
                    if (subscription.batchHandlerFor(event) != null) {
                        run.add(event);
                    } else {
                        subscription.handlerFor(event).apply(tx, event);
                    }
                }
                applyRun(tx, run);
                AppliedOffsets.record(tx, subscription.consumerGroup(), applied);
                return null;
            });
            return true;
        } catch (Exception e) {
            LOG.debugf("Consumer %s applies %d records one at a time after: %s", subscription.consumerGroup(),
                    records.count(), e.toString());
            span.setStatus(StatusCode.ERROR, "applied one at a time instead");
            return false;
        } finally {
            span.end();
        }
    }

    /**
     * The consumer's positions (the next record it will apply) that differ from what was last
     * recorded: a poll's records, skipped ones included, and whatever else moved it.
     */
    private static Map<TopicPartition, Long> unrecorded(KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> recorded) {
        Map<TopicPartition, Long> moved = new HashMap<>();
        for (TopicPartition partition : kafka.assignment()) {
            long position = kafka.position(partition);
            if (!Long.valueOf(position).equals(recorded.get(partition))) {
                moved.put(partition, position);
            }
        }
        return moved;
    }

    /**
     * Records positions reached without a batch transaction (nothing to apply, or one record at a
     * time), after the effects committed; if the database is down they are recorded on a later poll.
     */
    private void recordApplied(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> recorded) {
        if (positions.isEmpty()) {
            return;
        }
        try {
            database.inTransaction(tx -> {
                AppliedOffsets.record(tx, subscription.consumerGroup(), positions);
                return null;
            });
            recorded.putAll(positions);
        } catch (Exception e) {
            LOG.debugf("Consumer %s could not record its applied offsets yet: %s", subscription.consumerGroup(), e.toString());
        }
    }

    /** Applies consecutive events of one batch-handled type with one call, in their order. */
    private void applyRun(Connection tx, List<Object> run) throws Exception {
        if (!run.isEmpty()) {
            subscription.batchHandlerFor(run.get(0)).apply(tx, List.copyOf(run));
            run.clear();
        }
    }

    private Set<UUID> claim(Connection tx, List<UUID> eventIds) throws SQLException {
        Set<UUID> claimed = new HashSet<>();
        if (eventIds.isEmpty()) {
            return claimed;
        }
        try (PreparedStatement claim = tx.prepareStatement("INSERT INTO processed_event (event_id, consumer) "
                + "SELECT id, ? FROM unnest(?::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id")) {
            claim.setString(1, subscription.consumerGroup());
            claim.setArray(2, tx.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return claimed;
    }

    /**
     * Sets every partition of the poll back to its first record not yet applied, so that the
     * records after a failed one (in its partition and in the others) are polled again.
     */
    private static void rewind(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records,
                               Map<TopicPartition, OffsetAndMetadata> done) {
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata applied = done.get(partition);
            kafka.seek(partition, applied != null ? applied.offset() : records.records(partition).get(0).offset());
        }
    }

    /** Returns false when the record must be tried again (a transient failure). */
    private boolean process(ConsumerRecord<byte[], byte[]> record, Deserializer<Object> deserializer,
                            KafkaProducer<byte[], byte[]> deadLetters) {
        if (record.value() == null) {
            return true;
        }
        Object event;
        try {
            event = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return deadLetter(record, deadLetters, "undeserialisable: " + e.getMessage());
        }
        if (event == null) {
            return true;
        }
        EventHandler<Object> handler = subscription.handlerFor(event);
        if (handler == null) {
            return true;
        }
        UUID eventId = eventIdOf(event);
        if (eventId == null) {
            return deadLetter(record, deadLetters, "invalid event: no valid event_id");
        }
        Span span = clients.tracing().startProcess(subscription.consumerGroup(), List.of(record));
        try (Scope current = span.makeCurrent()) {
            database.inTransaction(tx -> {
                try (PreparedStatement claim = tx.prepareStatement(
                        "INSERT INTO processed_event (event_id, consumer) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    claim.setObject(1, eventId);
                    claim.setString(2, subscription.consumerGroup());
                    // Already applied: a redelivery or a replay, nothing more to do.
                    if (claim.executeUpdate() == 0) {
                        return null;
                    }
                }
                handler.apply(tx, event);
                return null;
            });
            return true;
        } catch (InvalidEventException e) {
            span.setStatus(StatusCode.ERROR, "dead-lettered");
            return deadLetter(record, deadLetters, "invalid event: " + e.getMessage());
        } catch (Exception e) {
            if (violatesIntegrity(e)) {
                span.setStatus(StatusCode.ERROR, "dead-lettered");
                return deadLetter(record, deadLetters, "invalid event: its effect breaks a database constraint: " + e.getMessage());
            }
            LOG.warnf("Consumer %s could not apply %s at %s-%d@%d, retrying: %s", subscription.consumerGroup(),
                    eventId, record.topic(), record.partition(), record.offset(), e.toString());
            span.setStatus(StatusCode.ERROR, e.toString());
            sleep(RETRY);
            return false;
        } finally {
            span.end();
        }
    }

    private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> deadLetters, String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DLQ_REASON, utf8(reason));
        headers.add(DLQ_CONSUMER, utf8(subscription.consumerGroup()));
        headers.add(DLQ_TOPIC, utf8(record.topic()));
        headers.add(DLQ_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(DLQ_OFFSET, utf8(Long.toString(record.offset())));
        try {
            deadLetters.send(new ProducerRecord<>(Topics.deadLetterTopic(record.topic()), null,
                    record.key(), record.value(), headers)).get();
            LOG.warnf("Consumer %s dead-lettered %s-%d@%d: %s", subscription.consumerGroup(),
                    record.topic(), record.partition(), record.offset(), reason);
            KitMetrics.deadLettered(subscription.consumerGroup(), record.topic());
            return true;
        } catch (Exception e) {
            LOG.warnf("Dead-letter topic unavailable, retrying: %s", e.toString());
            sleep(RETRY);
            return false;
        }
    }

    /** SQLSTATE class 23: retrying cannot help an event whose effect the database refuses. */
    private static boolean violatesIntegrity(Exception e) {
        return e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23");
    }

    private static UUID eventIdOf(Object event) {
        if (!(event instanceof GenericRecord record) || record.getSchema().getField("event_id") == null) {
            return null;
        }
        Object id = record.get("event_id");
        try {
            return id == null ? null : UUID.fromString(id.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Offsets of applied records not committed yet; committed when due, and for partitions about to be revoked. */
    private final class PendingOffsets implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> kafka;
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        private long lastCommit = System.nanoTime();

        PendingOffsets(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        void add(Map<TopicPartition, OffsetAndMetadata> done) {
            offsets.putAll(done);
        }

        void commitIfDue() {
            if (!offsets.isEmpty() && System.nanoTime() - lastCommit >= COMMIT_INTERVAL.toNanos()) {
                kafka.commitSync(offsets);
                offsets.clear();
                lastCommit = System.nanoTime();
            }
        }

        /** On the way out: a failure only means those events are delivered again, and found in the inbox. */
        void commitNow() {
            if (offsets.isEmpty()) {
                return;
            }
            try {
                kafka.commitSync(offsets, CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.debugf("Consumer %s could not commit its last offsets: %s", subscription.consumerGroup(), e.toString());
            }
            offsets.clear();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            partitions.forEach(partition -> {
                OffsetAndMetadata offset = offsets.remove(partition);
                if (offset != null) {
                    revoked.put(partition, offset);
                }
            });
            if (!revoked.isEmpty()) {
                kafka.commitSync(revoked);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A partition's new owner starts from its committed offset: nothing is pending for it yet.
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(offsets::remove);
        }
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
