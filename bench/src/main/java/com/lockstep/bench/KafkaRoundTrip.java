package com.lockstep.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor the lost-phone latency is compared with: a plain Kafka producer and consumer on the
 * platform's own broker, no registry, no database, no service. Records of {@link #VALUE_BYTES}
 * (about the size of a lost-phone event) go to a topic of its own with as many partitions as the
 * platform's, on an open-loop schedule; each is timed from the moment {@code send()} was called to
 * the moment a consumer that was already assigned to every partition and polling read it.
 */
final class KafkaRoundTrip implements AutoCloseable {

    static final String TOPIC = "lockstep.bench.kafka-round-trip";
    static final int VALUE_BYTES = 256;
    /** The producer's settings besides its serialisers: as durable as the services' relays, and sending at once. */
    static final Map<String, Object> PRODUCER_SETTINGS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, 0);
    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(1);
    private static final long NOT_SEEN = -1;

    private final String runId = UUID.randomUUID().toString();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private final int partitions;
    private final AtomicLong pollErrors = new AtomicLong();
    private volatile AtomicLongArray readAt = new AtomicLongArray(0);
    private volatile int currentRun = -1;
    private volatile boolean polling = true;
    private int runs;

    KafkaRoundTrip(String bootstrapServers, int partitions) throws Exception {
        this.partitions = partitions;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(partitions), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Map<String, Object> producerConfig = new java.util.HashMap<>(PRODUCER_SETTINGS);
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-kafka-round-trip");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(producerConfig);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-kafka-round-trip",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> assigned = new ArrayList<>();
        consumer.partitionsFor(TOPIC, Duration.ofSeconds(30))
                .forEach(info -> assigned.add(new TopicPartition(info.topic(), info.partition())));
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
        // The producer's first send fetches metadata: not part of any measured record.
        producer.send(new ProducerRecord<>(TOPIC, "warm-up", new byte[VALUE_BYTES])).get(30, TimeUnit.SECONDS);
        this.poller = new Thread(this::poll, "bench-kafka-round-trip-consumer");
        this.poller.setDaemon(true);
        this.poller.start();
    }

    int partitions() {
        return partitions;
    }

    private void poll() {
        try {
            while (polling) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(RevocationLatency.POLL_TIMEOUT);
                } catch (WakeupException stopping) {
                    return;
                } catch (RuntimeException e) {
                    pollErrors.incrementAndGet();
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                AtomicLongArray seen = readAt;
                for (ConsumerRecord<String, byte[]> record : records) {
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    if (value.remaining() < 8 || value.getInt() != currentRun) {
                        continue;
                    }
                    int index = value.getInt();
                    if (index >= 0 && index < seen.length()) {
                        seen.compareAndSet(index, NOT_SEEN, now);
                    }
                }
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Sends {@code count} records at {@code ratePerSecond}, then waits up to {@code drain} for the consumer to read them all. */
    Result run(int count, int ratePerSecond, Duration drain) throws InterruptedException {
        AtomicLongArray seen = new AtomicLongArray(count);
        for (int i = 0; i < count; i++) {
            seen.set(i, NOT_SEEN);
        }
        long[] sentAt = new long[count];
        AtomicLongArray ackedAt = new AtomicLongArray(count);
        AtomicLong failed = new AtomicLong();
        readAt = seen;
        int run = ++runs;
        currentRun = run;
        Histogram scheduleLag = new Histogram(HIGHEST_US, 3);
        long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            ByteBuffer value = ByteBuffer.allocate(VALUE_BYTES);
            value.putInt(run).putInt(i);
            int index = i;
            sentAt[i] = System.nanoTime();
            scheduleLag.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(sentAt[i] - due)));
            producer.send(new ProducerRecord<>(TOPIC, runId + "-" + i, value.array()), (metadata, failure) -> {
                if (failure == null) {
                    ackedAt.set(index, System.nanoTime());
                } else {
                    failed.incrementAndGet();
                }
            });
        }
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < drainUntil && missing(seen) > 0) {
            Thread.sleep(20);
        }
        Histogram sendToRead = new Histogram(HIGHEST_US, 3);
        Histogram sendToAck = new Histogram(HIGHEST_US, 3);
        for (int i = 0; i < count; i++) {
            if (seen.get(i) != NOT_SEEN) {
                sendToRead.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(seen.get(i) - sentAt[i])));
            }
            if (ackedAt.get(i) != 0) {
                sendToAck.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(ackedAt.get(i) - sentAt[i])));
            }
        }
        return new Result(count, ratePerSecond, failed.get(), missing(seen), sendToRead, sendToAck, scheduleLag, pollErrors.get());
    }

    private static int missing(AtomicLongArray seen) {
        int missing = 0;
        for (int i = 0; i < seen.length(); i++) {
            if (seen.get(i) == NOT_SEEN) {
                missing++;
            }
        }
        return missing;
    }

    private static long clamp(long value) {
        return Math.max(0, Math.min(HIGHEST_US, value));
    }

    @Override
    public void close() throws InterruptedException {
        polling = false;
        poller.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * @param sendToRead microseconds from {@code send()} to the consumer reading the record (the figure)
     * @param sendToAck microseconds from {@code send()} to the broker's acknowledgement ({@code acks=all})
     */
    record Result(int sent, int ratePerSecond, long failed, int missing, Histogram sendToRead, Histogram sendToAck,
                  Histogram scheduleLag, long pollErrors) {

        boolean complete() {
            return failed == 0 && missing == 0;
        }
    }
}
