package com.lockstep.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.registry.SerdeConfig;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Lost-phone latency: deactivates phones through phone-service on an open-loop schedule (one
 * {@code DELETE /phones/deactivate} every 1/rate s, whether or not earlier ones have returned) and
 * times, for each phone, from the moment its DELETE returned 200 to the moment the LAST of its
 * {@code acs_credential.deleted} events (credential-service revoking every credential issued to
 * it) was read from {@code lockstep.acs_credential.events} by a consumer that was already assigned
 * to every partition and polling. The same consumer reads {@code lockstep.phone.events}, which
 * splits the time into phone-service's part (DELETE → {@code phone.deactivated}) and
 * credential-service's ({@code phone.deactivated} → the last {@code acs_credential.deleted}).
 * All instants are this JVM's {@link System#nanoTime()}.
 */
final class RevocationLatency implements AutoCloseable {

    /** Histograms in microseconds, up to a minute. */
    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(1);
    static final Duration POLL_TIMEOUT = Duration.ofMillis(10);

    private final HttpClient http;
    private final PhoneApi api;
    private final KafkaConsumer<String, Object> consumer;
    private final Thread poller;
    private final int partitions;
    private final Map<String, Seen> phoneEvents = new ConcurrentHashMap<>();
    /** The same phone events read by a second consumer with isolation.level=read_committed, as the services' consumers read. */
    private final KafkaConsumer<String, Object> committedConsumer;
    private final Thread committedPoller;
    private final Map<String, Long> phoneEventsReadCommitted = new ConcurrentHashMap<>();
    /** device id → its credentials' deletions, by acs_credential_id (a redelivered copy counts once). */
    private final Map<String, Map<String, Seen>> deletions = new ConcurrentHashMap<>();
    private final AtomicLong pollErrors = new AtomicLong();
    private volatile boolean polling = true;
    private volatile Throwable pollFailure;

    RevocationLatency(HttpClient http, PhoneApi api, String bootstrapServers, String registryUrl) {
        this.http = http;
        this.api = api;
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(registryUrl));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-revocation-latency");
        this.consumer = new KafkaConsumer<>(config);
        List<TopicPartition> assigned = new ArrayList<>();
        for (String topic : List.of(Topics.PHONE_EVENTS, Topics.ACS_CREDENTIAL_EVENTS)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> assigned.add(new TopicPartition(info.topic(), info.partition())));
        }
        // Assigned (no group rebalance) to every partition, from the end: only new events count.
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
        this.partitions = assigned.size();
        this.poller = new Thread(this::poll, "bench-revocation-consumer");
        this.poller.setDaemon(true);
        this.poller.start();

        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-revocation-latency-read-committed");
        this.committedConsumer = new KafkaConsumer<>(config);
        List<TopicPartition> phonePartitions = assigned.stream().filter(p -> p.topic().equals(Topics.PHONE_EVENTS)).toList();
        committedConsumer.assign(phonePartitions);
        committedConsumer.seekToEnd(phonePartitions);
        phonePartitions.forEach(partition -> committedConsumer.position(partition, Duration.ofSeconds(30)));
        this.committedPoller = new Thread(this::pollReadCommitted, "bench-revocation-consumer-read-committed");
        this.committedPoller.setDaemon(true);
        this.committedPoller.start();
    }

    private void pollReadCommitted() {
        try {
            while (polling) {
                ConsumerRecords<String, Object> records;
                try {
                    records = committedConsumer.poll(POLL_TIMEOUT);
                } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                    return;
                } catch (RuntimeException e) {
                    continue;
                }
                long now = System.nanoTime();
                for (ConsumerRecord<String, Object> record : records) {
                    if (record.value() instanceof PhoneDeactivated event) {
                        phoneEventsReadCommitted.putIfAbsent(event.getDeviceId(), now);
                    }
                }
            }
        } finally {
            committedConsumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Partitions of both topics the consumer reads. */
    int partitions() {
        return partitions;
    }

    private void poll() {
        try {
            while (polling) {
                ConsumerRecords<String, Object> records;
                try {
                    records = consumer.poll(POLL_TIMEOUT);
                } catch (org.apache.kafka.common.errors.WakeupException stopping) {
                    return;
                } catch (RuntimeException e) {
                    pollErrors.incrementAndGet();
                    pollFailure = e;
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                long wallNow = System.currentTimeMillis();
                for (ConsumerRecord<String, Object> record : records) {
                    if (record.value() instanceof PhoneDeactivated event) {
                        phoneEvents.putIfAbsent(event.getDeviceId(),
                                new Seen(now, wallNow, record.timestamp(), event.getOccurredAt().toEpochMilli()));
                    } else if (record.value() instanceof AcsCredentialDeleted event && event.getDeviceId() != null) {
                        deletions.computeIfAbsent(event.getDeviceId(), d -> new ConcurrentHashMap<>())
                                .putIfAbsent(event.getAcsCredentialId(),
                                        new Seen(now, wallNow, record.timestamp(), event.getOccurredAt().toEpochMilli()));
                    }
                }
            }
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /**
     * Deactivates {@code deviceIds} at {@code ratePerSecond}, then waits up to {@code drain} until
     * each has as many {@code acs_credential.deleted} as {@code expected} says it holds credentials.
     */
    Result run(List<String> deviceIds, Map<String, Integer> expected, int ratePerSecond, Duration drain) throws InterruptedException {
        long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        Map<String, Sent> sent = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        Map<Integer, AtomicLong> failureStatuses = new ConcurrentHashMap<>();
        Histogram scheduleLag = new Histogram(HIGHEST_US, 3);
        List<CompletableFuture<?>> calls = new ArrayList<>(deviceIds.size());

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < deviceIds.size(); i++) {
            String deviceId = deviceIds.get(i);
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long sentAt = System.nanoTime();
            scheduleLag.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(sentAt - due)));
            calls.add(http.sendAsync(api.deactivateRequest(deviceId), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        long returnedAt = System.nanoTime();
                        if (failure == null && response.statusCode() == 200) {
                            sent.put(deviceId, new Sent(sentAt, returnedAt));
                        } else {
                            failed.incrementAndGet();
                            failureStatuses.computeIfAbsent(failure == null ? response.statusCode() : -1, s -> new AtomicLong()).incrementAndGet();
                        }
                    }));
        }
        long sendingNanos = System.nanoTime() - start;
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // Counted as failures above (or still missing below).
        }
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < drainUntil && !sent.keySet().stream().allMatch(id -> complete(id, expected))) {
            Thread.sleep(20);
        }

        Histogram responseToLastDeleted = new Histogram(HIGHEST_US, 3);
        Histogram sentToLastDeleted = new Histogram(HIGHEST_US, 3);
        Histogram responseToPhoneEvent = new Histogram(HIGHEST_US, 3);
        Histogram responseToPhoneEventReadCommitted = new Histogram(HIGHEST_US, 3);
        Histogram phoneEventToLastDeleted = new Histogram(HIGHEST_US, 3);
        Histogram firstToLastDeleted = new Histogram(HIGHEST_US, 3);
        Histogram deleteLatency = new Histogram(HIGHEST_US, 3);
        Histogram phoneRecordToRevokedMs = new Histogram(HIGHEST_US, 3);
        Histogram revokedToRecordMs = new Histogram(HIGHEST_US, 3);
        Histogram recordToConsumerMs = new Histogram(HIGHEST_US, 3);
        long lastBeforeResponse = 0;
        long incomplete = 0;
        long noPhoneEvent = 0;
        long deletedEvents = 0;
        Map<Integer, Long> credentialsPerPhone = new HashMap<>();
        for (Map.Entry<String, Sent> entry : sent.entrySet()) {
            String deviceId = entry.getKey();
            Sent s = entry.getValue();
            credentialsPerPhone.merge(expected.getOrDefault(deviceId, 0), 1L, Long::sum);
            deleteLatency.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(s.returnedAt - s.sentAt)));
            Seen phoneEvent = phoneEvents.get(deviceId);
            if (phoneEvent != null) {
                responseToPhoneEvent.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(phoneEvent.readAt - s.returnedAt)));
            } else {
                noPhoneEvent++;
            }
            Long readCommitted = phoneEventsReadCommitted.get(deviceId);
            if (readCommitted != null) {
                responseToPhoneEventReadCommitted.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(readCommitted - s.returnedAt)));
            }
            Map<String, Seen> seen = deletions.getOrDefault(deviceId, Map.of());
            deletedEvents += seen.size();
            if (!complete(deviceId, expected)) {
                incomplete++;
                continue;
            }
            Seen first = seen.values().stream().min((a, b) -> Long.compare(a.readAt, b.readAt)).orElseThrow();
            Seen last = seen.values().stream().max((a, b) -> Long.compare(a.readAt, b.readAt)).orElseThrow();
            long micros = TimeUnit.NANOSECONDS.toMicros(last.readAt - s.returnedAt);
            if (micros < 0) {
                lastBeforeResponse++;
            }
            responseToLastDeleted.recordValue(clamp(micros));
            sentToLastDeleted.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(last.readAt - s.sentAt)));
            firstToLastDeleted.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(last.readAt - first.readAt)));
            if (phoneEvent != null) {
                phoneEventToLastDeleted.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(last.readAt - phoneEvent.readAt)));
                // Wall clock (ms): phone.deactivated on Kafka → credential-service's revoking transaction
                // (the deletions' occurred_at) → the last deletion's record on Kafka → read here.
                phoneRecordToRevokedMs.recordValue(clamp(last.occurredAtMs - phoneEvent.recordTimestampMs));
            }
            revokedToRecordMs.recordValue(clamp(last.recordTimestampMs - last.occurredAtMs));
            recordToConsumerMs.recordValue(clamp(last.readWallMs - last.recordTimestampMs));
        }
        Map<Integer, Long> statuses = new HashMap<>();
        failureStatuses.forEach((status, count) -> statuses.put(status, count.get()));
        return new Result(deviceIds.size(), ratePerSecond, sendingNanos / 1e9, sent.size(), failed.get(), statuses,
                incomplete, noPhoneEvent, deletedEvents, lastBeforeResponse, credentialsPerPhone,
                responseToLastDeleted, sentToLastDeleted, responseToPhoneEvent, responseToPhoneEventReadCommitted, phoneEventToLastDeleted, firstToLastDeleted,
                deleteLatency, scheduleLag, phoneRecordToRevokedMs, revokedToRecordMs, recordToConsumerMs,
                pollErrors.get(), pollFailure == null ? null : pollFailure.toString());
    }

    private boolean complete(String deviceId, Map<String, Integer> expected) {
        int want = expected.getOrDefault(deviceId, 0);
        return want > 0 && deletions.getOrDefault(deviceId, Map.of()).size() >= want;
    }

    @Override
    public void close() throws InterruptedException {
        polling = false;
        poller.join(10_000);
        committedPoller.join(10_000);
    }

    private static long clamp(long value) {
        return Math.max(0, Math.min(HIGHEST_US, value));
    }

    private record Sent(long sentAt, long returnedAt) {
    }

    private record Seen(long readAt, long readWallMs, long recordTimestampMs, long occurredAtMs) {
    }

    /**
     * @param incomplete phones whose DELETE succeeded but whose deletions were not all read in time (or that held no credential)
     * @param credentialsPerPhone how many credentials the phones held (from credential-service's database) → how many phones
     * @param responseToLastDeleted microseconds from the DELETE's 200 to its last acs_credential.deleted read (the figure)
     * @param sentToLastDeleted microseconds from the DELETE sent to its last acs_credential.deleted read (end to end, as the caller sees it)
     */
    record Result(int requested, int ratePerSecond, double sendingSeconds, int succeeded, long failed,
                  Map<Integer, Long> failureStatuses, long incomplete, long noPhoneEvent, long deletedEvents,
                  long lastBeforeResponse, Map<Integer, Long> credentialsPerPhone,
                  Histogram responseToLastDeleted, Histogram sentToLastDeleted, Histogram responseToPhoneEvent, Histogram responseToPhoneEventReadCommitted,
                  Histogram phoneEventToLastDeleted,
                  Histogram firstToLastDeleted, Histogram deleteLatency, Histogram scheduleLag,
                  Histogram phoneRecordToRevokedMs, Histogram revokedToRecordMs, Histogram recordToConsumerMs,
                  long pollErrors, String lastPollError) {
    }
}
