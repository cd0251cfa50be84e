package com.lockstep.kit.auth;

import com.lockstep.kit.events.KafkaClients;
import com.lockstep.schemas.Topics;
import com.lockstep.state.api_key.ApiKeyState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which workspace each API key belongs to, materialised from the compacted
 * {@value Topics#API_KEY_STATE} topic (key: the API key's SHA-256, value: its state, a
 * tombstone once revoked). Every service keeps this map, so a new key works and a revoked key
 * fails everywhere as soon as the record arrives (polled every 100 ms).
 * It reads from the beginning with no consumer group: each replica needs the whole map.
 */
public class ApiKeyDirectory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiKeyDirectory.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, UUID> workspaceByKeyHash = new ConcurrentHashMap<>();
    private final KafkaClients clients;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, Object> consumer;
    /** Where the directory has read each partition to; replaced after every poll, and waited on. */
    private volatile Map<TopicPartition, Long> positions = Map.of();

    public ApiKeyDirectory(KafkaClients clients) {
        this.clients = clients;
        this.thread = new Thread(this::run, "api-key-directory");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public Optional<UUID> workspaceOf(String keyHash) {
        return Optional.ofNullable(workspaceByKeyHash.get(keyHash));
    }

    /**
     * Waits until the directory has read the key topic up to {@code end} (its end offsets, looked up
     * after a request arrived), so that a key created just before is known; false at the deadline.
     */
    public synchronized boolean awaitRead(Map<TopicPartition, Long> end, long deadlineNanos) throws InterruptedException {
        while (true) {
            boolean read = end.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(Topics.API_KEY_STATE))
                    .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
            if (read) {
                return true;
            }
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
    }

    /** True once everything on the topic when this service started has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, Object> kafka = clients.stateReader()) {
                consumer = kafka;
                List<TopicPartition> partitions = kafka.partitionsFor(Topics.API_KEY_STATE, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                Map<TopicPartition, Long> endAtStart = kafka.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, Object> record : kafka.poll(POLL)) {
                        apply(record);
                    }
                    Map<TopicPartition, Long> read = new HashMap<>();
                    partitions.forEach(partition -> read.put(partition, kafka.position(partition)));
                    synchronized (this) {
                        positions = read;
                        notifyAll();
                    }
                    if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        LOG.infof("API key directory loaded: %d keys", workspaceByKeyHash.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("API key directory lost its connection, reconnecting: %s", e.toString());
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private void apply(ConsumerRecord<String, Object> record) {
        if (record.value() == null) {
            workspaceByKeyHash.remove(record.key());
        } else if (record.value() instanceof ApiKeyState state) {
            workspaceByKeyHash.put(record.key(), UUID.fromString(state.getWorkspaceId()));
        } else {
            LOG.warnf("Ignoring a record of unexpected type on %s: %s", record.topic(), record.value().getClass());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<String, Object> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        thread.join(5_000);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
