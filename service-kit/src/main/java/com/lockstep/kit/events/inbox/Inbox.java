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
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.reactive.messaging.Metadata;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Applies what a service's {@code @Incoming} channels receive, with at-least-once delivery and
 * exactly-once effect. The connector (SmallRye Reactive Messaging) polls, keeps the group and
 * commits offsets after the batch is acknowledged; the inbox decodes, applies and acknowledges:
 * <ul>
 * <li>An event's effect commits in one transaction with its (event_id, consumer) row in
 * {@code processed_event}; a redelivered or replayed event finds its row and changes nothing. A
 * batch is applied in one transaction when it all can be, otherwise one record at a time.</li>
 * <li>The batch's applied offsets ({@link AppliedOffsets}, what reads fence on) commit in the same
 * transaction.</li>
 * <li>A record that can never be applied (undecodable bytes, no valid {@code event_id}, an
 * {@link InvalidEventException}, an effect the database refuses) is nacked with the reason in
 * headers: the connector's dead-letter strategy copies it to {@code <topic>.dlq}.</li>
 * <li>Any other failure (the database is down) is retried, the batch kept in memory: the
 * connector pauses the partitions and the member stays in its group.</li>
 * <li>Records of a partition taken away before they were applied are not applied here, nor
 * acknowledged: their partition's next owner applies them.</li>
 * </ul>
 * The method that calls {@link #apply} never fails: with manual acknowledgement a failed stage
 * would end the channel until a restart.
 */
@KitApi
public class Inbox {

    /** The worker pool of the {@code @Blocking} channel methods. */
    public static final String WORKERS = "inbox";
    /** The rebalance listener every channel names ({@link InboxRebalanceListener}). */
    public static final String REBALANCE_LISTENER = "lockstep-inbox";
    public static final String DLQ_REASON = "dlq.reason";
    public static final String DLQ_CONSUMER = "dlq.consumer";
    public static final String DLQ_TOPIC = "dlq.original.topic";
    public static final String DLQ_PARTITION = "dlq.original.partition";
    public static final String DLQ_OFFSET = "dlq.original.offset";

    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(100);

    /** A record of a batch that goes to the dead-letter topic, by its index in the batch. */
    private record DeadLetter(int index, String reason) {
    }

    /** What became of a batch: its records to dead-letter, and the partitions it left to their new owner. */
    private record Outcome(List<DeadLetter> deadLetters, Set<TopicPartition> givenAway) {
    }

    /**
     * One consumer group's state on this replica. Its lock is held while a batch is applied, so
     * that a replay, or a rebalance taking partitions away, waits for the batch in flight.
     */
    private final class Group {
        final ReentrantLock lock = new ReentrantLock();
        final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
        /** Per partition, the first offset not yet applied by a replay: a batch fetched before it is stale below. */
        final Map<TopicPartition, Long> replayedUpTo = new ConcurrentHashMap<>();
        Deserializer<Object> deserializer;

        Deserializer<Object> deserializer() {
            if (deserializer == null) {
                deserializer = clients.valueDeserializer();
            }
            return deserializer;
        }

        boolean deliverable(ConsumerRecord<?, ?> record, boolean live) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            return (!live || assigned.contains(partition)) && record.offset() >= replayedUpTo.getOrDefault(partition, 0L);
        }
    }

    private final Database database;
    private final KafkaClients clients;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public Inbox(Database database, KafkaClients clients) {
        this.database = database;
        this.clients = clients;
    }

    /** What a service's {@code @Incoming @Blocking(Inbox.WORKERS)} method returns for its batch. */
    public CompletionStage<Void> apply(Subscription subscription, KafkaRecordBatch<byte[], byte[]> batch) {
        List<KafkaRecord<byte[], byte[]>> incoming = batch.getRecords();
        KitMetrics.batchReceived(subscription.consumerGroup(), incoming.size());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(incoming.size());
        incoming.forEach(record -> records.add(raw(record)));
        Outcome outcome = applyUntilDone(subscription, group(subscription.consumerGroup()), records, true);
        if (outcome == null) {
            // Stopping: not acknowledged, so delivered again after the restart.
            return CompletableFuture.completedFuture(null);
        }
        for (DeadLetter deadLetter : outcome.deadLetters()) {
            if (!deadLetter(subscription, incoming.get(deadLetter.index()), records.get(deadLetter.index()), deadLetter.reason())) {
                return CompletableFuture.completedFuture(null);
            }
        }
        if (outcome.givenAway().isEmpty()) {
            return batch.ack();
        }
        // A partition taken away before its records were applied may be back here already, its
        // commits counted afresh from the committed offset: acknowledging records this replica did
        // not apply would let that count commit past them, for whoever applies it next to skip.
        return CompletableFuture.allOf(batch.getLatestOffsetRecords().entrySet().stream()
                .filter(latest -> !outcome.givenAway().contains(latest.getKey()))
                .map(latest -> latest.getValue().ack().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Applies {@code subscription}'s topics from {@code from} up to {@code to} (per partition, exclusive)
     * with a reader of its own, while the channel waits; records it cannot apply are logged and
     * skipped, as they were dead-lettered when first read. Returns the number of records read.
     */
    public long replay(Subscription subscription, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) throws Exception {
        Group group = group(subscription.consumerGroup());
        group.lock.lock();
        try (KafkaConsumer<byte[], byte[]> reader = clients.rawReader()) {
            group.replayedUpTo.clear();
            reader.assign(from.keySet());
            from.forEach(reader::seek);
            long read = 0;
            while (from.keySet().stream().anyMatch(partition -> reader.position(partition) < to.get(partition))) {
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                reader.poll(POLL).forEach(record -> {
                    if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                });
                if (records.isEmpty()) {
                    continue;
                }
                Outcome outcome = applyUntilDone(subscription, group, records, false);
                if (outcome == null) {
                    throw new IllegalStateException("The service is stopping; replay of " + subscription.consumerGroup() + " interrupted");
                }
                outcome.deadLetters().forEach(poison -> LOG.warnf("Replay of %s skips %s: %s", subscription.consumerGroup(),
                        position(records.get(poison.index())), poison.reason()));
                read += records.size();
            }
            database.inTransaction(tx -> {
                AppliedOffsets.record(tx, subscription.consumerGroup(), to);
                return null;
            });
            group.replayedUpTo.putAll(to);
            return read;
        } finally {
            group.lock.unlock();
        }
    }

    /** The connector assigned {@code positions}' partitions to this replica, each to start at its position. */
    void assigned(String consumerGroup, Map<TopicPartition, Long> positions) {
        group(consumerGroup).assigned.addAll(positions.keySet());
        // Everything below a partition's position was applied (offsets are committed after the effect),
        // which the fence must know even when no record follows (a log emptied by retention, say).
        try {
            database.inTransaction(tx -> {
                AppliedOffsets.record(tx, consumerGroup, positions);
                return null;
            });
        } catch (Exception e) {
            LOG.debugf("Consumer %s could not record its positions on assignment: %s", consumerGroup, e.toString());
        }
    }

    /** Partitions taken away: waits for the batch in flight, and the ones fetched for them are not applied. */
    void revoked(String consumerGroup, Collection<TopicPartition> partitions) {
        Group group = group(consumerGroup);
        group.lock.lock();
        try {
            group.assigned.removeAll(partitions);
        } finally {
            group.lock.unlock();
        }
    }

    /** From the service's shutdown on, batches are left unacknowledged, to be delivered again. */
    public void stop() {
        stopping = true;
    }

    private Group group(String consumerGroup) {
        return groups.computeIfAbsent(consumerGroup, g -> new Group());
    }

    /**
     * Applies the records (those this replica may still apply) until done, retrying what fails
     * for a transient reason; returns the ones to dead-letter and the partitions whose records it
     * may no longer apply, or null if the service stops first.
     */
    private Outcome applyUntilDone(Subscription subscription, Group group, List<ConsumerRecord<byte[], byte[]>> records,
                                   boolean live) {
        List<DeadLetter> deadLetters = new ArrayList<>();
        int next = 0;
        boolean wholeBatch = true;
        while (!stopping) {
            group.lock.lock();
            try {
                List<Integer> deliverable = new ArrayList<>();
                Set<TopicPartition> givenAway = new HashSet<>();
                for (int i = 0; i < records.size(); i++) {
                    ConsumerRecord<byte[], byte[]> record = records.get(i);
                    if (group.deliverable(record, live)) {
                        deliverable.add(i);
                    } else if (live && !group.assigned.contains(new TopicPartition(record.topic(), record.partition()))) {
                        givenAway.add(new TopicPartition(record.topic(), record.partition()));
                    }
                }
                Outcome outcome = new Outcome(deadLetters, givenAway);
                if (subscription instanceof StateSubscription states) {
                    applyStates(states, group, records, deliverable);
                    return outcome;
                }
                EventSubscription events = (EventSubscription) subscription;
                if (wholeBatch && applyEvents(events, group, records, deliverable)) {
                    return outcome;
                }
                wholeBatch = false;
                for (int i : deliverable) {
                    if (i >= next) {
                        String poison = applyEvent(events, group, records.get(i));
                        if (poison != null) {
                            deadLetters.add(new DeadLetter(i, poison));
                        }
                        next = i + 1;
                    }
                }
                database.inTransaction(tx -> {
                    AppliedOffsets.record(tx, subscription.consumerGroup(), nextOffsets(records, deliverable));
                    return null;
                });
                return outcome;
            } catch (Exception e) {
                LOG.warnf("Consumer %s could not apply a batch of %d records, retrying: %s", subscription.consumerGroup(),
                        records.size(), e.toString());
            } finally {
                group.lock.unlock();
            }
            sleep(RETRY);
        }
        return null;
    }

    /**
     * Applies every event of a batch in one transaction, with the offsets it reaches: one commit
     * and one claim statement for hundreds of events, which is what makes a backlog fast. Returns
     * false, having changed nothing, when any record needs the one-at-a-time path.
     */
    private boolean applyEvents(EventSubscription subscription, Group group, List<ConsumerRecord<byte[], byte[]>> records,
                                List<Integer> deliverable) {
        List<Object> events = new ArrayList<>(deliverable.size());
        List<UUID> eventIds = new ArrayList<>(deliverable.size());
        List<ConsumerRecord<byte[], byte[]>> traced = new ArrayList<>(deliverable.size());
        for (int i : deliverable) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            traced.add(record);
            if (record.value() == null) {
                continue;
            }
            Object event;
            try {
                event = group.deserializer().deserialize(record.topic(), record.headers(), record.value());
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
        Span span = clients.tracing().startProcess(subscription.consumerGroup(), traced);
        try (Scope current = span.makeCurrent()) {
            database.inTransaction(tx -> {
                Set<UUID> claimed = claim(tx, subscription.consumerGroup(), eventIds);
                List<Object> run = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    // remove(): an event delivered twice in one batch is applied once.
                    if (!claimed.remove(eventIds.get(i))) {
                        continue;
                    }
                    Object event = events.get(i);
                    if (!run.isEmpty() && run.get(0).getClass() != event.getClass()) {
                        applyRun(subscription, tx, run);
                    }
                    if (subscription.batchHandlerFor(event) != null) {
                        run.add(event);
                    } else {
                        subscription.handlerFor(event).apply(tx, event);
                    }
                }
                applyRun(subscription, tx, run);
                AppliedOffsets.record(tx, subscription.consumerGroup(), nextOffsets(records, deliverable));
                return null;
            });
            return true;
        } catch (Exception e) {
            LOG.debugf("Consumer %s applies %d records one at a time after: %s", subscription.consumerGroup(),
                    deliverable.size(), e.toString());
            span.setStatus(StatusCode.ERROR, "applied one at a time instead");
            return false;
        } finally {
            span.end();
        }
    }

    /**
     * Applies one event in its own transaction. Returns why it can never be applied, or null once
     * applied (or skipped); throws when it should be tried again.
     */
    private String applyEvent(EventSubscription subscription, Group group, ConsumerRecord<byte[], byte[]> record) throws Exception {
        if (record.value() == null) {
            return null;
        }
        Object event;
        try {
            event = group.deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return "undeserialisable: " + e.getMessage();
        }
        if (event == null) {
            return null;
        }
        EventHandler<Object> handler = subscription.handlerFor(event);
        if (handler == null) {
            return null;
        }
        UUID eventId = eventIdOf(event);
        if (eventId == null) {
            return "invalid event: no valid event_id";
        }
        Span span = clients.tracing().startProcess(subscription.consumerGroup(), List.of(record));
        try (Scope current = span.makeCurrent()) {
            database.inTransaction(tx -> {
                // Already applied: a redelivery or a replay, nothing more to do.
                if (!claim(tx, subscription.consumerGroup(), List.of(eventId)).isEmpty()) {
                    handler.apply(tx, event);
                }
                return null;
            });
            return null;
        } catch (InvalidEventException e) {
            span.setStatus(StatusCode.ERROR, "dead-lettered");
            return "invalid event: " + e.getMessage();
        } catch (Exception e) {
            // SQLSTATE class 23: retrying cannot help an event whose effect the database refuses.
            String state = Database.sqlState(e);
            if (state != null && state.startsWith("23")) {
                span.setStatus(StatusCode.ERROR, "dead-lettered");
                return "invalid event: its effect breaks a database constraint: " + e.getMessage();
            }
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }

    /** A state batch in one transaction: applying a state again is harmless, so at-least-once is enough. */
    private void applyStates(StateSubscription subscription, Group group, List<ConsumerRecord<byte[], byte[]>> records,
                             List<Integer> deliverable) throws Exception {
        database.inTransaction(tx -> {
            for (int i : deliverable) {
                applyState(subscription, group, tx, records.get(i));
            }
            AppliedOffsets.record(tx, subscription.consumerGroup(), nextOffsets(records, deliverable));
            return null;
        });
    }

    private void applyState(StateSubscription subscription, Group group, Connection tx, ConsumerRecord<byte[], byte[]> record)
            throws Exception {
        if (record.key() == null) {
            LOG.warnf("Consumer %s skips a record without a key at %s", subscription.consumerGroup(), position(record));
            return;
        }
        Object state = null;
        if (record.value() != null) {
            try {
                state = group.deserializer().deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                LOG.warnf("Consumer %s skips an undeserialisable record at %s: %s", subscription.consumerGroup(),
                        position(record), e.getMessage());
                return;
            }
        }
        subscription.handler().apply(tx, new String(record.key(), StandardCharsets.UTF_8), state);
    }

    /**
     * Nacks the record with the reason and its origin in headers, for the connector's dead-letter
     * strategy to copy it, unchanged, to its topic's dead-letter topic. Returns false if the
     * service stops before that succeeds.
     */
    private boolean deadLetter(Subscription subscription, KafkaRecord<byte[], byte[]> incoming, ConsumerRecord<byte[], byte[]> record,
                               String reason) {
        Headers headers = new RecordHeaders();
        headers.add(DLQ_REASON, utf8(reason));
        headers.add(DLQ_CONSUMER, utf8(subscription.consumerGroup()));
        headers.add(DLQ_TOPIC, utf8(record.topic()));
        headers.add(DLQ_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(DLQ_OFFSET, utf8(Long.toString(record.offset())));
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.builder()
                .withTopic(Topics.deadLetterTopic(record.topic()))
                .withHeaders(headers)
                .build());
        while (!stopping) {
            try {
                incoming.nack(new InvalidEventException(reason), metadata).toCompletableFuture().get();
                LOG.warnf("Consumer %s dead-lettered %s: %s", subscription.consumerGroup(), position(record), reason);
                KitMetrics.deadLettered(subscription.consumerGroup(), record.topic());
                return true;
            } catch (Exception e) {
                LOG.warnf("Dead-letter topic unavailable, retrying: %s", e.toString());
                sleep(RETRY);
            }
        }
        return false;
    }

    private static ConsumerRecord<byte[], byte[]> raw(KafkaRecord<byte[], byte[]> record) {
        @SuppressWarnings("unchecked")
        ConsumerRecord<byte[], byte[]> raw = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("A record without its Kafka metadata"))
                .getRecord();
        return raw;
    }

    /** Per partition, the offset after the last of the records. */
    private static Map<TopicPartition, Long> nextOffsets(List<ConsumerRecord<byte[], byte[]>> records, List<Integer> indexes) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (int i : indexes) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        return next;
    }

    private static void applyRun(EventSubscription subscription, Connection tx, List<Object> run) throws Exception {
        if (!run.isEmpty()) {
            subscription.batchHandlerFor(run.get(0)).apply(tx, List.copyOf(run));
            run.clear();
        }
    }

    private static Set<UUID> claim(Connection tx, String consumer, List<UUID> eventIds) throws SQLException {
        Set<UUID> claimed = new HashSet<>();
        if (eventIds.isEmpty()) {
            return claimed;
        }
        try (PreparedStatement claim = tx.prepareStatement("INSERT INTO processed_event (event_id, consumer) "
                + "SELECT id, ? FROM unnest(?::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id")) {
            claim.setString(1, consumer);
            claim.setArray(2, tx.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return claimed;
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

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
