package com.lockstep.kit.events.inbox;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.replay.Replayable;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one consumer group of a service reads and how it applies each event type.
 * Event types it has no handler for are skipped; a CDI bean of this type is started by the kit,
 * and can be replayed ({@link Replayable}): a projection declares how it is emptied
 * ({@link #rebuiltBy}) and is rebuilt; any other subscription is only re-read.
 */
@KitApi
public final class EventSubscription implements Replayable {

    /** Empties a projection's tables before a replay refills them. */
    @FunctionalInterface
    public interface Reset {
        void clear(Connection tx) throws SQLException;
    }

    private final String consumerGroup;
    private final List<String> topics;
    private final Map<Class<?>, EventHandler<Object>> handlers = new LinkedHashMap<>();
    private final Map<Class<?>, BatchEventHandler<Object>> batchHandlers = new LinkedHashMap<>();
    private Reset reset;

    private EventSubscription(String consumerGroup, List<String> topics) {
        this.consumerGroup = consumerGroup;
        this.topics = List.copyOf(topics);
    }

    /** {@code consumerGroup} is also the consumer's name in the processed-event table. */
    public static EventSubscription of(String consumerGroup, String... topics) {
        return new EventSubscription(consumerGroup, List.of(topics));
    }

    @SuppressWarnings("unchecked")
    public <T> EventSubscription on(Class<T> eventType, EventHandler<T> handler) {
        handlers.put(eventType, (EventHandler<Object>) handler);
        return this;
    }

    /** Declares this subscription a projection that {@code reset} empties, so a replay rebuilds it. */
    public EventSubscription rebuiltBy(Reset reset) {
        this.reset = reset;
        return this;
    }

    @Override
    public AutoCloseable start(KafkaClients clients, Database database) {
        InboxConsumer consumer = new InboxConsumer(this, clients, database);
        consumer.start();
        return consumer;
    }

    @Override
    public boolean rebuildable() {
        return reset != null;
    }

    @Override
    public void clear(Connection tx) throws SQLException {
        if (reset != null) {
            reset.clear(tx);
        }
    }

    /** Events of {@code eventType} that follow each other in a poll are applied by one call. */
    @SuppressWarnings("unchecked")
    public <T> EventSubscription onBatch(Class<T> eventType, BatchEventHandler<T> handler) {
        batchHandlers.put(eventType, (BatchEventHandler<Object>) handler);
        handlers.put(eventType, (tx, event) -> ((BatchEventHandler<Object>) handler).apply(tx, List.of(event)));
        return this;
    }

    @Override
    public String consumerGroup() {
        return consumerGroup;
    }

    @Override
    public List<String> topics() {
        return topics;
    }

    EventHandler<Object> handlerFor(Object event) {
        return handlers.get(event.getClass());
    }

    BatchEventHandler<Object> batchHandlerFor(Object event) {
        return batchHandlers.get(event.getClass());
    }
}
