package com.lockstep.kit.events.inbox;

import java.sql.Connection;

/** Applies one event inside the transaction that also records it as processed. */
@FunctionalInterface
public interface EventHandler<T> {
    void apply(Connection tx, T event) throws Exception;
}
