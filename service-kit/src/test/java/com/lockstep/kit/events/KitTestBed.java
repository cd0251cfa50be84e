package com.lockstep.kit.events;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.Subscription;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.testkit.RealServers;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.transaction.TransactionManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the kit's event tests share on test-kit's real servers: a database with the kit's tables, fresh topics, a sample event. */
public final class KitTestBed {

    /** Narayana's transaction manager, as Quarkus runs it. */
    public static final TransactionManager TRANSACTIONS = com.arjuna.ats.jta.TransactionManager.transactionManager();

    private KitTestBed() {
    }

    /** A database of its own, migrated with the kit's migrations (outbox, inbox, applied offsets). */
    public static Database migratedDatabase(RealServers servers, String name) {
        servers.postgres().createDatabase(name);
        Flyway.configure().dataSource(servers.postgres().jdbcUrl(name), servers.postgres().username(), servers.postgres().password())
                .locations("classpath:db/kit").load().migrate();
        return new Database(pool(servers, name, 16, Duration.ofSeconds(5)), TRANSACTIONS, null);
    }

    /** The services' pool (Agroal, enlisting in {@link #TRANSACTIONS}), without Quarkus. */
    public static AgroalDataSource pool(RealServers servers, String database, int size, Duration acquisitionTimeout) {
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(size)
                            .acquisitionTimeout(acquisitionTimeout)
                            .transactionIntegration(new NarayanaTransactionIntegration(TRANSACTIONS,
                                    new TransactionSynchronizationRegistryImple()))
                            .connectionFactoryConfiguration(factory -> factory
                                    .jdbcUrl(servers.postgres().jdbcUrl(database))
                                    .principal(new NamePrincipal(servers.postgres().username()))
                                    .credential(new SimplePassword(servers.postgres().password())))));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies a subscription's topic through the inbox, from its beginning to its end once it holds at
     * least {@code records}: the inbox's own path, without the service's channel.
     */
    static void applyTopic(Inbox inbox, KafkaClients clients, Subscription subscription, long records) throws Exception {
        String topic = subscription.topics().get(0);
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, Long> from = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().forEach(p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                from.put(new TopicPartition(topic, p.partition()), 0L);
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                Map<TopicPartition, Long> end = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
                long held = end.values().stream().mapToLong(Long::longValue).sum();
                if (held >= records) {
                    inbox.replay(subscription, from, end);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topic + " holds " + held + " records, not " + records);
                }
                Thread.sleep(50);
            }
        }
    }

    /** A new topic of 3 partitions, named {@code prefix} and a random suffix. */
    static String newTopic(RealServers servers, String prefix) {
        String topic = prefix + UUID.randomUUID();
        servers.kafka().createTopic(topic, 3, false);
        return topic;
    }

    /** A phone.registered event for {@code deviceId}, {@code sequence} in its installation id. */
    static PhoneRegistered phoneRegistered(String deviceId, int sequence) {
        return PhoneRegistered.newBuilder(
                        EventEnvelope.on(new PhoneRegistered(), "phone.registered", UUID.randomUUID(), Instant.now()))
                .setDeviceId(deviceId)
                .setOwnerUserIdentityId(UUID.randomUUID().toString())
                .setDeviceType("android_phone")
                .setCustomSdkInstallationId(Integer.toString(sequence))
                .build();
    }
}
