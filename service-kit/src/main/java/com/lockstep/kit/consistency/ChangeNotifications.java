package com.lockstep.kit.consistency;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One replica's view of what its service's database says about consistency, kept current by
 * PostgreSQL notifications on a connection of its own: how far each consumer group has applied
 * each topic-partition ({@link AppliedOffsets}, whichever replica consumed it), and which outbox
 * rows the relay has published (whichever replica relays). Waiters ({@link ReadFence},
 * {@link PublicationBarrier}) are woken on every change.
 * <p>
 * Notifications may be missed while the connection is down, so on every (re)connect it listens
 * first and then reads the table; and while any outbox waiter is pending it also asks the database
 * every {@link #RECHECK} which of their rows are still there (a row rolled back never gets a
 * notification).
 */
public class ChangeNotifications implements AutoCloseable {

    public static final String PUBLISHED_CHANNEL = "lockstep_outbox_published";
    private static final Logger LOG = Logger.getLogger(ChangeNotifications.class);
    private static final Duration RECHECK = Duration.ofMillis(50);
    private static final Duration RECONNECT = Duration.ofMillis(500);

    /** Outbox rows one request waits for; done once none is left. */
    static final class PublicationWaiter {
        private final Set<Long> pending;

        PublicationWaiter(Set<Long> ids) {
            this.pending = ConcurrentHashMap.newKeySet();
            this.pending.addAll(ids);
        }

        boolean done() {
            return pending.isEmpty();
        }

        void forget(Set<Long> ids) {
            pending.removeAll(ids);
        }
    }

    private final String jdbcUrl;
    private final Properties credentials;
    private final Map<GroupPartition, Long> applied = new ConcurrentHashMap<>();
    private final Set<PublicationWaiter> waiters = ConcurrentHashMap.newKeySet();
    private final Object changed = new Object();
    private long generation;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    record GroupPartition(String group, TopicPartition partition) {
    }

    public ChangeNotifications(String jdbcUrl, String username, String password) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        if (username != null) {
            credentials.setProperty("user", username);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("ApplicationName", "lockstep consistency listener");
        this.thread = new Thread(this::run, "consistency-listener");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The offset of the next record {@code group} will apply on {@code partition}; 0 when it has applied none. */
    long applied(String group, TopicPartition partition) {
        return applied.getOrDefault(new GroupPartition(group, partition), 0L);
    }

    /** What every consumer group had applied at the call, as {@link #applied} would say it. */
    Map<GroupPartition, Long> appliedSnapshot() {
        return Map.copyOf(applied);
    }

    boolean listening() {
        return listening;
    }

    void add(PublicationWaiter waiter) {
        waiters.add(waiter);
    }

    void remove(PublicationWaiter waiter) {
        waiters.remove(waiter);
    }

    /** Marks {@code ids} published (or gone) for every waiter, and wakes them. */
    void published(Set<Long> ids) {
        for (PublicationWaiter waiter : waiters) {
            waiter.forget(ids);
        }
        signal();
    }

    /** Counts changes; a waiter reads it before checking its condition, and {@link #awaitChange} misses none. */
    long generation() {
        synchronized (changed) {
            return generation;
        }
    }

    /** Waits until anything changed since {@code seen} (a {@link #generation()}), at most {@code millis}. */
    void awaitChange(long seen, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        synchronized (changed) {
            while (generation == seen) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                changed.wait(left);
            }
        }
    }

    private void signal() {
        synchronized (changed) {
            generation++;
            changed.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials)) {
                connection.setAutoCommit(true);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + AppliedOffsets.CHANNEL);
                    listen.execute("LISTEN " + PUBLISHED_CHANNEL);
                }
                loadApplied(connection);
                listening = true;
                signal();
                PGConnection notifications = connection.unwrap(PGConnection.class);
                long lastRecheck = System.nanoTime();
                while (running) {
                    PGNotification[] received = notifications.getNotifications((int) RECHECK.toMillis());
                    if (received != null) {
                        for (PGNotification notification : received) {
                            dispatch(notification);
                        }
                        signal();
                    }
                    if (!waiters.isEmpty() && System.nanoTime() - lastRecheck >= RECHECK.toNanos()) {
                        recheckOutbox(connection);
                        lastRecheck = System.nanoTime();
                    }
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("Consistency listener lost its connection, reconnecting: %s", e.toString());
                }
            } finally {
                listening = false;
            }
            sleep(RECONNECT);
        }
    }

    private void dispatch(PGNotification notification) {
        String payload = notification.getParameter();
        if (PUBLISHED_CHANNEL.equals(notification.getName())) {
            Set<Long> ids = new HashSet<>();
            for (String id : payload.split(",")) {
                if (!id.isEmpty()) {
                    ids.add(Long.parseLong(id));
                }
            }
            published(ids);
        } else if (payload.startsWith(AppliedOffsets.RESET)) {
            String group = payload.substring(AppliedOffsets.RESET.length());
            applied.keySet().removeIf(key -> key.group().equals(group));
        } else {
            for (String line : payload.split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length == 4) {
                    advance(fields[0], new TopicPartition(fields[1], Integer.parseInt(fields[2])), Long.parseLong(fields[3]));
                }
            }
        }
    }

    private void advance(String group, TopicPartition partition, long next) {
        applied.merge(new GroupPartition(group, partition), next, Math::max);
    }

    private void loadApplied(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT consumer_group, topic, partition, next_offset FROM applied_offset")) {
            applied.clear();
            while (rows.next()) {
                advance(rows.getString(1), new TopicPartition(rows.getString(2), rows.getInt(3)), rows.getLong(4));
            }
        }
    }

    /** Rows that waiters still wait for but that are gone from the outbox: published, or never committed. */
    private void recheckOutbox(Connection connection) throws SQLException {
        Set<Long> waitedFor = new HashSet<>();
        waiters.forEach(waiter -> waitedFor.addAll(waiter.pending));
        if (waitedFor.isEmpty()) {
            return;
        }
        Set<Long> remaining = stillInOutbox(connection, waitedFor);
        waitedFor.removeAll(remaining);
        if (!waitedFor.isEmpty()) {
            published(waitedFor);
        }
    }

    static Set<Long> stillInOutbox(Connection connection, Set<Long> ids) throws SQLException {
        Set<Long> remaining = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM outbox_event WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("int8", ids.toArray());
            select.setArray(1, array);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    remaining.add(rows.getLong(1));
                }
            }
        }
        return remaining;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(RECHECK.toMillis() + 2_000);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
