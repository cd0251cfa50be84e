package com.lockstep.phone.events.incoming;

import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.phone.store.UserIdentityStore;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

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

    @Produces
    @ApplicationScoped
    EventSubscription subscription(UserIdentityStore identities) {
        return EventSubscription.of(CONSUMER_GROUP, Topics.USER_IDENTITY_EVENTS)
                .on(UserIdentityCreated.class, (tx, created) -> identities.created(tx,
                        uuid("user_identity_id", created.getUserIdentityId()), uuid("workspace_id", created.getWorkspaceId())))
                .on(UserIdentityDeleted.class, (tx, deleted) ->
                        identities.markDeleted(tx, uuid("user_identity_id", deleted.getUserIdentityId()), deleted.getOccurredAt()))
                .rebuiltBy(identities::clear);
    }
}
