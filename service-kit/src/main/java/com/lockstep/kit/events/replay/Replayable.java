package com.lockstep.kit.events.replay;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a service reads from topics with one consumer group of its own, and can read again from
 * the beginning ({@link ReplayRunner}). A projection is rebuilt: its tables and its
 * processed_event rows are emptied first, and the replay refills them. Anything else (a flow with
 * effects beyond its own tables) is re-read with its processed_event rows kept, so the replay
 * changes nothing: each event was applied once and is skipped.
 */
@KitApi
public interface Replayable {

    /** Also the consumer's name in {@code processed_event}. */
    String consumerGroup();

    List<String> topics();

    /** Starts consuming from the group's committed offsets; closing it leaves the group. */
    AutoCloseable start(KafkaClients clients, Database database);

    /** True if a replay empties and rebuilds it; false if a replay only re-reads. */
    boolean rebuildable();

    /** Empties the projection's tables (not its processed_event rows), before a replay refills them. */
    void clear(Connection tx) throws SQLException;
}
