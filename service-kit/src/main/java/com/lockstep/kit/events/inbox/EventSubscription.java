package com.lockstep.kit.events.inbox;

import com.lockstep.kit.KitApi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event topics and how each event type is applied. Event types it has no handler for are
 * skipped. Each event's effect commits with its (event_id, consumer) row in {@code processed_event}
 * ({@link Inbox}).
 */
@KitApi
public final class EventSubscription extends Subscription {

    private final Map<Class<?>, EventHandler<Object>> handlers = new LinkedHashMap<>();
    private final Map<Class<?>, BatchEventHandler<Object>> batchHandlers = new LinkedHashMap<>();

    private EventSubscription(String consumerGroup, List<String> topics) {
        super(consumerGroup, topics);
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

    /** Events of {@code eventType} that follow each other in a batch are applied by one call. */
    @SuppressWarnings("unchecked")
    public <T> EventSubscription onBatch(Class<T> eventType, BatchEventHandler<T> handler) {
        batchHandlers.put(eventType, (BatchEventHandler<Object>) handler);
        handlers.put(eventType, (tx, event) -> ((BatchEventHandler<Object>) handler).apply(tx, List.of(event)));
        return this;
    }

    /** Declares this subscription a projection that {@code reset} empties, so a replay rebuilds it. */
    public EventSubscription rebuiltBy(Reset reset) {
        resetBy(reset);
        return this;
    }

    EventHandler<Object> handlerFor(Object event) {
        return handlers.get(event.getClass());
    }

    BatchEventHandler<Object> batchHandlerFor(Object event) {
        return batchHandlers.get(event.getClass());
    }
}
