package com.lockstep.kit.consistency;

import com.lockstep.kit.KitApi;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Records, inside a consumer's transaction, how far its group has applied each topic-partition,
 * and tells every replica's {@link ChangeNotifications} on commit. Offsets only move forward: a
 * replica that takes a partition over re-reads from the group's committed offset, which may be a
 * little behind what was already applied.
 */
@KitApi
public final class AppliedOffsets {

    static final String CHANNEL = "lockstep_applied";
    /** The payload that tells listeners a group was emptied for a replay: {@code reset <group>}. */
    static final String RESET = "reset ";

    private AppliedOffsets() {
    }

    /** {@code next}: per partition, the offset of the next record the group will apply. */
    public static void record(Connection tx, String consumerGroup, Map<TopicPartition, Long> next) throws SQLException {
        if (next.isEmpty()) {
            return;
        }
        String[] topics = new String[next.size()];
        Integer[] partitions = new Integer[next.size()];
        Long[] offsets = new Long[next.size()];
        StringBuilder payload = new StringBuilder();
        int i = 0;
        for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
            topics[i] = entry.getKey().topic();
            partitions[i] = entry.getKey().partition();
            offsets[i] = entry.getValue();
            payload.append(consumerGroup).append(' ').append(topics[i]).append(' ')
                    .append(partitions[i]).append(' ').append(offsets[i]).append('\n');
            i++;
        }
        try (PreparedStatement upsert = tx.prepareStatement(
                "WITH applied AS (INSERT INTO applied_offset (consumer_group, topic, partition, next_offset) "
                        + "SELECT ?, t, p, o FROM unnest(?::text[], ?::int[], ?::bigint[]) AS u(t, p, o) "
                        + "ON CONFLICT (consumer_group, topic, partition) DO UPDATE "
                        + "SET next_offset = GREATEST(applied_offset.next_offset, EXCLUDED.next_offset)) "
                        + "SELECT pg_notify(?, ?)")) {
            upsert.setString(1, consumerGroup);
            upsert.setArray(2, tx.createArrayOf("text", topics));
            upsert.setArray(3, tx.createArrayOf("int4", partitions));
            upsert.setArray(4, tx.createArrayOf("int8", offsets));
            upsert.setString(5, CHANNEL);
            upsert.setString(6, payload.toString());
            upsert.execute();
        }
    }

    /** Forgets a group's offsets, in the transaction that empties its projection for a replay. */
    public static void reset(Connection tx, String consumerGroup) throws SQLException {
        try (PreparedStatement forget = tx.prepareStatement(
                "WITH forgotten AS (DELETE FROM applied_offset WHERE consumer_group = ?) SELECT pg_notify(?, ?)")) {
            forget.setString(1, consumerGroup);
            forget.setString(2, CHANNEL);
            forget.setString(3, RESET + consumerGroup);
            forget.execute();
        }
    }
}
