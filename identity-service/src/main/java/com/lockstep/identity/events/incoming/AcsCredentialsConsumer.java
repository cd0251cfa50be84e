package com.lockstep.identity.events.incoming;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.identity.store.CredentialRepository;
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

import static com.lockstep.kit.events.inbox.EventFields.optionalUuid;
import static com.lockstep.kit.events.inbox.EventFields.uuid;
import static com.lockstep.kit.events.inbox.EventFields.uuids;

/**
 * Every live credential with its identity and ACS user: a credential of the identity, or of an
 * ACS user linked to it, keeps the identity from deletion.
 */
@ApplicationScoped
public class AcsCredentialsConsumer {

    public static final String CONSUMER_GROUP = "identity-service.credentials";
    static final String CHANNEL = "acs-credentials";

    private final Inbox inbox;
    private final EventSubscription subscription;

    AcsCredentialsConsumer(Inbox inbox, CredentialRepository credentials) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_CREDENTIAL_EVENTS)
                .on(AcsCredentialIssued.class, (tx, issued) -> credentials.issued(
                        uuid("acs_credential_id", issued.getAcsCredentialId()), uuid("workspace_id", issued.getWorkspaceId()),
                        optionalUuid("user_identity_id", issued.getUserIdentityId()),
                        optionalUuid("acs_user_id", issued.getAcsUserId())))
                // A lost phone's credentials are deleted together: one statement for a poll's run of them.
                .onBatch(AcsCredentialDeleted.class, (tx, deletions) ->
                        credentials.deleted(uuids("acs_credential_id", deletions, AcsCredentialDeleted::getAcsCredentialId)))
                .rebuiltBy(tx -> credentials.clear());
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
