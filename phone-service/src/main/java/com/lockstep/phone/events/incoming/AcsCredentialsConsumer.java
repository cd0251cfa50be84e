package com.lockstep.phone.events.incoming;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.phone.store.IssuedCredentialRepository;
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
import static com.lockstep.kit.events.inbox.EventFields.uuids;

/**
 * Keeps which phone each credential was issued to, from the credential topic, so
 * {@code /phones/list?acs_credential_id=} can answer without asking credential-service.
 */
@ApplicationScoped
public class AcsCredentialsConsumer {

    /** Its own group, so that a replay re-reads this projection alone. */
    public static final String CONSUMER_GROUP = "phone-service.issued-credentials";
    static final String CHANNEL = "issued-credentials";

    private final Inbox inbox;
    private final EventSubscription subscription;

    AcsCredentialsConsumer(Inbox inbox, IssuedCredentialRepository credentials) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_CREDENTIAL_EVENTS)
                .on(AcsCredentialIssued.class, (tx, issued) -> {
                    if (issued.getDeviceId() != null) {
                        credentials.issued(uuid("acs_credential_id", issued.getAcsCredentialId()),
                                uuid("workspace_id", issued.getWorkspaceId()), uuid("device_id", issued.getDeviceId()));
                    }
                })
                // A lost phone's credentials are deleted together: one statement for a batch's run of them.
                .onBatch(AcsCredentialDeleted.class, (tx, deletions) ->
                        credentials.deleted(uuids("acs_credential_id", deletions, AcsCredentialDeleted::getAcsCredentialId)));
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
