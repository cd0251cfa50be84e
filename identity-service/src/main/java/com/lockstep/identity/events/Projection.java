package com.lockstep.identity.events;

import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Tables identity-service keeps from another context's topics, fed by one consumer group of its
 * own, and rebuilt from nothing by replaying that group from the beginning ({@link ProjectionRunner}).
 */
public interface Projection {

    /** Also the consumer's name in {@code processed_event}. */
    String consumerGroup();

    List<String> topics();

    /** Starts consuming from the group's committed offsets; closing it leaves the group. */
    AutoCloseable start(KafkaClients clients, Database database);

    /** Empties the projection's tables (not its processed_event rows), before a replay refills them. */
    void clear(Connection tx) throws SQLException;
}
