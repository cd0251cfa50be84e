package com.lockstep.credential.events.incoming;

import com.lockstep.credential.flows.CredentialLifecycle;
import com.lockstep.credential.store.PhoneRepository;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static com.lockstep.kit.events.inbox.EventFields.uuid;

/**
 * The new-phone and lost-phone flows, from phone-service's events. A registered phone gets a
 * child of each multi-phone-sync credential of its owner; a deactivated phone loses every
 * credential issued to it. Both are applied once per event (the kit's inbox) and are idempotent
 * on their own (a known phone is not registered again, a revoked credential is not revoked
 * again), so a replay of the phone topic changes nothing.
 * <p>
 * A deactivation of a phone never registered, or registered in another workspace, can never apply:
 * it goes to the dead-letter topic. Consecutive deactivations of a poll are revoked together, with
 * set-based statements: what keeps a backlog fast.
 */
@ApplicationScoped
public class PhonesConsumer {

    public static final String CONSUMER_GROUP = "credential-service.phone-credentials";
    static final String CHANNEL = "phone-credentials";

    private final Inbox inbox;
    private final EventSubscription subscription;

    PhonesConsumer(Inbox inbox, PhoneRepository phones, CredentialLifecycle lifecycle) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.PHONE_EVENTS)
                .on(PhoneRegistered.class, (tx, registered) -> {
                    UUID deviceId = uuid("device_id", registered.getDeviceId());
                    UUID workspaceId = uuid("workspace_id", registered.getWorkspaceId());
                    UUID owner = uuid("owner_user_identity_id", registered.getOwnerUserIdentityId());
                    if (phones.insertIfAbsent(tx, deviceId, workspaceId, owner, registered.getOccurredAt())) {
                        lifecycle.issueToNewPhone(tx, workspaceId, owner, deviceId, now());
                    }
                })
                .onBatch(PhoneDeactivated.class, (tx, deactivations) -> {
                    Map<UUID, PhoneRepository.PhoneRow> known = phones.findAll(tx, deactivations.stream()
                            .map(deactivated -> uuid("device_id", deactivated.getDeviceId())).toList());
                    List<PhoneRepository.PhoneRow> lost = new ArrayList<>();
                    for (PhoneDeactivated deactivated : deactivations) {
                        UUID deviceId = uuid("device_id", deactivated.getDeviceId());
                        UUID workspaceId = uuid("workspace_id", deactivated.getWorkspaceId());
                        PhoneRepository.PhoneRow phone = known.get(deviceId);
                        if (phone == null) {
                            throw new InvalidEventException("unknown phone " + deviceId + ": no phone.registered for it");
                        }
                        if (!phone.workspaceId().equals(workspaceId)) {
                            throw new InvalidEventException("phone " + deviceId + " is not in workspace " + workspaceId);
                        }
                        lost.add(phone);
                    }
                    lifecycle.revokeIssuedTo(tx, lost, now());
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

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
