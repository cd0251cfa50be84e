package com.lockstep.phone.events.incoming;

import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.phone.store.UserIdentityRepository;
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
 * Keeps the user identities of each workspace, from identity-service's events, so
 * {@code /phones/simulate/create_sandbox_phone} registers a phone only to a live identity of the
 * caller's workspace without asking identity-service.
 */
@ApplicationScoped
public class UserIdentitiesConsumer {

    /** A projection: replaying this group empties and rebuilds it. */
    public static final String CONSUMER_GROUP = "phone-service.user-identities";
    static final String CHANNEL = "user-identities";

    private final Inbox inbox;
    private final EventSubscription subscription;

    UserIdentitiesConsumer(Inbox inbox, UserIdentityRepository identities) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.USER_IDENTITY_EVENTS)
                .on(UserIdentityCreated.class, (tx, created) -> identities.created(
                        uuid("user_identity_id", created.getUserIdentityId()), uuid("workspace_id", created.getWorkspaceId())))
                .on(UserIdentityDeleted.class, (tx, deleted) ->
                        identities.markDeleted(uuid("user_identity_id", deleted.getUserIdentityId()), deleted.getOccurredAt()))
                .rebuiltBy(tx -> identities.clear());
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
