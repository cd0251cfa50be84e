package com.lockstep.kit.runtime;

import com.lockstep.kit.auth.ApiKeyDirectory;
import com.lockstep.kit.consistency.ChangeNotifications;
import com.lockstep.kit.consistency.PublicationBarrier;
import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.EventTracing;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.TopicProvisioner;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.Subscription;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.kit.events.outbox.OutboxRelay;
import com.lockstep.schemas.Topics;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Wires the kit into a Quarkus service: the Kafka clients, the database, the API-key
 * directory, the outbox and its relay, and the {@link Inbox} that applies what the service's
 * channels receive; every {@link Subscription} bean is fenced on and can be replayed ({@link KitSubscriptions}).
 */
@Singleton
public class KitRuntime {

    private final KafkaClients clients;
    private final Database database;
    private final ApiKeyDirectory apiKeys;
    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private final boolean relayEnabled;
    private final short replicationFactor;
    private final String serviceName;
    private final Instance<Subscription> subscriptionBeans;
    private KitSubscriptions subscriptions;
    private final ChangeNotifications notifications;
    private final ReadFence fence;
    private final PublicationBarrier publicationBarrier;
    private final Outbox outbox;
    private final Inbox inbox;
    private OutboxRelay relay;

    public KitRuntime(@ConfigProperty(name = "lockstep.kafka.bootstrap-servers") String bootstrapServers,
                      @ConfigProperty(name = "lockstep.registry.url") String registryUrl,
                      @ConfigProperty(name = "quarkus.application.name") String serviceName,
                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                      @ConfigProperty(name = "lockstep.outbox.relay.enabled", defaultValue = "true") boolean relayEnabled,
                      @ConfigProperty(name = "lockstep.kafka.replication-factor", defaultValue = "1") short replicationFactor,
                      @ConfigProperty(name = "lockstep.kafka.instance-id") Optional<String> instanceId,
                      AgroalDataSource dataSource,
                      TransactionManager transactionManager,
                      Instance<EntityManager> session,
                      OpenTelemetry openTelemetry,
                      Instance<Subscription> subscriptions) {
        this.serviceName = serviceName;
        this.clients = new KafkaClients(bootstrapServers, registryUrl, serviceName, instanceId, new EventTracing(openTelemetry));
        this.database = new Database(dataSource, transactionManager, session.isResolvable() ? session.get() : null);
        this.apiKeys = new ApiKeyDirectory(clients);
        this.notifications = new ChangeNotifications(jdbcUrl, username.orElse(null), password.orElse(null));
        this.fence = new ReadFence(clients, notifications);
        this.fence.lookUp(Topics.API_KEY_STATE);
        this.publicationBarrier = new PublicationBarrier(database, notifications);
        this.outbox = new Outbox(clients.eventSerializer());
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.relayEnabled = relayEnabled;
        this.replicationFactor = replicationFactor;
        this.inbox = new Inbox(database, clients);
        this.subscriptionBeans = subscriptions;
    }

    @Produces
    public KafkaClients kafkaClients() {
        return clients;
    }

    @Produces
    public Database database() {
        return database;
    }

    @Produces
    public Outbox outbox() {
        return outbox;
    }

    @Produces
    public Inbox inbox() {
        return inbox;
    }

    @Produces
    public ApiKeyDirectory apiKeyDirectory() {
        return apiKeys;
    }

    @Produces
    public ReadFence readFence() {
        return fence;
    }

    @Produces
    public PublicationBarrier publicationBarrier() {
        return publicationBarrier;
    }

    @Produces
    public synchronized KitSubscriptions subscriptions() {
        // Not in the constructor: the subscriptions' beans take the inbox this runtime produces.
        if (subscriptions == null) {
            subscriptions = new KitSubscriptions(subscriptionBeans, clients, database, inbox, fence);
        }
        return subscriptions;
    }

    /** Runs after Flyway (which migrates at startup), before the HTTP server takes traffic. */
    void start(@Observes @Priority(10) StartupEvent startup) throws Exception {
        TopicProvisioner.ensureTopics(clients, replicationFactor);
        apiKeys.start();
        notifications.start();
        subscriptions();
        fence.start();
        if (relayEnabled) {
            relay = new OutboxRelay(jdbcUrl, username.orElse(null), password.orElse(null), clients, serviceName + "-outbox-relay");
            relay.start();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws Exception {
        inbox.stop();
        if (relay != null) {
            relay.close();
        }
        apiKeys.close();
        fence.close();
        notifications.close();
    }
}
