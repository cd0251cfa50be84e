package com.lockstep.kit.events.inbox;

import com.lockstep.kit.KitApi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What one consumer group of a service reads, applied by the {@link Inbox} from the service's
 * {@code @Incoming} channel and replayable from the beginning of its topics. A projection
 * declares how it is emptied ({@code rebuiltBy}), and a replay rebuilds it; any other
 * subscription (a flow with effects) is only re-read, which changes nothing.
 */
@KitApi
public abstract sealed class Subscription permits EventSubscription, StateSubscription {

    /** Empties a projection's tables before a replay refills them. */
    @FunctionalInterface
    public interface Reset {
        void clear(Connection tx) throws SQLException;
    }

    private final String consumerGroup;
    private final List<String> topics;
    private Reset reset;

    Subscription(String consumerGroup, List<String> topics) {
        this.consumerGroup = consumerGroup;
        this.topics = List.copyOf(topics);
    }

    /** Also the consumer's name in {@code processed_event} and {@code applied_offset}. */
    public String consumerGroup() {
        return consumerGroup;
    }

    public List<String> topics() {
        return topics;
    }

    /** True if a replay empties and rebuilds it; false if a replay only re-reads. */
    public boolean rebuildable() {
        return reset != null;
    }

    /** Empties the projection's tables (not its processed_event rows), before a replay refills them. */
    public void clear(Connection tx) throws SQLException {
        if (reset != null) {
            reset.clear(tx);
        }
    }

    void resetBy(Reset reset) {
        this.reset = reset;
    }

    /**
     * The channel's Kafka configuration, for the {@code @Identifier(<channel>) Map} bean the
     * connector reads beside {@code application.properties}: the topics and the group come from
     * the subscription, so that they are written once.
     */
    public Map<String, Object> channelConfiguration() {
        return Map.of("topics", String.join(",", topics), "group.id", consumerGroup);
    }
}
