package com.lockstep.identity.events.incoming;

import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.replay.ReplayRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Runs identity-service's projections, one consumer group each, and rebuilds any of them on the
 * operator's request. They include the device state topic's reader, which is not a kit
 * subscription, so this service runs them itself rather than through the kit's runtime.
 */
@Singleton
public class ProjectionRunner extends ReplayRunner {

    public ProjectionRunner(Instance<Projection> projections, KafkaClients clients, Database database,
                            @ConfigProperty(name = "lockstep.projections.replay-timeout", defaultValue = "PT10M") Duration catchUpTimeout,
                            ReadFence fence) {
        super(projections, clients, database, catchUpTimeout, fence);
    }

    /** After the kit's start (priority 10), which creates the topics. */
    void onStart(@Observes @Priority(20) StartupEvent startup) {
        start();
    }

    void onStop(@Observes @Priority(1) ShutdownEvent shutdown) throws Exception {
        close();
    }
}
