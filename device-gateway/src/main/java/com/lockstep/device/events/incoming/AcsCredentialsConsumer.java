package com.lockstep.device.events.incoming;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.provider.AcsCredentialGrant;
import com.lockstep.device.provider.ProviderAdapter;
import com.lockstep.device.provider.ProviderAdapters;
import com.lockstep.device.store.AcsSystemRepository;
import com.lockstep.device.store.ConnectedAccountRepository;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialInvalidated;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.InvalidEventException;
import com.lockstep.schemas.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
    private final Database database;
    private final AcsSystemRepository systems;
    private final ConnectedAccountRepository accounts;

    AcsCredentialsConsumer(Inbox inbox, Database database, AcsSystemRepository systems, ConnectedAccountRepository accounts,
                           ProviderAdapters adapters) {
        this.inbox = inbox;
        this.database = database;
        this.systems = systems;
        this.accounts = accounts;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_CREDENTIAL_EVENTS)
                .on(AcsCredentialIssued.class, (tx, issued) -> {
                    UUID workspaceId = uuid("workspace_id", issued.getWorkspaceId());
                    AcsSystem system = system(systems, workspaceId, issued.getAcsSystemId());
                    AcsCredentialGrant credential = new AcsCredentialGrant(uuid("acs_credential_id", issued.getAcsCredentialId()),
                            workspaceId, issued.getAccessMethod(), optionalUuid("acs_user_id", issued.getAcsUserId()),
                            optionalUuid("device_id", issued.getDeviceId()), optionalUuid("user_identity_id", issued.getUserIdentityId()));
                    adapter(accounts, adapters, system).programCredential(tx, system, credential);
                })
                .on(AcsCredentialDeleted.class, (tx, deleted) -> {
                    UUID workspaceId = uuid("workspace_id", deleted.getWorkspaceId());
                    AcsSystem system = system(systems, workspaceId, deleted.getAcsSystemId());
                    adapter(accounts, adapters, system).removeCredential(tx, system, uuid("acs_credential_id", deleted.getAcsCredentialId()));
                })
                // An invalidated credential (its ACS user suspended) must not open doors: off the ACS until issued again.
                .on(AcsCredentialInvalidated.class, (tx, invalidated) -> {
                    UUID workspaceId = uuid("workspace_id", invalidated.getWorkspaceId());
                    AcsSystem system = system(systems, workspaceId, invalidated.getAcsSystemId());
                    adapter(accounts, adapters, system).removeCredential(tx, system,
                            uuid("acs_credential_id", invalidated.getAcsCredentialId()));
                });
    }

    /**
     * Runs this consumer's queries once, on ids that match nothing, before the service is ready:
     * nothing else in device-gateway uses Hibernate before the first credential arrives (its device
     * reads come from memory), and that credential paid for Hibernate's first queries in this JVM.
     */
    void warmUp(@Observes StartupEvent start) throws Exception {
        UUID nothing = UUID.randomUUID();
        database.read(() -> {
            systems.find(nothing, nothing);
            accounts.find(nothing, nothing);
            return null;
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

    private static AcsSystem system(AcsSystemRepository systems, UUID workspaceId, String acsSystemId) {
        return systems.find(workspaceId, uuid("acs_system_id", acsSystemId))
                .orElseThrow(() -> new InvalidEventException("no ACS system " + acsSystemId + " in workspace " + workspaceId));
    }

    private static ProviderAdapter adapter(ConnectedAccountRepository accounts, ProviderAdapters adapters, AcsSystem system) {
        ConnectedAccount account = accounts.find(system.workspaceId(), system.connectedAccountId()).orElseThrow();
        return adapters.named(account.provider());
    }
}
