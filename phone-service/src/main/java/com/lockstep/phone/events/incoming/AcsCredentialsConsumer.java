package com.lockstep.phone.events.incoming;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.phone.store.IssuedCredentialStore;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import static com.lockstep.kit.events.inbox.EventFields.uuid;
import static com.lockstep.kit.events.inbox.EventFields.uuids;

/**
 * Keeps which phone each credential was issued to, from the credential topic, so
 * {@code /phones/list?acs_credential_id=} can answer without asking credential-service.
 */
@ApplicationScoped
public class AcsCredentialsConsumer {

    /** Its own group: replaying it (resetting this group) rebuilds the projection and nothing else. */
    public static final String CONSUMER_GROUP = "phone-service.issued-credentials";

    @Produces
    @ApplicationScoped
    EventSubscription subscription(IssuedCredentialStore store) {
        return EventSubscription.of(CONSUMER_GROUP, Topics.ACS_CREDENTIAL_EVENTS)
                .on(AcsCredentialIssued.class, (tx, issued) -> {
                    if (issued.getDeviceId() != null) {
                        store.issued(tx, uuid("acs_credential_id", issued.getAcsCredentialId()),
                                uuid("workspace_id", issued.getWorkspaceId()), uuid("device_id", issued.getDeviceId()));
                    }
                })
                // A lost phone's credentials are deleted together: one statement for a poll's run of them.
                .onBatch(AcsCredentialDeleted.class, (tx, deletions) ->
                        store.deleted(tx, uuids("acs_credential_id", deletions, AcsCredentialDeleted::getAcsCredentialId)));
    }
}
