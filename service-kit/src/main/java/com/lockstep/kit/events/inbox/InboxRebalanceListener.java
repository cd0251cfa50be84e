package com.lockstep.kit.events.inbox;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(InboxRebalanceListener.class);

    private final Inbox inbox;

    public InboxRebalanceListener(Inbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        String group = consumer.groupMetadata().groupId();
        Map<TopicPartition, Long> positions = new HashMap<>();
        try {
            partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        } catch (KafkaException e) {
            // A listener's exception would end the channel; the positions are only what the fence learns without a record.
            LOG.debugf("Consumer %s could not read its positions on assignment: %s", group, e.toString());
            positions.clear();
            partitions.forEach(partition -> positions.put(partition, 0L));
        }
        inbox.assigned(group, positions);
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
