package com.lockstep.kit.metrics;

import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What operators watch on {@code /q/metrics}, beside the HTTP latency by endpoint that Quarkus's
 * Micrometer extension gives: each consumer group's lag, the outbox's backlog and the age of its
 * oldest row, the read fence's and the publication barrier's waits by endpoint, and dead letters
 * ({@link #deadLettered}). The gauges ask Kafka and the database at most once a second, however
 * often they are scraped.
 */
@Singleton
public class KitMetrics {

    private static final String DEAD_LETTERS = "lockstep.dead.letters";
    private static final String BATCH_RECORDS = "lockstep.inbox.batch.records";
    private static final Logger LOG = Logger.getLogger(KitMetrics.class);
    private static final Duration MEASURED_AT_MOST_EVERY = Duration.ofSeconds(1);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private final MeterRegistry registry;
    private final ReadFence fence;
    private final Database database;
    private final Map<String, Timer> fenceWaits = new ConcurrentHashMap<>();
    private final Map<String, Timer> publicationWaits = new ConcurrentHashMap<>();
    private final Map<String, Counter> readsRunAgain = new ConcurrentHashMap<>();
    private Measured measured;

    /** One measurement of what the gauges show; NaN where it could not be taken. */
    private record Measured(long atNanos, Map<String, Long> lagByGroup, Outbox outbox) {
    }

    private record Outbox(double backlog, double oldestRowAgeSeconds) {
        static final Outbox UNKNOWN = new Outbox(Double.NaN, Double.NaN);
    }

    public KitMetrics(MeterRegistry registry, ReadFence fence, Database database) {
        this.registry = registry;
        this.fence = fence;
        this.database = database;
    }

    /** After the kit (10) and the services' own runners have said which groups they run. */
    void register(@Observes @Priority(30) StartupEvent startup) {
        for (String group : fence.trackedGroups()) {
            Gauge.builder("lockstep.consumer.lag", this, metrics -> {
                        Long lag = metrics.current().lagByGroup().get(group);
                        return lag == null ? Double.NaN : lag;
                    })
                    .description("Records on the group's topics it has not applied yet")
                    .tag("consumer_group", group)
                    .register(registry);
        }
        Gauge.builder("lockstep.outbox.backlog", this, metrics -> metrics.current().outbox().backlog())
                .description("Outbox rows not yet published")
                .register(registry);
        Gauge.builder("lockstep.outbox.oldest.age", this, metrics -> metrics.current().outbox().oldestRowAgeSeconds())
                .description("Age of the oldest outbox row not yet published; 0 when there is none")
                .baseUnit("seconds")
                .register(registry);
    }

    /** What one request waited for the read fence and for the publication barrier. */
    public void waited(String endpoint, long fenceNanos, long publicationNanos) {
        fenceWaits.computeIfAbsent(endpoint, path -> Timer.builder("lockstep.fence.wait")
                .description("What a request waited for its service's consumers to catch up with Kafka")
                .tag("endpoint", path).register(registry)).record(fenceNanos, TimeUnit.NANOSECONDS);
        publicationWaits.computeIfAbsent(endpoint, path -> Timer.builder("lockstep.publication.wait")
                .description("What a request waited, after its handler, for its service's outbox to be published")
                .tag("endpoint", path).register(registry)).record(publicationNanos, TimeUnit.NANOSECONDS);
    }

    /** A read that ran alongside its fence and had to run again: the consumers had been behind. */
    public void ranAgain(String endpoint) {
        readsRunAgain.computeIfAbsent(endpoint, path -> Counter.builder("lockstep.fence.reads.run.again")
                .description("Reads that ran alongside their fence and ran again because the consumers had been behind")
                .tag("endpoint", path).register(registry)).increment();
    }

    /**
     * Counts a record a consumer could not apply. Static, on Micrometer's global registry (which
     * Quarkus's is part of), because consumers also run outside CDI, in the kit's own tests.
     */
    public static void deadLettered(String consumerGroup, String topic) {
        Metrics.counter(DEAD_LETTERS, "consumer_group", consumerGroup, "topic", topic).increment();
    }

    /** The size of each batch a consumer's channel handed over: how many records one transaction applies. */
    public static void batchReceived(String consumerGroup, int records) {
        DistributionSummary.builder(BATCH_RECORDS).tag("consumer_group", consumerGroup).register(Metrics.globalRegistry).record(records);
    }

    private synchronized Measured current() {
        long now = System.nanoTime();
        if (measured == null || now - measured.atNanos() >= MEASURED_AT_MOST_EVERY.toNanos()) {
            measured = new Measured(now, lag(), outbox());
        }
        return measured;
    }

    private Map<String, Long> lag() {
        try {
            return fence.lag(System.nanoTime() + LOOKUP_TIMEOUT.toNanos());
        } catch (Exception e) {
            LOG.debugf("Consumer lag could not be measured: %s", e.toString());
            return Map.of();
        }
    }

    private Outbox outbox() {
        try {
            return database.read(connection -> {
                try (Statement select = connection.createStatement();
                     ResultSet row = select.executeQuery("SELECT count(*), min(created_at) FROM outbox_event")) {
                    row.next();
                    Timestamp oldest = row.getTimestamp(2);
                    double age = oldest == null ? 0 : Math.max(0, (System.currentTimeMillis() - oldest.getTime()) / 1000.0);
                    return new Outbox(row.getLong(1), age);
                }
            });
        } catch (Exception e) {
            LOG.debugf("The outbox could not be measured: %s", e.toString());
            return Outbox.UNKNOWN;
        }
    }
}
