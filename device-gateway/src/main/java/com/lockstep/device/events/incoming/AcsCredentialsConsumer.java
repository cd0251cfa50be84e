package com.lockstep.device.events.incoming;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.provider.AcsCredentialGrant;
import com.lockstep.device.provider.ProviderAdapter;
import com.lockstep.device.provider.ProviderAdapters;
import com.lockstep.device.store.AcsSystemStore;
import com.lockstep.device.store.ConnectedAccountStore;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialInvalidated;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.InvalidEventException;
import com.lockstep.schemas.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static com.lockstep.kit.events.inbox.EventFields.optionalUuid;
import static com.lockstep.kit.events.inbox.EventFields.uuid;

/**
 * Programs each issued credential on its access control system and removes each deleted or invalidated one,
 * through the system's provider adapter. The kit's inbox applies every event once: the adapter call
 * and the processed-event row commit together, so a redelivered event programs nothing twice.
 * An event naming an ACS system this workspace does not have can never apply: dead letter.
 */
@ApplicationScoped
public class AcsCredentialsConsumer {

    /** Its own group: replaying it re-sends every credential to the ACSs, which ignore what they hold. */
    public static final String CONSUMER_GROUP = "device-gateway.acs-credentials";
    static final String CHANNEL = "acs-credentials";

    private final Inbox inbox;
    private final EventSubscription subscription;

    AcsCredentialsConsumer(Inbox inbox, AcsSystemStore systems, ConnectedAccountStore accounts, ProviderAdapters adapters) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_CREDENTIAL_EVENTS)
                .on(AcsCredentialIssued.class, (tx, issued) -> {
                    UUID workspaceId = uuid("workspace_id", issued.getWorkspaceId());
                    AcsSystem system = system(tx, systems, workspaceId, issued.getAcsSystemId());
                    AcsCredentialGrant credential = new AcsCredentialGrant(uuid("acs_credential_id", issued.getAcsCredentialId()),
                            workspaceId, issued.getAccessMethod(), optionalUuid("acs_user_id", issued.getAcsUserId()),
                            optionalUuid("device_id", issued.getDeviceId()), optionalUuid("user_identity_id", issued.getUserIdentityId()));
                    adapter(tx, accounts, adapters, system).programCredential(tx, system, credential);
                })
                .on(AcsCredentialDeleted.class, (tx, deleted) -> {
                    UUID workspaceId = uuid("workspace_id", deleted.getWorkspaceId());
                    AcsSystem system = system(tx, systems, workspaceId, deleted.getAcsSystemId());
                    adapter(tx, accounts, adapters, system).removeCredential(tx, system, uuid("acs_credential_id", deleted.getAcsCredentialId()));
                })
                // An invalidated credential (its ACS user suspended) must not open doors: off the ACS until issued again.
                .on(AcsCredentialInvalidated.class, (tx, invalidated) -> {
                    UUID workspaceId = uuid("workspace_id", invalidated.getWorkspaceId());
                    AcsSystem system = system(tx, systems, workspaceId, invalidated.getAcsSystemId());
                    adapter(tx, accounts, adapters, system).removeCredential(tx, system,
                            uuid("acs_credential_id", invalidated.getAcsCredentialId()));
                });
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

    private static AcsSystem system(Connection tx, AcsSystemStore systems, UUID workspaceId, String acsSystemId) throws Exception {
        return systems.find(tx, workspaceId, uuid("acs_system_id", acsSystemId))
                .orElseThrow(() -> new InvalidEventException("no ACS system " + acsSystemId + " in workspace " + workspaceId));
    }

    private static ProviderAdapter adapter(Connection tx, ConnectedAccountStore accounts, ProviderAdapters adapters,
                                           AcsSystem system) throws Exception {
        ConnectedAccount account = accounts.find(tx, system.workspaceId(), system.connectedAccountId()).orElseThrow();
        return adapters.named(account.provider());
    }
}
