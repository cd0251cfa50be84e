package com.lockstep.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Topics' end offsets and consumer groups' committed offsets, from the Kafka AdminClient. */
final class GroupOffsets implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    GroupOffsets(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-offsets");
        this.admin = Admin.create(config);
    }

    List<TopicPartition> partitions(String topic) throws InterruptedException {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Each partition's end (the offset the next record will get). */
    Map<TopicPartition, Long> endOffsets(String topic) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartition partition : partitions(topic)) {
            request.put(partition, OffsetSpec.latest());
        }
        return get(admin.listOffsets(request).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    long endOffset(String topic) throws InterruptedException {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The group's committed offsets (only partitions it has committed for). */
    Map<TopicPartition, Long> committed(String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /** The sum of the group's committed offsets on the topic's partitions. */
    long committed(String group, String topic) throws InterruptedException {
        return committed(group).entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Every consumer group's lag (records between its committed offsets and the ends of the partitions it has committed on). */
    Map<String, Long> lagByGroup() throws InterruptedException {
        Set<String> groups = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream().map(GroupListing::groupId)
                .filter(group -> !group.startsWith("bench-")).collect(Collectors.toSet());
        Map<String, Map<TopicPartition, Long>> committedByGroup = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String group : groups.stream().sorted().toList()) {
            Map<TopicPartition, Long> committed = committed(group);
            committedByGroup.put(group, committed);
            committed.keySet().forEach(partition -> request.put(partition, OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (!request.isEmpty()) {
            get(admin.listOffsets(request).all()).forEach((partition, info) -> ends.put(partition, info.offset()));
        }
        Map<String, Long> lag = new LinkedHashMap<>();
        committedByGroup.forEach((group, committed) -> lag.put(group, committed.entrySet().stream()
                .mapToLong(e -> Math.max(0, ends.getOrDefault(e.getKey(), e.getValue()) - e.getValue())).sum()));
        return lag;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka admin request timed out after " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
