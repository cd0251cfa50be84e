package com.lockstep.identity.events.incoming;

import com.lockstep.events.enrollment_automation.EnrollmentAutomationDeleted;
import com.lockstep.events.enrollment_automation.EnrollmentAutomationLaunched;
import com.lockstep.identity.store.DependentsStore;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.schemas.Topics;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

import static com.lockstep.kit.events.inbox.EventFields.uuid;

/** Each identity's enrollment automations: one that is left keeps the identity from deletion. */
@Singleton
public class EnrollmentAutomationsConsumer extends EventProjection {

    public static final String CONSUMER_GROUP = "identity-service.enrollment-automations";

    private final DependentsStore store;

    public EnrollmentAutomationsConsumer(DependentsStore store) {
        super(EventSubscription.of(CONSUMER_GROUP, Topics.ENROLLMENT_AUTOMATION_EVENTS)
                .on(EnrollmentAutomationLaunched.class, (tx, launched) -> store.enrollmentAutomationLaunched(tx,
                        uuid("enrollment_automation_id", launched.getEnrollmentAutomationId()),
                        uuid("workspace_id", launched.getWorkspaceId()), uuid("user_identity_id", launched.getUserIdentityId())))
                .on(EnrollmentAutomationDeleted.class, (tx, deleted) -> store.enrollmentAutomationDeleted(tx,
                        uuid("enrollment_automation_id", deleted.getEnrollmentAutomationId()))));
        this.store = store;
    }

    @Override
    public void clear(Connection tx) throws SQLException {
        store.clearEnrollmentAutomations(tx);
    }
}
