package com.lockstep.kit.events.inbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one consumer group of a service reads and how it applies each event type.
 * Event types it has no handler for are skipped; a CDI bean of this type is started by the kit.
 */
public final class EventSubscription {

    private final String consumerGroup;
    private final List<String> topics;
    private final Map<Class<?>, EventHandler<Object>> handlers = new LinkedHashMap<>();

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

    public String consumerGroup() {
        return consumerGroup;
    }

    public List<String> topics() {
        return topics;
    }

    EventHandler<Object> handlerFor(Object event) {
        return handlers.get(event.getClass());
    }
}
