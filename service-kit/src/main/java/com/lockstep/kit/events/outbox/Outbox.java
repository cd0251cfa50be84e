package com.lockstep.kit.events.outbox;

import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Writes events into the outbox table inside the caller's transaction. The relay is woken
 * with NOTIFY, which PostgreSQL delivers only when that transaction commits.
 * Callers lock the aggregate's row before appending, so one aggregate's events get ids in
 * commit order and the relay publishes them in that order.
 */
public final class Outbox {

    static final String CHANNEL = "lockstep_outbox";
    /** Well under PostgreSQL's 32,767 bind parameters per statement. */
    private static final int ROWS_PER_STATEMENT = 1_000;

    private Outbox() {
    }

    public static void append(Connection tx, String topic, String key, UUID eventId, String eventType,
                              SpecificRecord event) throws SQLException {
        insert(tx, topic, key, eventId, eventType, event.getSchema().getFullName(), serialize(event));
    }

    /** One event to append with {@link #appendAll}. */
    public record Message(String topic, String key, UUID eventId, String eventType, SpecificRecord event) {
    }

    /** Appends several events, in order, with few statements: what a batch of effects publishes. */
    public static void appendAll(Connection tx, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        for (int from = 0; from < messages.size(); from += ROWS_PER_STATEMENT) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO outbox_event (event_id, event_type, topic, message_key, schema_name, payload) VALUES ");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
            }
            try (PreparedStatement insert = tx.prepareStatement(sql.toString())) {
                int column = 1;
                for (Message message : chunk) {
                    insert.setObject(column++, message.eventId());
                    insert.setString(column++, message.eventType());
                    insert.setString(column++, message.topic());
                    insert.setString(column++, message.key());
                    insert.setString(column++, message.event().getSchema().getFullName());
                    insert.setBytes(column++, serialize(message.event()));
                }
                insert.executeUpdate();
            }
        }
        notifyRelay(tx);
    }

    /** A tombstone for a compacted state topic: the key's state is gone. */
    public static void appendTombstone(Connection tx, String topic, String key, String eventType) throws SQLException {
        insert(tx, topic, key, UUID.randomUUID(), eventType, null, null);
    }

    private static void insert(Connection tx, String topic, String key, UUID eventId, String eventType,
                               String schemaName, byte[] payload) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO outbox_event (event_id, event_type, topic, message_key, schema_name, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, eventId);
            insert.setString(2, eventType);
            insert.setString(3, topic);
            insert.setString(4, key);
            insert.setString(5, schemaName);
            insert.setBytes(6, payload);
            insert.executeUpdate();
        }
        notifyRelay(tx);
    }

    private static void notifyRelay(Connection tx) throws SQLException {
        try (Statement notify = tx.createStatement()) {
            notify.execute("NOTIFY " + CHANNEL);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] serialize(SpecificRecord event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter(event.getSchema()).write(event, encoder);
        } catch (IOException e) {
            throw new IllegalArgumentException("Event could not be serialised: " + event.getSchema().getFullName(), e);
        }
        return out.toByteArray();
    }
}
