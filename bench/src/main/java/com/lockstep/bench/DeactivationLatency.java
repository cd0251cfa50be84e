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
 * Deactivate-to-event latency: deactivates phones on an open-loop schedule (one DELETE every
 * 1/rate s, whether or not earlier ones have returned) and times, for each phone, from the moment
 * its {@code DELETE /phones/deactivate} returned 200 to the moment its {@code phone.deactivated} was
 * read from {@code lockstep.phone.events} by a consumer that was already assigned and polling.
 * Both instants come from this JVM's {@link System#nanoTime()}.
 */
final class DeactivationLatency implements AutoCloseable {

    /** Histograms in microseconds, up to a minute. */
    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(1);
    static final Duration POLL_TIMEOUT = Duration.ofMillis(10);

    private final HttpClient http;
    private final PhoneApi api;
    private final KafkaConsumer<String, Object> consumer;
    private final Thread poller;
    private final int partitions;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final AtomicLong pollErrors = new AtomicLong();
    private volatile boolean polling = true;
    private volatile Throwable pollFailure;

    DeactivationLatency(HttpClient http, PhoneApi api, String bootstrapServers, String registryUrl) {
        this.http = http;
        this.api = api;
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(registryUrl));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-deactivation-latency");
        this.consumer = new KafkaConsumer<>(config);
        // Assigned (no group rebalance) to every partition, from the end: only new events count.
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.PHONE_EVENTS, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
        this.partitions = partitions.size();
        this.poller = new Thread(this::poll, "bench-phone-events-consumer");
        this.poller.setDaemon(true);
        this.poller.start();
    }

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
                    // e.g. a record the deserializer cannot read: count it and go on.
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
                        seen.putIfAbsent(event.getDeviceId(),
                                new Seen(now, wallNow, record.timestamp(), event.getOccurredAt().toEpochMilli()));
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Deactivates {@code deviceIds} at {@code ratePerSecond}, then waits up to {@code drain} for their events.
     */
    Result run(List<String> deviceIds, int ratePerSecond, Duration drain) throws InterruptedException {
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
            scheduleLag.recordValue(Math.min(HIGHEST_US, TimeUnit.NANOSECONDS.toMicros(sentAt - due)));
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
        while (System.nanoTime() < drainUntil && !sent.keySet().stream().allMatch(seen::containsKey)) {
            Thread.sleep(20);
        }

        Histogram responseToEvent = new Histogram(HIGHEST_US, 3);
        Histogram deleteLatency = new Histogram(HIGHEST_US, 3);
        Histogram occurredToRecordMs = new Histogram(HIGHEST_US, 3);
        Histogram recordToConsumerMs = new Histogram(HIGHEST_US, 3);
        long eventBeforeResponse = 0;
        long missing = 0;
        for (Map.Entry<String, Sent> entry : sent.entrySet()) {
            Sent s = entry.getValue();
            deleteLatency.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(s.returnedAt - s.sentAt)));
            Seen event = seen.get(entry.getKey());
            if (event == null) {
                missing++;
                continue;
            }
            long micros = TimeUnit.NANOSECONDS.toMicros(event.readAt - s.returnedAt);
            if (micros < 0) {
                eventBeforeResponse++;
            }
            responseToEvent.recordValue(clamp(micros));
            // Wall-clock (millisecond) breakdown: the service's commit time (occurred_at) to the
            // relay's send (the record's timestamp), and that to this consumer reading it.
            occurredToRecordMs.recordValue(clamp(event.recordTimestampMs - event.occurredAtMs));
            recordToConsumerMs.recordValue(clamp(event.readWallMs - event.recordTimestampMs));
        }
        Map<Integer, Long> statuses = new HashMap<>();
        failureStatuses.forEach((status, count) -> statuses.put(status, count.get()));
        return new Result(deviceIds.size(), ratePerSecond, sendingNanos / 1e9, sent.size(), failed.get(), statuses,
                missing, eventBeforeResponse, responseToEvent, deleteLatency, scheduleLag,
                occurredToRecordMs, recordToConsumerMs, pollErrors.get(),
                pollFailure == null ? null : pollFailure.toString());
    }

    @Override
    public void close() throws InterruptedException {
        polling = false;
        poller.join(10_000);
    }

    private static long clamp(long value) {
        return Math.max(0, Math.min(HIGHEST_US, value));
    }

    private record Sent(long sentAt, long returnedAt) {
    }

    private record Seen(long readAt, long readWallMs, long recordTimestampMs, long occurredAtMs) {
    }

    /**
     * @param responseToEvent microseconds from the DELETE's 200 to the event read (the figure)
     * @param deleteLatency microseconds from sending the DELETE to its 200
     * @param scheduleLag microseconds each DELETE was sent after its due time (open loop held if small)
     * @param occurredToRecordMs milliseconds from occurred_at to the Kafka record's timestamp (relay pickup)
     * @param recordToConsumerMs milliseconds from the record's timestamp to the consumer reading it
     */
    record Result(int requested, int ratePerSecond, double sendingSeconds, int succeeded, long failed,
                  Map<Integer, Long> failureStatuses, long missingEvents, long eventBeforeResponse,
                  Histogram responseToEvent, Histogram deleteLatency, Histogram scheduleLag,
                  Histogram occurredToRecordMs, Histogram recordToConsumerMs, long pollErrors, String lastPollError) {
    }
}
