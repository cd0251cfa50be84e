package com.lockstep.kit.events.outbox;

import com.lockstep.kit.consistency.ChangeNotifications;
import com.lockstep.kit.consistency.PublicationBarrier;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.schemas.EventHeaders;
import io.opentelemetry.api.trace.Span;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the outbox in id order, each row's bytes as {@link Outbox} encoded them. Among a service's replicas only the one holding a
 * PostgreSQL advisory lock relays; the lock belongs to its own database session, so when that
 * replica dies the session ends, the lock is freed, and a standby takes over within
 * {@link #STANDBY_RETRY}. A committed event wakes the relay through LISTEN/NOTIFY; a poll every
 * {@link #IDLE_POLL} is only a safety net.
 * <p>
 * Rows are deleted as soon as Kafka acknowledges them ({@code acks=all}), with a notification
 * naming them, so that requests waiting for their events to be published answer at once; a crash
 * in between publishes them again, and consumers drop the copy by {@code event_id}.
 */
public class OutboxRelay implements AutoCloseable {

    /** Any constant works: each service has its own database, so relays of one service compete only among themselves. */
    static final long LOCK_KEY = 0x4c6f636b73746570L;
    static final Duration STANDBY_RETRY = Duration.ofMillis(500);
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** PostgreSQL takes notification payloads of under 8,000 bytes. */
    private static final int MAX_PAYLOAD_CHARS = 7_000;
    private static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final String jdbcUrl;
    private final Properties credentials;
    private final KafkaClients clients;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean active;
    private volatile Connection session;

    public OutboxRelay(String jdbcUrl, String username, String password, KafkaClients clients, String name) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        if (username != null) {
            credentials.setProperty("user", username);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.clients = clients;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** True while this relay holds the lock and publishes. */
    public boolean active() {
        return active;
    }

    public long publishedCount() {
        return published.get();
    }

    private void run() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials);
                 KafkaProducer<String, byte[]> producer = clients.eventProducer()) {
                session = connection;
                connection.setAutoCommit(true);
                if (!awaitLock(connection)) {
                    return;
                }
                active = true;
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + Outbox.CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    if (publishBatch(connection, producer) < BATCH) {
                        notifications.getNotifications((int) IDLE_POLL.toMillis());
                    }
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("Outbox relay stopped publishing, retrying: %s", e.toString());
                    sleep(STANDBY_RETRY);
                }
            } finally {
                active = false;
                session = null;
            }
        }
    }

    private boolean awaitLock(Connection connection) throws SQLException {
        while (running) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet result = lock.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        LOG.infof("%s holds the outbox lock and publishes", thread.getName());
                        return true;
                    }
                }
            }
            sleep(STANDBY_RETRY);
        }
        return false;
    }

    private int publishBatch(Connection connection, KafkaProducer<String, byte[]> producer) throws Exception {
        List<Long> ids = new ArrayList<>(BATCH);
        List<Future<RecordMetadata>> sends = new ArrayList<>(BATCH);
        List<Span> spans = new ArrayList<>();
        try {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, event_id, event_type, topic, message_key, payload, traceparent, created_at FROM outbox_event "
                            + "ORDER BY id LIMIT " + BATCH)) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String topic = rows.getString("topic");
                        RecordHeaders headers = new RecordHeaders();
                        headers.add(EventHeaders.EVENT_ID, rows.getString("event_id").getBytes(StandardCharsets.UTF_8));
                        headers.add(EventHeaders.EVENT_TYPE, rows.getString("event_type").getBytes(StandardCharsets.UTF_8));
                        spans.add(clients.tracing().startPublish(rows.getString("traceparent"), topic,
                                rows.getTimestamp("created_at").toInstant(), headers));
                        sends.add(producer.send(new ProducerRecord<>(topic, null,
                                rows.getString("message_key"), rows.getBytes("payload"), headers)));
                        ids.add(rows.getLong("id"));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } finally {
            spans.forEach(Span::end);
        }
        deleteAndAnnounce(connection, ids);
        published.addAndGet(ids.size());
        return ids.size();
    }

    /**
     * Deletes the acknowledged rows and, with the same statement, tells every replica which ones
     * are published: requests waiting for their events ({@link PublicationBarrier}) answer then.
     */
    private static void deleteAndAnnounce(Connection connection, List<Long> ids) throws SQLException {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        for (Long id : ids) {
            if (payload.length() > MAX_PAYLOAD_CHARS) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            payload.append(id).append(',');
        }
        payloads.add(payload.toString());
        try (PreparedStatement delete = connection.prepareStatement(
                "WITH published AS (DELETE FROM outbox_event WHERE id = ANY (?)) "
                        + "SELECT pg_notify(?, announced) FROM unnest(?::text[]) AS announced")) {
            delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            delete.setString(2, ChangeNotifications.PUBLISHED_CHANNEL);
            delete.setArray(3, connection.createArrayOf("text", payloads.toArray()));
            delete.execute();
        }
    }

    /** Stops after the batch in flight; an interrupt would break the Kafka producer's own shutdown. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(IDLE_POLL.toMillis() + 5_000);
    }

    /** Ends this relay as a crash would: its database session drops and the lock with it. */
    public void kill() throws InterruptedException {
        running = false;
        // It stops holding the lock with its session, whatever its thread is still doing.
        active = false;
        Connection current = session;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            } catch (SQLException ignored) {
                // it is going away either way
            }
        }
        thread.join(IDLE_POLL.toMillis() + 5_000);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
