package com.lockstep.kit.events;

import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.testkit.RealServers;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Instant;
import java.util.UUID;

/** What the kit's event tests share on test-kit's real servers: a database with the kit's tables, fresh topics, a sample event. */
final class KitTestBed {

    private KitTestBed() {
    }

    /** A database of its own, migrated with the kit's migrations (outbox, inbox, applied offsets). */
    static Database migratedDatabase(RealServers servers, String name) {
        servers.postgres().createDatabase(name);
        String jdbcUrl = servers.postgres().jdbcUrl(name);
        Flyway.configure().dataSource(jdbcUrl, servers.postgres().username(), servers.postgres().password())
                .locations("classpath:db/kit").load().migrate();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(servers.postgres().username());
        dataSource.setPassword(servers.postgres().password());
        return new Database(dataSource);
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
