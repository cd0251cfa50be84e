package com.lockstep.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.lockstep.schemas.registry.SchemaRegistrar;

/**
 * One Kafka broker, one PostgreSQL server and one Apicurio Registry (with every Lockstep schema
 * registered) for the whole JVM: started together on first use, stopped when the JVM exits.
 *
 * <p>"JVM" strictly means class loader: Quarkus loads test-kit anew for each test profile, so
 * each profile's application gets servers of its own, which {@link RealServersResource} stops
 * with the application.
 */
public final class RealServers {

    private static RealServers running;

    private final KafkaServer kafka;
    private final PostgresServer postgres;
    private final ApicurioServer apicurio;

    private RealServers(KafkaServer kafka, PostgresServer postgres, ApicurioServer apicurio) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.apicurio = apicurio;
    }

    /** The servers of this JVM, started on the first call; each stops in its shutdown hook. */
    public static synchronized RealServers get() {
        if (running == null) {
            running = start();
        }
        return running;
    }

    /** Stops the servers, if started; the next {@link #get()} starts new ones. */
    public static synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public ApicurioServer apicurio() {
        return apicurio;
    }

    /** Starts the three at once: they do not depend on each other, and each takes seconds. */
    private static RealServers start() {
        KafkaServer kafka = new KafkaServer();
        PostgresServer postgres = new PostgresServer();
        ApicurioServer apicurio = new ApicurioServer();
        try {
            CompletableFuture.allOf(
                    inNewThread("kafka", kafka::start),
                    inNewThread("postgres", postgres::start),
                    inNewThread("apicurio", () -> {
                        apicurio.start();
                        SchemaRegistrar.registerAll(apicurio.url());
                    })).join();
        } catch (CompletionException e) {
            new RealServers(kafka, postgres, apicurio).close();
            throw new IllegalStateException("Could not start the real servers", e.getCause());
        }
        return new RealServers(kafka, postgres, apicurio);
    }

    private void close() {
        kafka.close();
        postgres.close();
        apicurio.close();
    }

    /** Its own thread, since the common pool may have a single worker (on two cores it does). */
    private static CompletableFuture<Void> inNewThread(String server, Runnable start) {
        return CompletableFuture.runAsync(start, task -> new Thread(task, "lockstep-start-" + server).start());
    }
}
