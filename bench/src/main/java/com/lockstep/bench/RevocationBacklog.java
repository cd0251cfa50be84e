package com.lockstep.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.registry.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The revocation backlog: {@code phone.deactivated} for many phones published straight on the
 * phone topic while credential-service is down, then the pace at which its consumer group works
 * through them once it is started again, seen from outside: the group's committed offsets and
 * the end of the credential topic, sampled with the AdminClient (cheap: no record is read while it
 * runs), and afterwards every {@code acs_credential.deleted} it published, read back with its
 * Kafka timestamp.
 */
final class RevocationBacklog {

    private RevocationBacklog() {
    }

    /** Publishes {@code phone.deactivated} for each phone (device id → owner), in a shuffled order, as phone-service's relay would. */
    static Duration publishDeactivations(String bootstrapServers, String registryUrl, String workspaceId, Map<String, String> phones,
                                         java.util.function.Consumer<Integer> progress) throws InterruptedException {
        List<Map.Entry<String, String>> order = new ArrayList<>(phones.entrySet());
        Collections.shuffle(order, new java.util.Random(42));
        long start = System.nanoTime();
        CredentialSeed.publish(bootstrapServers, registryUrl, order, progress, (deviceId, owner) -> {
            Instant now = Instant.now();
            return PhoneDeactivated.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setEventType("phone.deactivated")
                    .setWorkspaceId(workspaceId)
                    .setOccurredAt(now)
                    .setCreatedAt(now)
                    .setDeviceId(deviceId)
                    .setOwnerUserIdentityId(owner)
                    .build();
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** One AdminClient reading: the group's committed offsets on the phone topic, and the credential topic's end. */
    record Sample(long nanos, long wallMs, long committed, long credentialEnd) {
    }

    /** Samples the group's progress every {@code periodMillis} on a thread of its own. */
    static final class Sampler implements AutoCloseable {

        private final GroupOffsets offsets;
        private final String group;
        private final long periodMillis;
        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Exception failure;

        Sampler(String bootstrapServers, String group, long periodMillis) {
            this.offsets = new GroupOffsets(bootstrapServers);
            this.group = group;
            this.periodMillis = periodMillis;
            this.thread = new Thread(this::run, "bench-offset-sampler");
            this.thread.setDaemon(true);
        }

        Sample sampleNow() throws InterruptedException {
            long nanos = System.nanoTime();
            long wall = System.currentTimeMillis();
            long committed = offsets.committed(group, Topics.PHONE_EVENTS);
            long credentialEnd = offsets.endOffset(Topics.ACS_CREDENTIAL_EVENTS);
            return new Sample(nanos, wall, committed, credentialEnd);
        }

        void start() {
            thread.start();
        }

        private void run() {
            long next = System.nanoTime();
            while (running) {
                try {
                    samples.add(sampleNow());
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failure = e;
                }
                next += periodMillis * 1_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        List<Sample> samples() {
            return List.copyOf(samples);
        }

        Sample latest() {
            return samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }

        Exception failure() {
            return failure;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
            offsets.close();
        }
    }

    /**
     * What credential-service published on the credential topic between the offsets: every
     * {@code acs_credential.deleted}'s Kafka timestamp (the relay's send time, ms), and how many
     * each phone of {@code phones} got.
     */
    record Published(long records, long deleted, long others, long[] deletedTimestampsMs, Map<Integer, Long> phonesByDeletions,
                     long deletedOfOtherPhones) {
    }

    static Published readBack(String bootstrapServers, String registryUrl, Map<TopicPartition, Long> from,
                              Map<TopicPartition, Long> to, Set<String> phones) {
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(registryUrl));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-read-back");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        long records = 0;
        long others = 0;
        long deletedOfOtherPhones = 0;
        long[] timestamps = new long[1024];
        int deleted = 0;
        Map<String, Integer> perPhone = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>(to.keySet());
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, from.getOrDefault(partition, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < to.get(p))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= to.get(partition)) {
                        continue;
                    }
                    records++;
                    if (record.value() instanceof AcsCredentialDeleted event) {
                        if (deleted == timestamps.length) {
                            timestamps = java.util.Arrays.copyOf(timestamps, timestamps.length * 2);
                        }
                        timestamps[deleted++] = record.timestamp();
                        if (event.getDeviceId() != null && phones.contains(event.getDeviceId())) {
                            perPhone.merge(event.getDeviceId(), 1, Integer::sum);
                        } else {
                            deletedOfOtherPhones++;
                        }
                    } else {
                        others++;
                    }
                }
            }
        }
        long[] sorted = java.util.Arrays.copyOf(timestamps, deleted);
        java.util.Arrays.sort(sorted);
        Map<Integer, Long> phonesByDeletions = new java.util.TreeMap<>();
        for (String phone : phones) {
            phonesByDeletions.merge(perPhone.getOrDefault(phone, 0), 1L, Long::sum);
        }
        return new Published(records, deleted, others, sorted, phonesByDeletions, deletedOfOtherPhones);
    }
}
