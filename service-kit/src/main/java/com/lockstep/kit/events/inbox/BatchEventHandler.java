package com.lockstep.kit.events.inbox;

import java.sql.Connection;
import java.util.List;

/**
 * Applies consecutive events of one type together, inside the transaction that also records them
 * as processed: set-based statements instead of a round trip per event. Given one event when the
 * inbox applies records one at a time.
 */
@FunctionalInterface
public interface BatchEventHandler<T> {
    void apply(Connection tx, List<T> events) throws Exception;
}
