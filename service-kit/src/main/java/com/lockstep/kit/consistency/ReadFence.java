package com.lockstep.kit.consistency;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.events.KafkaClients;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Makes a read see every event that was on Kafka when it arrived: it takes the end offsets of
 * the topics the service's consumer groups read, then waits until those groups have applied
 * them ({@link AppliedOffsets}, as {@link ChangeNotifications} sees them, whichever replica
 * consumes a partition). As in Raft's ReadIndex, one offset lookup serves every read that arrived
 * before it began: reads arriving while a lookup is in flight join the next one, which another
 * thread starts at once ({@link #LOOKUP_THREADS}).
 * <p>
 * A read with no side effect need not wait before it runs: it begins the fence as it arrives
 * ({@link #begin}) and runs while the lookup is in flight; {@link #settle} then says whether what
 * the consumers had applied at the start already covered the lookup, and if not, the read runs
 * again once they have. Idle, the read pays no lookup round trip on top of its own work.
 */
@KitApi
public class ReadFence implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReadFence.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofMillis(20);
    /**
     * Lookups that may be in flight at once, each on its own thread and client. With one, a read
     * arriving just after a lookup began waits for it and then for the next: up to two round
     * trips. With two, the next lookup starts at once.
     */
    private static final int LOOKUP_THREADS = 2;
    /** How long after a fence found the consumers behind reads keep fencing before they run. */
    private static final Duration BEHIND_MEMORY = Duration.ofMillis(500);

    private final KafkaClients clients;
    private final ChangeNotifications notifications;
    private final Map<String, List<String>> topicsByGroup = new ConcurrentHashMap<>();
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<CompletableFuture<Map<TopicPartition, Long>>> lookups = new LinkedBlockingQueue<>();
    private final List<Thread> lookupThreads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long lastBehindNanos = System.nanoTime() - BEHIND_MEMORY.toNanos();

    public ReadFence(KafkaClients clients, ChangeNotifications notifications) {
        this.clients = clients;
        this.notifications = notifications;
        for (int i = 0; i < LOOKUP_THREADS; i++) {
            Thread thread = new Thread(this::run, "read-fence-" + i);
            thread.setDaemon(true);
            lookupThreads.add(thread);
        }
    }

    public void start() {
        lookupThreads.forEach(Thread::start);
    }

    /** A consumer group that reads fence on. */
    public void track(String consumerGroup, Collection<String> groupTopics) {
        topicsByGroup.put(consumerGroup, List.copyOf(groupTopics));
        topics.addAll(groupTopics);
    }

    /** A topic whose end offsets a reader of its own ({@link #endOffsets}) needs, with no group to fence on. */
    public void lookUp(String topic) {
        topics.add(topic);
    }

    /** The consumer groups reads fence on. */
    public Set<String> trackedGroups() {
        return Set.copyOf(topicsByGroup.keySet());
    }

    /** How many records each tracked group has yet to apply: its topics' end offsets less what it has applied. */
    public Map<String, Long> lag(long deadlineNanos) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(deadlineNanos);
        Map<String, Long> lag = new HashMap<>();
        topicsByGroup.forEach((group, groupTopics) -> {
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
                if (groupTopics.contains(partition.getKey().topic())) {
                    behind += Math.max(0, partition.getValue() - notifications.applied(group, partition.getKey()));
                }
            }
            lag.put(group, behind);
        });
        return lag;
    }

    /** True when the service reads other contexts' topics, so its reads fence. */
    public boolean fences() {
        return !topicsByGroup.isEmpty();
    }

    /** Returns once every tracked group has applied what was on its topics at the call; a Seam 503 at the deadline. */
    public void await(long deadlineNanos) throws Exception {
        await(deadlineNanos, null);
    }

    /**
     * Returns once every tracked group has applied what was on {@code onTopics} (null: all its
     * topics) at the call; at once when none of them is tracked; a Seam 503 at the deadline.
     */
    public void await(long deadlineNanos, Set<String> onTopics) throws Exception {
        if (guards(onTopics)) {
            awaitApplied(on(onTopics, endOffsets(deadlineNanos)), deadlineNanos);
        }
    }

    /**
     * A fence begun as a read arrives, so that the offset lookup runs while the read does: what the
     * consumers had applied at that moment, and the lookup of what was on Kafka.
     */
    public static final class Pending {
        static final Pending NONE = new Pending(null, Map.of(), null);

        private final Set<String> onTopics;
        private final Map<ChangeNotifications.GroupPartition, Long> appliedAtBegin;
        private final CompletableFuture<Map<TopicPartition, Long>> lookup;

        private Pending(Set<String> onTopics, Map<ChangeNotifications.GroupPartition, Long> appliedAtBegin,
                        CompletableFuture<Map<TopicPartition, Long>> lookup) {
            this.onTopics = onTopics;
            this.appliedAtBegin = appliedAtBegin;
            this.lookup = lookup;
        }
    }

    /**
     * Begins a fence for a read that may run before it settles ({@link #settle}). It does not
     * block, so it may run on the event loop.
     */
    public Pending begin(Set<String> onTopics) {
        if (!guards(onTopics)) {
            return Pending.NONE;
        }
        Map<ChangeNotifications.GroupPartition, Long> applied = notifications.appliedSnapshot();
        CompletableFuture<Map<TopicPartition, Long>> lookup = new CompletableFuture<>();
        lookups.add(lookup);
        return new Pending(onTopics, applied, lookup);
    }

    /**
     * Settles a fence begun before a read ran. True when the consumers had already applied, as the
     * fence began, everything on Kafka at the lookup: the read, which began after, saw it all.
     * Otherwise it waits until they have applied it and returns false: the read must run again. A
     * Seam 503 at the deadline.
     */
    public boolean settle(Pending pending, long deadlineNanos) throws Exception {
        if (pending.lookup == null) {
            return true;
        }
        Map<TopicPartition, Long> end;
        try {
            end = pending.lookup.get(Math.max(deadlineNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            end = endOffsets(deadlineNanos);
        } catch (TimeoutException e) {
            throw SeamException.serviceUnavailable("Events cannot be read right now; retry shortly");
        }
        end = on(pending.onTopics, end);
        Map<ChangeNotifications.GroupPartition, Long> atBegin = pending.appliedAtBegin;
        if (appliedUpTo(end, (group, partition) ->
                atBegin.getOrDefault(new ChangeNotifications.GroupPartition(group, partition), 0L))) {
            return true;
        }
        lastBehindNanos = System.nanoTime();
        awaitApplied(end, deadlineNanos);
        return false;
    }

    /**
     * True when a fence found the consumers behind within the last {@link #BEHIND_MEMORY}: events are
     * flowing, so a read that ran alongside its fence would likely run twice. It had better settle
     * its fence first and run once.
     */
    public boolean recentlyBehind() {
        return System.nanoTime() - lastBehindNanos < BEHIND_MEMORY.toNanos();
    }

    /** True when a read on {@code onTopics} (null: all) must fence: some of them are consumed here. */
    private boolean guards(Set<String> onTopics) {
        return fences() && (onTopics == null || onTopics.stream().anyMatch(this::tracks));
    }

    private static Map<TopicPartition, Long> on(Set<String> onTopics, Map<TopicPartition, Long> end) {
        if (onTopics == null) {
            return end;
        }
        // The lookup's map is shared by every read it served.
        return end.entrySet().stream().filter(partition -> onTopics.contains(partition.getKey().topic()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private void awaitApplied(Map<TopicPartition, Long> end, long deadlineNanos) throws Exception {
        while (true) {
            long seen = notifications.generation();
            if (appliedUpTo(end, notifications::applied)) {
                return;
            }
            lastBehindNanos = System.nanoTime();
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw SeamException.serviceUnavailable("The service is catching up with events; retry shortly");
            }
            notifications.awaitChange(seen, left);
        }
    }

    private boolean tracks(String topic) {
        return topicsByGroup.values().stream().anyMatch(groupTopics -> groupTopics.contains(topic));
    }

    /** The end offsets of every tracked topic, from a lookup that began after this call. */
    public Map<TopicPartition, Long> endOffsets(long deadlineNanos) throws Exception {
        while (true) {
            CompletableFuture<Map<TopicPartition, Long>> lookup = new CompletableFuture<>();
            lookups.add(lookup);
            long left = deadlineNanos - System.nanoTime();
            try {
                return lookup.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (System.nanoTime() >= deadlineNanos) {
                    throw SeamException.serviceUnavailable("Events cannot be read right now; retry shortly");
                }
                Thread.sleep(RETRY.toMillis());
            } catch (TimeoutException e) {
                throw SeamException.serviceUnavailable("Events cannot be read right now; retry shortly");
            }
        }
    }

    /** How far a consumer group has applied a partition: the next offset it will apply. */
    @FunctionalInterface
    private interface Applied {
        long next(String group, TopicPartition partition);
    }

    private boolean appliedUpTo(Map<TopicPartition, Long> end, Applied applied) {
        for (Map.Entry<String, List<String>> group : topicsByGroup.entrySet()) {
            for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
                if (group.getValue().contains(partition.getKey().topic())
                        && applied.next(group.getKey(), partition.getKey()) < partition.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> reader = clients.rawReader()) {
                Map<String, List<TopicPartition>> partitions = new ConcurrentHashMap<>();
                while (running) {
                    List<CompletableFuture<Map<TopicPartition, Long>>> batch = new ArrayList<>();
                    CompletableFuture<Map<TopicPartition, Long>> first = lookups.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    lookups.drainTo(batch);
                    try {
                        List<TopicPartition> all = new ArrayList<>();
                        for (String topic : topics) {
                            all.addAll(partitions.computeIfAbsent(topic, t -> partitionsOf(reader, t)));
                        }
                        Map<TopicPartition, Long> end = reader.endOffsets(all, LOOKUP_TIMEOUT);
                        batch.forEach(lookup -> lookup.complete(end));
                    } catch (RuntimeException e) {
                        partitions.clear();
                        batch.forEach(lookup -> lookup.completeExceptionally(e));
                        LOG.debugf("End offsets could not be read: %s", e.toString());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Read fence restarts after: %s", e.toString());
            }
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> reader, String topic) {
        List<PartitionInfo> infos = reader.partitionsFor(topic, LOOKUP_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + topic + " has no partitions yet");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        lookupThreads.forEach(Thread::interrupt);
        for (Thread thread : lookupThreads) {
            thread.join(LOOKUP_TIMEOUT.toMillis() + 2_000);
        }
    }
}
