package com.lockstep.identity.events.incoming;

import com.lockstep.events.enrollment_automation.EnrollmentAutomationDeleted;
import com.lockstep.events.enrollment_automation.EnrollmentAutomationLaunched;
import com.lockstep.identity.store.EnrollmentAutomationRepository;
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

/** Each identity's enrollment automations: one that is left keeps the identity from deletion. */
@ApplicationScoped
public class EnrollmentAutomationsConsumer {

    public static final String CONSUMER_GROUP = "identity-service.enrollment-automations";
    static final String CHANNEL = "enrollment-automations";

    private final Inbox inbox;
    private final EventSubscription subscription;

    EnrollmentAutomationsConsumer(Inbox inbox, EnrollmentAutomationRepository automations) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ENROLLMENT_AUTOMATION_EVENTS)
                .on(EnrollmentAutomationLaunched.class, (tx, launched) -> automations.launched(
                        uuid("enrollment_automation_id", launched.getEnrollmentAutomationId()),
                        uuid("workspace_id", launched.getWorkspaceId()), uuid("user_identity_id", launched.getUserIdentityId())))
                .on(EnrollmentAutomationDeleted.class, (tx, deleted) -> automations.deleted(
                        uuid("enrollment_automation_id", deleted.getEnrollmentAutomationId())))
                .rebuiltBy(tx -> automations.clear());
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
