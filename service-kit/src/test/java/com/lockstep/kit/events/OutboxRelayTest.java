package com.lockstep.kit.events;

import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.outbox.EventNotEncodedException;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.kit.events.outbox.OutboxRelay;
import com.lockstep.testkit.RealServers;
import com.lockstep.testkit.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The outbox relay on a real PostgreSQL and a real Kafka broker, through crashes and failover. */
class OutboxRelayTest {

    private static final String DATABASE = "kit_outbox";
    private static RealServers servers;
    private static Database database;
    private static KafkaClients clients;
    private static Outbox outbox;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void migrate() {
        servers = RealServers.get();
        database = KitTestBed.migratedDatabase(servers, DATABASE);
        clients = new KafkaClients(servers.kafka().bootstrapServers(), servers.apicurio().url(), "kit-test");
        outbox = new Outbox(clients.eventSerializer());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
        database.inTransaction(tx -> tx.createStatement().executeUpdate("DELETE FROM outbox_event"));
    }

    @Test
    void eventsCommittedWhileNoRelayRunsArriveOncePerEventIdEvenWhenARelayDiesMidBatch() throws Exception {
        String topic = newTopic();
        Set<String> committed = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            committed.add(append(topic, "phone-" + (i % 50), i));
        }

        OutboxRelay first = relay("first");
        await().atMost(Duration.ofSeconds(20)).until(() -> first.publishedCount() > 0);
        first.kill();
        OutboxRelay second = relay("second");
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxSize() == 0);

        List<ConsumerRecord<String, Object>> records = TestEvents.onRealServers().readUntil(topic,
                read -> read.stream().map(r -> ((PhoneRegistered) r.value()).getEventId()).distinct().count() >= committed.size(),
                Duration.ofSeconds(30));
        Set<String> published = new HashSet<>();
        records.forEach(r -> published.add(((PhoneRegistered) r.value()).getEventId()));
        assertThat(published).isEqualTo(committed);
        assertThat(second.active()).isTrue();

        // Whatever copies the crash left on the topic, a consumer applies each event once.
        String consumerGroup = "kit-test-consumer-" + UUID.randomUUID();
        database.inTransaction(tx -> tx.createStatement().executeUpdate(
                "CREATE TABLE IF NOT EXISTS applied_effect (event_id TEXT NOT NULL, consumer TEXT NOT NULL)"));
        EventSubscription subscription = EventSubscription.of(consumerGroup, topic)
                .on(PhoneRegistered.class, (tx, event) -> {
                    try (PreparedStatement effect = tx.prepareStatement("INSERT INTO applied_effect VALUES (?, ?)")) {
                        effect.setString(1, event.getEventId());
                        effect.setString(2, consumerGroup);
                        effect.executeUpdate();
                    }
                });
        KitTestBed.applyTopic(new Inbox(database, clients), clients, subscription, records.size());
        assertThat(effects(consumerGroup)).isEqualTo(committed.size());
        assertThat(distinctEffects(consumerGroup)).isEqualTo(committed.size());
        assertThat(records.size()).isGreaterThanOrEqualTo(committed.size());
    }

    @Test
    void twoRelaysNeverPublishOneAggregatesEventsOutOfOrder() throws Exception {
        String topic = newTopic();
        database.inTransaction(tx -> tx.createStatement().executeUpdate(
                "CREATE TABLE IF NOT EXISTS test_aggregate (aggregate_id TEXT PRIMARY KEY, version INT NOT NULL)"));
        OutboxRelay a = relay("a");
        OutboxRelay b = relay("b");
        AtomicBoolean bothActive = new AtomicBoolean();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleAtFixedRate(() -> bothActive.compareAndSet(false, a.active() && b.active()), 0, 2, TimeUnit.MILLISECONDS);

        int aggregates = 20;
        int eventsPerPhase = 600;
        writeConcurrently(topic, aggregates, eventsPerPhase);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.publishedCount() + b.publishedCount() > 0);
        OutboxRelay active = a.active() ? a : b;
        OutboxRelay standby = active == a ? b : a;
        active.kill();
        // The standby takes over while new events keep coming.
        writeConcurrently(topic, aggregates, eventsPerPhase);
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxSize() == 0);
        watcher.shutdownNow();
        assertThat(standby.active()).isTrue();
        assertThat(bothActive).isFalse();

        int total = 2 * eventsPerPhase;
        List<ConsumerRecord<String, Object>> records = TestEvents.onRealServers().readUntil(topic,
                read -> read.stream().map(r -> ((PhoneRegistered) r.value()).getEventId()).distinct().count() >= total,
                Duration.ofSeconds(30));
        Map<String, Integer> lastVersion = new HashMap<>();
        for (ConsumerRecord<String, Object> record : records) {
            int version = Integer.parseInt(((PhoneRegistered) record.value()).getCustomSdkInstallationId());
            int last = lastVersion.getOrDefault(record.key(), 0);
            // A copy re-sent after the failover repeats versions already seen; a new version is always the next one.
            if (version > last) {
                assertThat(version).as("next event of %s", record.key()).isEqualTo(last + 1);
                lastVersion.put(record.key(), version);
            }
        }
        assertThat(lastVersion.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
    }

    @Test
    void anEventTheRegistryCannotEncodeIsRefusedAndItsTransactionWritesNothing() throws Exception {
        String topic = newTopic();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Outbox withoutRegistry = new Outbox(new KafkaClients(servers.kafka().bootstrapServers(),
                "http://127.0.0.1:" + closedPort + "/apis/registry/v3", "kit-test").eventSerializer());
        database.inTransaction(tx -> tx.createStatement().executeUpdate(
                "CREATE TABLE IF NOT EXISTS test_aggregate (aggregate_id TEXT PRIMARY KEY, version INT NOT NULL)"));

        assertThatThrownBy(() -> database.inTransaction(tx -> {
            tx.createStatement().executeUpdate("INSERT INTO test_aggregate VALUES ('unencodable-" + topic + "', 1)");
            return appendIn(withoutRegistry, tx, topic, "unencodable", 1);
        })).isInstanceOf(EventNotEncodedException.class).hasMessageContaining("phone.registered");

        assertThat(outboxSize()).isZero();
        assertThat(count("SELECT count(*) FROM test_aggregate WHERE aggregate_id = 'unencodable-" + topic + "'")).isZero();
    }

    /** Four writers append {@code events} events to random aggregates, each locking its aggregate's row as services do. */
    private static void writeConcurrently(String topic, int aggregates, int events) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writes.add(writers.submit(() -> {
                for (int i = 0; i < events / 4; i++) {
                    String aggregate = "aggregate-" + (int) (Math.random() * aggregates) + "-" + topic;
                    database.inTransaction(tx -> {
                        int version;
                        try (PreparedStatement bump = tx.prepareStatement("INSERT INTO test_aggregate VALUES (?, 1) "
                                + "ON CONFLICT (aggregate_id) DO UPDATE SET version = test_aggregate.version + 1 RETURNING version")) {
                            bump.setString(1, aggregate);
                            try (ResultSet row = bump.executeQuery()) {
                                row.next();
                                version = row.getInt(1);
                            }
                        }
                        appendIn(tx, topic, aggregate, version);
                        return null;
                    });
                }
                return null;
            }));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        writers.shutdown();
        writers.awaitTermination(10, TimeUnit.SECONDS);
    }

    private OutboxRelay relay(String name) {
        OutboxRelay relay = new OutboxRelay(jdbcUrl(), servers.postgres().username(), servers.postgres().password(), clients, name);
        running.add(relay);
        relay.start();
        return relay;
    }

    private static String append(String topic, String key, int sequence) throws Exception {
        return database.inTransaction(tx -> appendIn(tx, topic, key, sequence));
    }

    private static String appendIn(java.sql.Connection tx, String topic, String key, int sequence) throws Exception {
        return appendIn(outbox, tx, topic, key, sequence);
    }

    private static String appendIn(Outbox outbox, java.sql.Connection tx, String topic, String key, int sequence) throws Exception {
        PhoneRegistered event = KitTestBed.phoneRegistered(key, sequence);
        outbox.append(tx, topic, key, event);
        return event.getEventId();
    }

    private static long outboxSize() throws Exception {
        return count("SELECT count(*) FROM outbox_event");
    }

    private static long effects(String consumer) throws Exception {
        return count("SELECT count(*) FROM applied_effect WHERE consumer = '" + consumer + "'");
    }

    private static long distinctEffects(String consumer) throws Exception {
        return count("SELECT count(DISTINCT event_id) FROM applied_effect WHERE consumer = '" + consumer + "'");
    }

    private static long count(String sql) throws Exception {
        return database.read(c -> {
            try (Statement statement = c.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    private static String newTopic() {
        return KitTestBed.newTopic(servers, "kit-test.");
    }

    private static String jdbcUrl() {
        return servers.postgres().jdbcUrl(DATABASE);
    }
}
