package com.lockstep.kit.events.outbox;

import org.apache.avro.specific.SpecificRecord;
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
 * events get ids in commit order and the relay publishes them in that order.
 */
public final class Outbox {

    static final String CHANNEL = "lockstep_outbox";
    /** Well under PostgreSQL's 32,767 bind parameters per statement. */
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final String COLUMNS = "INSERT INTO outbox_event (event_id, event_type, topic, message_key, payload) VALUES ";

    private final Serializer<Object> serializer;

    /** {@code serializer}: the registry serde that encodes each record for its topic. */
    public Outbox(Serializer<Object> serializer) {
        this.serializer = serializer;
    }

    /** One event to append. */
    public record Message(String topic, String key, UUID eventId, String eventType, SpecificRecord event) {
    }

    public void append(Connection tx, String topic, String key, UUID eventId, String eventType,
                       SpecificRecord event) throws SQLException {
        appendAll(tx, List.of(new Message(topic, key, eventId, eventType, event)));
    }

    /** Appends several events, in order, with few statements: what a batch of effects publishes. */
    public void appendAll(Connection tx, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        for (int from = 0; from < messages.size(); from += ROWS_PER_STATEMENT) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(COLUMNS);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
            }
            try (PreparedStatement insert = tx.prepareStatement(sql.toString())) {
                int column = 1;
                for (Message message : chunk) {
                    insert.setObject(column++, message.eventId());
                    insert.setString(column++, message.eventType());
                    insert.setString(column++, message.topic());
                    insert.setString(column++, message.key());
                    insert.setBytes(column++, encode(message));
                }
                insert.executeUpdate();
            }
        }
        notifyRelay(tx);
    }

    /** A tombstone for a compacted state topic: the key's state is gone. */
    public void appendTombstone(Connection tx, String topic, String key, String eventType) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(COLUMNS + "(?, ?, ?, ?, NULL)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, eventType);
            insert.setString(3, topic);
            insert.setString(4, key);
            insert.executeUpdate();
        }
        notifyRelay(tx);
    }

    private byte[] encode(Message message) {
        try {
            return serializer.serialize(message.topic(), message.event());
        } catch (RuntimeException e) {
            throw new EventNotEncodedException(message.eventType(), e);
        }
    }

    private static void notifyRelay(Connection tx) throws SQLException {
        try (Statement notify = tx.createStatement()) {
            notify.execute("NOTIFY " + CHANNEL);
        }
    }
}
