package com.lockstep.kit.events.inbox;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells the {@link Inbox} which partitions each channel holds: a batch fetched for a partition
 * since taken away is not applied (its new owner applies it, in order), and a partition's position
 * on assignment is recorded as applied. Runs on the connector's polling thread.
 */
@ApplicationScoped
@Identifier(Inbox.REBALANCE_LISTENER)
public class InboxRebalanceListener implements KafkaConsumerRebalanceListener {

    private final Inbox inbox;

    public InboxRebalanceListener(Inbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        inbox.assigned(consumer.groupMetadata().groupId(), positions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        inbox.revoked(consumer.groupMetadata().groupId(), partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        inbox.revoked(consumer.groupMetadata().groupId(), partitions);
    }
}
