package com.lockstep.identity.events.incoming;

import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.acs_user.AcsUserDeleted;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.identity.domain.AcsUser;
import com.lockstep.identity.domain.AcsUserLink;
import com.lockstep.identity.events.outgoing.UserIdentityEvents;
import com.lockstep.identity.store.AcsUserLinkRepository;
import com.lockstep.identity.store.AcsUserRepository;
import com.lockstep.identity.store.UserIdentityRepository;
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
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static com.lockstep.kit.events.inbox.EventFields.optionalUuid;
import static com.lockstep.kit.events.inbox.EventFields.uuid;

/**
 * ACS users from credential-service's events: what list_acs_users shows and add_acs_user may
 * link. An ACS user created for an identity is linked to it, in place of any other ACS user the
 * identity has on that system (once: a link removed later stays removed when the event is
 * replayed); acs_user.updated sets its fields as they are after a change
 * (name, contact, suspension, access schedule), and links nothing: the links are this service's own;
 * a deleted ACS user is unlinked.
 */
@ApplicationScoped
public class AcsUsersConsumer {

    public static final String CONSUMER_GROUP = "identity-service.acs-users";
    static final String CHANNEL = "acs-users";

    private final Inbox inbox;
    private final EventSubscription subscription;

    AcsUsersConsumer(Inbox inbox, AcsUserRepository acsUsers, AcsUserLinkRepository links,
                     UserIdentityRepository identities, UserIdentityEvents identityEvents) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_USER_EVENTS)
                .on(AcsUserCreated.class, (tx, created) -> {
                    AcsUser user = new AcsUser(uuid("acs_user_id", created.getAcsUserId()),
                            uuid("workspace_id", created.getWorkspaceId()), uuid("acs_system_id", created.getAcsSystemId()),
                            uuid("connected_account_id", created.getConnectedAccountId()),
                            optionalUuid("user_identity_id", created.getUserIdentityId()), created.getDisplayName(),
                            created.getFullName(), created.getEmailAddress(), created.getPhoneNumber(), false, null, null,
                            created.getOccurredAt());
                    acsUsers.created(user);
                    if (user.userIdentityId() != null) {
                        linkToItsIdentity(tx, user, links, identities, identityEvents);
                    }
                })
                .on(AcsUserUpdated.class, (tx, updated) -> {
                    UUID acsUserId = uuid("acs_user_id", updated.getAcsUserId());
                    // Its acs_user.created comes first on the topic: without it there is nothing to update.
                    AcsUser user = acsUsers.find(uuid("workspace_id", updated.getWorkspaceId()), acsUserId)
                            .orElseThrow(() -> new InvalidEventException("acs_user.updated of ACS user " + acsUserId
                                    + ", which this projection does not know (no acs_user.created applied)"));
                    user.update(optionalUuid("user_identity_id", updated.getUserIdentityId()), updated.getDisplayName(),
                            updated.getFullName(), updated.getEmailAddress(), updated.getPhoneNumber(), updated.getIsSuspended(),
                            updated.getAccessScheduleStartsAt(), updated.getAccessScheduleEndsAt());
                })
                .on(AcsUserDeleted.class, (tx, deleted) -> {
                    UUID acsUserId = uuid("acs_user_id", deleted.getAcsUserId());
                    UUID workspaceId = uuid("workspace_id", deleted.getWorkspaceId());
                    acsUsers.deleted(acsUserId);
                    unlinkFromItsIdentity(tx, workspaceId, acsUserId, deleted.getOccurredAt(), links, identities, identityEvents);
                })
                .rebuiltBy(tx -> acsUsers.clear());
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

    private static void linkToItsIdentity(Connection tx, AcsUser user, AcsUserLinkRepository links,
                                          UserIdentityRepository identities, UserIdentityEvents identityEvents) throws SQLException {
        // An identity that does not exist (any more) gets no link; finding it takes its row lock.
        if (identities.lock(user.workspaceId(), user.userIdentityId(), null).isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        if (links.find(user.workspaceId(), user.acsUserId()).isPresent()) {
            return;
        }
        // credential-service created this ACS user for the identity because, as far as it knew, the
        // identity had none on the system. A link here to another one is to an ACS user deleted there,
        // whose acs_user.deleted (keyed by its own id) sits on a partition not applied yet, or to one
        // linked by a request that lost the race. The client was answered with the new one: it wins.
        Optional<AcsUserLink> previous = links.activeOn(user.userIdentityId(), user.acsSystemId());
        if (previous.isPresent() && links.unlink(user.userIdentityId(), previous.get().acsUserId(), now)) {
            identityEvents.acsUserRemoved(tx, user.workspaceId(), user.userIdentityId(), previous.get().acsUserId(),
                    user.acsSystemId(), now);
        }
        if (links.linkIfNeverLinked(user.workspaceId(), user.userIdentityId(), user.acsUserId(), user.acsSystemId(), now)) {
            identityEvents.acsUserAdded(tx, user.workspaceId(), user.userIdentityId(), user.acsUserId(), user.acsSystemId(), now);
        }
    }

    private static void unlinkFromItsIdentity(Connection tx, UUID workspaceId, UUID acsUserId, Instant at,
                                              AcsUserLinkRepository links, UserIdentityRepository identities,
                                              UserIdentityEvents identityEvents) throws SQLException {
        var link = links.find(workspaceId, acsUserId).filter(AcsUserLink::active);
        if (link.isEmpty()) {
            return;
        }
        // Takes the identity's row lock, so its events stay in order.
        identities.lock(workspaceId, link.get().userIdentityId(), null);
        if (links.unlink(link.get().userIdentityId(), acsUserId, at)) {
            identityEvents.acsUserRemoved(tx, workspaceId, link.get().userIdentityId(), acsUserId, link.get().acsSystemId(), at);
        }
    }
}
