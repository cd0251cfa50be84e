package com.lockstep.kit.events.replay;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.consistency.AppliedOffsets;
import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a service's {@link Replayable}s, one consumer group each, and reads any of them again from
 * the beginning of its topics: stop its consumer (leaving the group), reset the group's offsets
 * to the earliest with the Kafka AdminClient, for a rebuildable projection empty its tables and
 * its processed_event rows in one transaction, start the consumer again, and wait until it has
 * read as far as the topics reached when the replay began.
 * <p>
 * With several replicas, the others' consumers must be stopped first (the reset is refused while
 * the group has members).
 */
@KitApi
public class ReplayRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** How long a consumer that just left may still count as a member of its group. */
    private static final Duration LEAVE_GRACE = Duration.ofSeconds(5);

    /** What one replay did. */
    public record Replay(String consumerGroup, List<String> topics, long recordsToReplay, Duration took) {
    }

    /** The group still has members: other replicas consume it. */
    public static class GroupInUseException extends Exception {
        public GroupInUseException(String consumerGroup) {
            super("Consumer group " + consumerGroup + " has members of other replicas; stop them and retry", null, false, false);
        }
    }

    private final Map<String, Replayable> replayables = new LinkedHashMap<>();
    private final Map<String, AutoCloseable> consumers = new ConcurrentHashMap<>();
    private final Set<String> replaying = ConcurrentHashMap.newKeySet();
    private final KafkaClients clients;
    private final Database database;
    private final Duration catchUpTimeout;

    /** Reads fence on every group it runs ({@code fence}). */
    public ReplayRunner(Iterable<? extends Replayable> replayables, KafkaClients clients, Database database,
                        Duration catchUpTimeout, ReadFence fence) {
        replayables.forEach(replayable -> {
            this.replayables.put(replayable.consumerGroup(), replayable);
            fence.track(replayable.consumerGroup(), replayable.topics());
        });
        this.clients = clients;
        this.database = database;
        this.catchUpTimeout = catchUpTimeout;
    }

    /** Starts every consumer, from its group's committed offsets. */
    public void start() {
        replayables.values().forEach(this::startConsumer);
    }

    /** Stops every consumer at once: each may wait seconds for its group coordinator. */
    @Override
    public void close() throws Exception {
        List<Thread> stopping = new ArrayList<>();
        for (String group : List.copyOf(consumers.keySet())) {
            Thread thread = new Thread(() -> {
                try {
                    stopConsumer(group);
                } catch (Exception e) {
                    LOG.warnf("Consumer %s did not stop cleanly: %s", group, e.toString());
                }
            }, "stop-" + group);
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            thread.join();
        }
    }

    public Set<String> consumerGroups() {
        return replayables.keySet();
    }

    /** True while a consumer group is being replayed: a projection may be incomplete. */
    public boolean replaying() {
        return !replaying.isEmpty();
    }

    /** Reads {@code consumerGroup}'s topics again from the beginning (rebuilding it, if it is a projection). */
    public synchronized Replay replay(String consumerGroup) throws Exception {
        Replayable replayable = Optional.ofNullable(replayables.get(consumerGroup))
                .orElseThrow(() -> new IllegalArgumentException("No consumer group " + consumerGroup));
        Instant started = Instant.now();
        replaying.add(consumerGroup);
        try (Admin admin = clients.admin()) {
            stopConsumer(consumerGroup);
            Map<TopicPartition, Long> earliest = offsets(admin, replayable.topics(), OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(admin, replayable.topics(), OffsetSpec.latest());
            try {
                resetOffsets(admin, consumerGroup, earliest);
            } catch (GroupInUseException e) {
                startConsumer(replayable);
                throw e;
            }
            if (replayable.rebuildable()) {
                database.inTransaction(tx -> {
                    replayable.clear(tx);
                    // Reads wait (or answer 503) until the rebuild has caught up, rather than see it half done.
                    AppliedOffsets.reset(tx, consumerGroup);
                    try (PreparedStatement forget = tx.prepareStatement("DELETE FROM processed_event WHERE consumer = ?")) {
                        forget.setString(1, consumerGroup);
                        forget.executeUpdate();
                    }
                    return null;
                });
            }
            startConsumer(replayable);
            awaitCaughtUp(admin, consumerGroup, earliest, end);
            long records = end.entrySet().stream().mapToLong(e -> e.getValue() - earliest.get(e.getKey())).sum();
            Replay replay = new Replay(consumerGroup, replayable.topics(), records, Duration.between(started, Instant.now()));
            LOG.infof("Replayed %s: %d records in %d ms", consumerGroup, records, replay.took().toMillis());
            return replay;
        } finally {
            replaying.remove(consumerGroup);
        }
    }

    private void startConsumer(Replayable replayable) {
        consumers.put(replayable.consumerGroup(), replayable.start(clients, database));
    }

    private void stopConsumer(String consumerGroup) throws Exception {
        AutoCloseable consumer = consumers.remove(consumerGroup);
        if (consumer != null) {
            consumer.close();
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<String> topics, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .forEach((topic, description) -> description.partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), spec)));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /** Retries while the consumer that just left may still be counted as a member. */
    private static void resetOffsets(Admin admin, String consumerGroup, Map<TopicPartition, Long> earliest) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
        earliest.forEach((partition, offset) -> reset.put(partition, new OffsetAndMetadata(offset)));
        Instant deadline = Instant.now().plus(LEAVE_GRACE);
        while (true) {
            try {
                admin.alterConsumerGroupOffsets(consumerGroup, reset).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                boolean hasMembers = e.getCause() instanceof GroupNotEmptyException || e.getCause() instanceof UnknownMemberIdException;
                if (!hasMembers) {
                    throw e;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new GroupInUseException(consumerGroup);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Until the group's committed offsets reach {@code end} on every partition that has records. */
    private void awaitCaughtUp(Admin admin, String consumerGroup, Map<TopicPartition, Long> earliest,
                               Map<TopicPartition, Long> end) throws Exception {
        Instant deadline = Instant.now().plus(catchUpTimeout);
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumerGroup)
                    .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            boolean caughtUp = end.entrySet().stream().allMatch(e -> e.getValue() <= earliest.get(e.getKey())
                    || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
            if (caughtUp) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Replay of " + consumerGroup + " did not catch up within " + catchUpTimeout
                        + "; it goes on in the background");
            }
            Thread.sleep(50);
        }
    }
}
