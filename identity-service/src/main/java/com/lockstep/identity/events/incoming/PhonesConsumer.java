package com.lockstep.identity.events.incoming;

import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.identity.store.PhoneRepository;
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

/** Each identity's phones and whether they are deactivated: an active phone keeps the identity from deletion. */
@ApplicationScoped
public class PhonesConsumer {

    public static final String CONSUMER_GROUP = "identity-service.phones";
    static final String CHANNEL = "phones";

    private final Inbox inbox;
    private final EventSubscription subscription;

    PhonesConsumer(Inbox inbox, PhoneRepository phones) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.PHONE_EVENTS)
                .on(PhoneRegistered.class, (tx, registered) -> phones.registered(
                        uuid("device_id", registered.getDeviceId()), uuid("workspace_id", registered.getWorkspaceId()),
                        uuid("owner_user_identity_id", registered.getOwnerUserIdentityId())))
                .on(PhoneDeactivated.class, (tx, deactivated) -> phones.deactivated(
                        uuid("device_id", deactivated.getDeviceId()), uuid("workspace_id", deactivated.getWorkspaceId()),
                        uuid("owner_user_identity_id", deactivated.getOwnerUserIdentityId())))
                .rebuiltBy(tx -> phones.clear());
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
