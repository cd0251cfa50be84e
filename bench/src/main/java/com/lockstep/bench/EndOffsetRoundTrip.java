package com.lockstep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The floor under the read fence: the end-offset lookup a service's fence makes (Kafka
 * ListOffsets, read_committed), made by a plain client on the platform's broker for every
 * partition of the platform's topics, one at a time on an open-loop schedule, timed from the call
 * to its answer. A fence must hear from the broker after its read arrived, so what it adds beyond
 * the read's own work cannot be less than what such a lookup takes beyond that work.
 */
final class EndOffsetRoundTrip {

    private static final String PLATFORM_TOPICS = "lockstep.";
    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(1);

    /** The lookups, in microseconds, and how many partitions each asked about. */
    record Result(Histogram micros, int partitions) {
    }

    private EndOffsetRoundTrip() {
    }

    static Result measure(String bootstrapServers, int perSecond, int seconds) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            reader.listTopics().forEach((topic, infos) -> {
                if (topic.startsWith(PLATFORM_TOPICS)) {
                    for (PartitionInfo info : infos) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                }
            });
            // The client's first lookups connect and fetch metadata: not what a running fence pays.
            for (int i = 0; i < perSecond; i++) {
                reader.endOffsets(partitions);
            }
            Histogram micros = new Histogram(HIGHEST_US, 3);
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            for (long i = 0, count = (long) perSecond * seconds; i < count; i++) {
                next += interval;
                long started = System.nanoTime();
                reader.endOffsets(partitions);
                micros.recordValue(Math.min(HIGHEST_US, (System.nanoTime() - started) / 1_000));
                LockSupport.parkNanos(next - System.nanoTime());
            }
            return new Result(micros, partitions.size());
        }
    }
}
