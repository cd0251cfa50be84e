package com.lockstep.kit.consistency;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.db.Database;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Waits until the relay has published every outbox row that had committed when the wait began:
 * what a request showed of its own context (or wrote) is then on Kafka, where any other context's
 * {@link ReadFence} finds it. Idle, it costs one indexed query on an empty table.
 */
@KitApi
public class PublicationBarrier {

    private final Database database;
    private final ChangeNotifications notifications;

    public PublicationBarrier(Database database, ChangeNotifications notifications) {
        this.database = database;
        this.notifications = notifications;
    }

    /** Returns once published, or throws a Seam 503 at {@code deadlineNanos} ({@link System#nanoTime()}). */
    public void await(long deadlineNanos) throws Exception {
        Set<Long> committed = database.read(connection -> {
            Set<Long> ids = new HashSet<>();
            try (Statement select = connection.createStatement();
                 ResultSet rows = select.executeQuery("SELECT id FROM outbox_event")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        });
        if (committed.isEmpty()) {
            return;
        }
        ChangeNotifications.PublicationWaiter waiter = new ChangeNotifications.PublicationWaiter(committed);
        notifications.add(waiter);
        try {
            // Rows published between the first query and registering were announced to no one.
            Set<Long> remaining = database.read(connection -> ChangeNotifications.stillInOutbox(connection, committed));
            Set<Long> gone = new HashSet<>(committed);
            gone.removeAll(remaining);
            waiter.forget(gone);
            while (true) {
                long seen = notifications.generation();
                if (waiter.done()) {
                    return;
                }
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw SeamException.serviceUnavailable(
                            "Events could not be published in time (anything this request changed is saved and will be published); retry shortly");
                }
                notifications.awaitChange(seen, left);
            }
        } finally {
            notifications.remove(waiter);
        }
    }
}
