package com.lockstep.kit.events.outbox;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.events.EventTracing;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Writes events into the outbox table inside the caller's transaction, each encoded once, as it
 * goes on the wire: the registry serde's Avro binary behind the schema's id. The relay publishes
 * those bytes as they are. The relay is woken with NOTIFY, which PostgreSQL delivers only when
 * that transaction commits. Callers lock the aggregate's row before appending, so one aggregate's
 * events get ids in commit order and the relay publishes them in that order. Each row keeps the
 * trace it was appended in ({@link EventTracing}).
 */
@KitApi
public final class Outbox {

    static final String CHANNEL = "lockstep_outbox";
    /** Well under PostgreSQL's 32,767 bind parameters per statement. */
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final String COLUMNS = "INSERT INTO outbox_event (event_id, event_type, topic, message_key, payload, traceparent) VALUES ";

    private final Serializer<Object> serializer;

    /** {@code serializer}: the registry serde that encodes each record for its topic. */
    public Outbox(Serializer<Object> serializer) {
        this.serializer = serializer;
    }

    /** One event to append: a record with its envelope ({@link EventEnvelope}), its topic and its key. */
    public record Message(String topic, String key, SpecificRecordBase event) {
    }

    /** An outbox row: what the relay publishes, and under which id and type. */
    private record Row(UUID eventId, String eventType, String topic, String key, SpecificRecord record) {
    }

    public void append(Connection tx, String topic, String key, SpecificRecordBase event) throws SQLException {
        appendAll(tx, List.of(new Message(topic, key, event)));
    }

    /** Appends several events, in order, with few statements: what a batch of effects publishes. */
    public void appendAll(Connection tx, List<Message> messages) throws SQLException {
        insert(tx, messages.stream().map(message -> new Row(EventEnvelope.eventId(message.event()),
                EventEnvelope.eventType(message.event()), message.topic(), message.key(), message.event())).toList());
    }

    /** A record on a compacted state topic (no envelope: the key's whole current state), named {@code stateType} in the outbox. */
    public void appendState(Connection tx, String topic, String key, String stateType, SpecificRecord state) throws SQLException {
        insert(tx, List.of(new Row(UUID.randomUUID(), stateType, topic, key, state)));
    }

    private void insert(Connection tx, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String traceparent = EventTracing.currentTraceparent();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(COLUMNS);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
            }
            try (PreparedStatement insert = tx.prepareStatement(sql.toString())) {
                int column = 1;
                for (Row row : chunk) {
                    insert.setObject(column++, row.eventId());
                    insert.setString(column++, row.eventType());
                    insert.setString(column++, row.topic());
                    insert.setString(column++, row.key());
                    insert.setBytes(column++, encode(row));
                    insert.setString(column++, traceparent);
                }
                insert.executeUpdate();
            }
        }
        notifyRelay(tx);
    }

    /** A tombstone for a compacted state topic: the key's state is gone. */
    public void appendTombstone(Connection tx, String topic, String key, String eventType) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(COLUMNS + "(?, ?, ?, ?, NULL, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, eventType);
            insert.setString(3, topic);
            insert.setString(4, key);
            insert.setString(5, EventTracing.currentTraceparent());
            insert.executeUpdate();
        }
        notifyRelay(tx);
    }

    private byte[] encode(Row row) {
        try {
            return serializer.serialize(row.topic(), row.record());
        } catch (RuntimeException e) {
            throw new EventNotEncodedException(row.eventType(), e);
        }
    }

    private static void notifyRelay(Connection tx) throws SQLException {
        try (Statement notify = tx.createStatement()) {
            notify.execute("NOTIFY " + CHANNEL);
        }
    }
}
