package com.lockstep.device.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.kit.api.RenderedJson;
import com.lockstep.kit.consistency.PublicationBarrier;
import com.lockstep.kit.db.Database;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The devices of each workspace read recently, in memory and serialized, so that {@code /devices/get}
 * and {@code /devices/list} are answered without the database and without serializing anything.
 *
 * <p>Consistency. The database stays the only record; this is a cache of it that knows when it is
 * stale. A trigger on the {@code device} table ({@code V2__device_change_notifications.sql}) sends
 * {@code NOTIFY device_changed '<workspace_id>'} with every committed change, whichever process
 * made it; each replica's view LISTENs on its own connection and drops that workspace's devices, so
 * the next read loads them again (one query). In the process that made a change, the writer also
 * drops them itself ({@link #changed}) once its transaction has ended, before it answers: a caller
 * reads its own writes. Other replicas see a change once the notification reaches them (normally
 * within milliseconds). While the view is not listening (at start, or after its connection was lost,
 * when notifications may have been missed) it holds nothing and vouches for nothing: reads go to the
 * database until it listens again, and it starts empty then. A load that began before a change was
 * reported is not kept. A load is kept only once the outbox has published everything committed
 * before it ({@link PublicationBarrier}), so what the view answers is already on Kafka for the other
 * contexts' reads.
 *
 * <p>Memory. A workspace with more than {@code max-devices-per-workspace} managed devices is not
 * kept (reads go to the database); past {@code max-bytes} in all, the least recently read
 * workspaces are dropped.
 */
@Singleton
public class DeviceView {

    /** The channel the trigger notifies: the payload is a workspace id, or {@code *} for every workspace. */
    public static final String CHANNEL = "device_changed";
    /** The listener's {@code application_name} in {@code pg_stat_activity}. */
    public static final String LISTENER_NAME = "device-gateway device view";
    private static final Logger LOG = Logger.getLogger(DeviceView.class);
    private static final int POLL_MILLIS = 500;
    private static final long CHECK_NANOS = 5_000_000_000L;

    /** A workspace's place in the view. */
    private static final class Slot {
        /** Bumped by every change reported; a load keeps its result only if this did not move. Guarded by the slot. */
        long generation;
        /** The devices, while current. Written under the slot's lock, read without. */
        volatile WorkspaceDevices devices;
        /** The load in progress, that readers arriving now may wait for. Guarded by the slot. */
        CompletableFuture<WorkspaceDevices> loading;
        volatile long lastRead;
    }

    private final Database database;
    private final ObjectMapper mapper;
    private final PublicationBarrier publication;
    private final Duration consistencyTimeout;
    private final boolean enabled;
    private final int maxDevicesPerWorkspace;
    private final long maxBytes;
    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;

    private final Map<UUID, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Object evicting = new Object();
    /** Bumped whenever the view stops or starts listening: devices loaded under an older epoch are never served. */
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean running;
    private volatile Thread listener;

    public DeviceView(Database database, ObjectMapper mapper, PublicationBarrier publication,
                      @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S") Duration consistencyTimeout,
                      @ConfigProperty(name = "lockstep.device-view.enabled", defaultValue = "true") boolean enabled,
                      @ConfigProperty(name = "lockstep.device-view.max-devices-per-workspace", defaultValue = "2000") int maxDevicesPerWorkspace,
                      @ConfigProperty(name = "lockstep.device-view.max-bytes", defaultValue = "16777216") long maxBytes,
                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.database = database;
        this.mapper = mapper;
        this.publication = publication;
        this.consistencyTimeout = consistencyTimeout;
        this.enabled = enabled;
        this.maxDevicesPerWorkspace = maxDevicesPerWorkspace;
        this.maxBytes = maxBytes;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent startup) {
        if (!enabled) {
            LOG.info("Device view disabled: device reads go to the database");
            return;
        }
        running = true;
        Thread thread = new Thread(this::listen, "device-view-listener");
        thread.setDaemon(true);
        listener = thread;
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            thread.join(2_000);
        }
        stopListening();
    }

    /** True while the view listens for changes, so holds devices it can vouch for. */
    public boolean listening() {
        return listening;
    }

    /**
     * Without blocking (on the event loop): the workspace's devices if this replica holds them and
     * they are current, else null (then {@link #load} on a worker thread).
     */
    public WorkspaceDevices current(UUID workspaceId) {
        if (!listening) {
            return null;
        }
        Slot slot = slots.get(workspaceId);
        if (slot == null) {
            return null;
        }
        WorkspaceDevices devices = slot.devices;
        if (devices == null || devices.epoch != epoch.get()) {
            return null;
        }
        slot.lastRead = System.nanoTime();
        return devices;
    }

    /**
     * Blocking (on a worker thread): the workspace's devices, loaded from the database if they are
     * not held; empty if the view cannot vouch for them (not listening, or too many devices), and
     * the caller reads the database itself.
     */
    public Optional<WorkspaceDevices> load(UUID workspaceId) throws Exception {
        if (!listening) {
            return Optional.empty();
        }
        Slot slot = slots.computeIfAbsent(workspaceId, id -> new Slot());
        CompletableFuture<WorkspaceDevices> loading = null;
        CompletableFuture<WorkspaceDevices> inProgress;
        long generation;
        long loadEpoch;
        synchronized (slot) {
            WorkspaceDevices held = slot.devices;
            if (held != null && held.epoch == epoch.get()) {
                slot.lastRead = System.nanoTime();
                return usable(held);
            }
            // A load in progress began after the last change reported (a change detaches it): its result will do.
            inProgress = slot.loading;
            if (inProgress == null) {
                loading = new CompletableFuture<>();
                slot.loading = loading;
            }
            generation = slot.generation;
            loadEpoch = epoch.get();
        }
        if (inProgress != null) {
            return usable(await(inProgress));
        }
        WorkspaceDevices loaded;
        try {
            loaded = database.read(c -> query(c, workspaceId, loadEpoch));
            // Held devices are answered on the event loop with no wait: only what is on Kafka may be held.
            publication.await(System.nanoTime() + consistencyTimeout.toNanos());
        } catch (Exception | Error e) {
            synchronized (slot) {
                if (slot.loading == loading) {
                    slot.loading = null;
                }
            }
            loading.completeExceptionally(e);
            throw e;
        }
        boolean kept = false;
        synchronized (slot) {
            if (slot.loading == loading) {
                slot.loading = null;
            }
            // Kept only if nothing changed since the load began, the view still listens as it did
            // then, and the slot is still the workspace's.
            if (slot.generation == generation && epoch.get() == loadEpoch && listening && slots.get(workspaceId) == slot) {
                replace(slot, loaded);
                slot.lastRead = System.nanoTime();
                kept = true;
            } else if (slot.devices == null && slot.loading == null) {
                slots.remove(workspaceId, slot);
            }
        }
        loading.complete(loaded);
        if (kept) {
            evictIfFull(slot);
        }
        return usable(loaded);
    }

    /**
     * Runs a transaction that may change the workspace's devices ({@link Database#inTransaction}),
     * and drops them from the view once it has ended, committed or not, before the caller answers:
     * so a caller reads its own writes at once, without waiting for the notification.
     */
    public <T> T inTransaction(UUID workspaceId, Database.Work<T> work) throws Exception {
        try {
            return database.inTransaction(work);
        } finally {
            changed(workspaceId);
        }
    }

    /**
     * The workspace's devices changed (or may have): a transaction that wrote them has ended, or
     * the database says so. The next read loads them again.
     */
    public void changed(UUID workspaceId) {
        Slot slot = slots.get(workspaceId);
        if (slot == null) {
            return;
        }
        synchronized (slot) {
            slot.generation++;
            slot.loading = null;
            replace(slot, null);
            // A load still running on this slot will find it gone and keep nothing.
            slots.remove(workspaceId, slot);
        }
    }

    /** Every workspace's devices may have changed. */
    public void changedAll() {
        epoch.incrementAndGet();
        for (UUID workspaceId : slots.keySet()) {
            changed(workspaceId);
        }
    }

    private static Optional<WorkspaceDevices> usable(WorkspaceDevices devices) {
        return devices.complete() ? Optional.of(devices) : Optional.empty();
    }

    private static WorkspaceDevices await(CompletableFuture<WorkspaceDevices> loading) throws Exception {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Called under the slot's lock. */
    private void replace(Slot slot, WorkspaceDevices devices) {
        WorkspaceDevices old = slot.devices;
        slot.devices = devices;
        bytes.addAndGet((devices == null ? 0 : devices.bytes) - (old == null ? 0 : old.bytes));
    }

    /** Past the budget, drops the least recently read workspaces (not {@code keep}), and forgets empty slots. */
    private void evictIfFull(Slot keep) {
        if (bytes.get() <= maxBytes) {
            return;
        }
        synchronized (evicting) {
            List<Map.Entry<UUID, Slot>> byAge = new ArrayList<>(slots.entrySet());
            byAge.sort(Comparator.comparingLong(entry -> entry.getValue().lastRead));
            Iterator<Map.Entry<UUID, Slot>> oldest = byAge.iterator();
            while (bytes.get() > maxBytes && oldest.hasNext()) {
                Map.Entry<UUID, Slot> entry = oldest.next();
                Slot slot = entry.getValue();
                if (slot == keep) {
                    continue;
                }
                synchronized (slot) {
                    replace(slot, null);
                    if (slot.loading == null) {
                        slots.remove(entry.getKey(), slot);
                    }
                }
            }
        }
    }

    private WorkspaceDevices query(Connection connection, UUID workspaceId, long loadEpoch) throws Exception {
        // SQL, not entities: one query per workspace, each device's JSON read as text and serialized
        // once, nothing kept by a session.
        try (PreparedStatement select = connection.prepareStatement("SELECT device_id, created_at, connected_account_id,"
                + " device_type, display_name, device FROM device WHERE workspace_id = ? AND removed_at IS NULL AND is_managed"
                + " ORDER BY created_at DESC, device_id DESC LIMIT ?")) {
            select.setObject(1, workspaceId);
            select.setInt(2, maxDevicesPerWorkspace + 1);
            List<ViewedDevice> devices = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (devices.size() == maxDevicesPerWorkspace) {
                        return WorkspaceDevices.tooLarge(loadEpoch);
                    }
                    devices.add(viewed(rows));
                }
            }
            return WorkspaceDevices.of(devices, loadEpoch);
        }
    }

    private ViewedDevice viewed(ResultSet row) throws Exception {
        JsonNode device = mapper.readTree(row.getString("device"));
        byte[] json = mapper.writeValueAsBytes(device);
        JsonNode manufacturer = device.path("properties").path("manufacturer");
        Set<String> trueFields = new HashSet<>();
        device.fields().forEachRemaining(field -> {
            if (field.getValue().isBoolean() && field.getValue().booleanValue()) {
                trueFields.add(field.getKey());
            }
        });
        return new ViewedDevice(
                row.getObject("device_id", UUID.class),
                row.getTimestamp("created_at").toInstant(),
                row.getObject("connected_account_id", UUID.class),
                row.getString("device_type"),
                row.getString("display_name"),
                manufacturer.isTextual() ? manufacturer.textValue() : null,
                Set.copyOf(trueFields),
                json,
                RenderedJson.shared(RenderedJson.single("device", json)));
    }

    /** The listener: LISTEN on its own connection, drop what the notifications name, start afresh after any failure. */
    private void listen() {
        while (running) {
            try (Connection connection = connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                // Whatever changed before LISTEN took effect was never notified: start empty.
                changedAll();
                listening = true;
                LOG.infof("Device view listening for device changes (channel %s)", CHANNEL);
                long lastCheck = System.nanoTime();
                while (running) {
                    PGNotification[] received = notifications.getNotifications(POLL_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            apply(notification.getParameter());
                        }
                    }
                    if (System.nanoTime() - lastCheck > CHECK_NANOS) {
                        // A connection that died silently fails here (socket timeout), not in the wait above.
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("SELECT 1");
                        }
                        lastCheck = System.nanoTime();
                    }
                }
            } catch (Exception e) {
                boolean was = listening;
                stopListening();
                if (!running) {
                    return;
                }
                if (was) {
                    LOG.warnf("Device view lost its connection, reads go to the database until it listens again: %s", e.toString());
                } else {
                    LOG.debugf("Device view cannot listen yet: %s", e.toString());
                }
                sleepQuietly(1_000);
            }
        }
        stopListening();
    }

    private void stopListening() {
        listening = false;
        changedAll();
    }

    private void apply(String payload) {
        if ("*".equals(payload)) {
            changedAll();
            return;
        }
        try {
            changed(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignoring a %s notification with payload %s; dropping every workspace", CHANNEL, payload);
            changedAll();
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", LISTENER_NAME);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        connection.setAutoCommit(true);
        return connection;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
