package com.lockstep.credential.events.incoming;

import com.lockstep.credential.domain.AcsSystem;
import com.lockstep.credential.store.AcsSystemRepository;
import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.schemas.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import static com.lockstep.kit.events.inbox.EventFields.uuid;

/**
 * The ACS systems of each workspace, from device-gateway's acs_system.added: where users and
 * credentials may live. A projection: a replay rebuilds it (while it runs, new users and
 * credentials on a system not yet read again are refused with acs_system_not_found).
 */
@ApplicationScoped
public class AcsSystemsConsumer {

    public static final String CONSUMER_GROUP = "credential-service.acs-systems";
    static final String CHANNEL = "acs-systems";

    private final Inbox inbox;
    private final EventSubscription subscription;

    AcsSystemsConsumer(Inbox inbox, AcsSystemRepository systems) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_SYSTEM_EVENTS)
                .on(AcsSystemAdded.class, (tx, added) -> systems.added(new AcsSystem(
                        uuid("acs_system_id", added.getAcsSystemId()), uuid("workspace_id", added.getWorkspaceId()),
                        uuid("connected_account_id", added.getConnectedAccountId()), added.getExternalType(),
                        added.getName(), added.getIsCredentialManager())))
                .rebuiltBy(tx -> systems.clear());
    }

    @Incoming(CHANNEL)
    @Blocking(Inbox.WORKERS)
    CompletionStage<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        return inbox.apply(subscription, batch);
    }

    @Produces
    @Identifier(CHANNEL)
    Map<String, Object> channel() {
        return subscription.channelConfiguration();
    }

    @Produces
    EventSubscription subscription() {
        return subscription;
    }
}
