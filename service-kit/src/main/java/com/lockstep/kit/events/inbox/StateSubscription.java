package com.lockstep.kit.events.inbox;

import com.lockstep.kit.KitApi;

import java.sql.Connection;
import java.util.List;

/**
 * A compacted state topic (key: the entity's id; value: its whole state, a tombstone once it is
 * gone) materialised into a table. State records carry no event id: the {@link Inbox} applies a
 * batch in one transaction, which is safe to repeat, and skips what it cannot decode (state topics
 * have no dead letters).
 */
@KitApi
public final class StateSubscription extends Subscription {

    /** Applies one record inside the batch's transaction; {@code state} is null for a tombstone. */
    @FunctionalInterface
    public interface StateHandler {
        void apply(Connection tx, String key, Object state) throws Exception;
    }

    private final StateHandler handler;

    private StateSubscription(String consumerGroup, String topic, StateHandler handler) {
        super(consumerGroup, List.of(topic));
        this.handler = handler;
    }

    public static StateSubscription of(String consumerGroup, String topic, StateHandler handler) {
        return new StateSubscription(consumerGroup, topic, handler);
    }

    /** Declares what empties the table, so a replay rebuilds it. */
    public StateSubscription rebuiltBy(Reset reset) {
        resetBy(reset);
        return this;
    }

    StateHandler handler() {
        return handler;
    }
}
