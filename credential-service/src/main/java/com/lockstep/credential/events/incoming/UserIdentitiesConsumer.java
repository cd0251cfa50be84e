package com.lockstep.credential.events.incoming;

import com.lockstep.credential.domain.AcsSystem;
import com.lockstep.credential.domain.AcsUser;
import com.lockstep.credential.flows.CredentialLifecycle;
import com.lockstep.credential.store.AcsSystemRepository;
import com.lockstep.credential.store.AcsUserRepository;
import com.lockstep.credential.store.UserIdentityRepository;
import com.lockstep.events.user_identity.UserIdentityAcsUserAdded;
import com.lockstep.events.user_identity.UserIdentityAcsUserRemoved;
import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.events.user_identity.UserIdentityUpdated;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.schemas.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static com.lockstep.kit.events.inbox.EventFields.uuid;

/**
 * What credential-service takes from identity-service's events, in two consumer groups: each
 * identity's contact (shown on its ACS users), and, with effects, the ACS users to create for a new
 * identity (its {@code acs_system_ids}) and which ACS user is linked to which identity, which its
 * credentials follow.
 */
@ApplicationScoped
public class UserIdentitiesConsumer {

    /** Creates the ACS users identities ask for, and follows links: effects, so a replay only re-reads it. */
    public static final String CONSUMER_GROUP = "credential-service.acs-user-links";

    /** Each identity's contact: a projection, which a replay rebuilds. */
    public static final String CONTACTS_CONSUMER_GROUP = "credential-service.user-identities";
    static final String CONTACTS_CHANNEL = "user-identity-contacts";
    static final String LINKS_CHANNEL = "acs-user-links";

    private final Inbox inbox;
    private final EventSubscription contacts;
    private final EventSubscription acsUsersAndLinks;

    UserIdentitiesConsumer(Inbox inbox, UserIdentityRepository identities, AcsSystemRepository systems,
                           AcsUserRepository acsUsers, CredentialLifecycle lifecycle) {
        this.inbox = inbox;
        this.contacts = EventSubscription.of(CONTACTS_CONSUMER_GROUP, Topics.USER_IDENTITY_EVENTS)
                .on(UserIdentityCreated.class, (tx, created) -> identities.changed(
                        uuid("user_identity_id", created.getUserIdentityId()), uuid("workspace_id", created.getWorkspaceId()),
                        new AcsUser.IdentityContact(created.getEmailAddress(), created.getPhoneNumber(), created.getFullName()), false))
                .on(UserIdentityUpdated.class, (tx, updated) -> identities.changed(
                        uuid("user_identity_id", updated.getUserIdentityId()), uuid("workspace_id", updated.getWorkspaceId()),
                        new AcsUser.IdentityContact(updated.getEmailAddress(), updated.getPhoneNumber(), updated.getFullName()),
                        updated.getDeletionPending()))
                .on(UserIdentityDeleted.class, (tx, deleted) ->
                        identities.markDeleted(uuid("user_identity_id", deleted.getUserIdentityId()), deleted.getOccurredAt()))
                .rebuiltBy(tx -> identities.clear());
        this.acsUsersAndLinks = EventSubscription.of(CONSUMER_GROUP, Topics.USER_IDENTITY_EVENTS)
                .on(UserIdentityCreated.class, (tx, created) -> {
                    UUID identityId = uuid("user_identity_id", created.getUserIdentityId());
                    UUID workspaceId = uuid("workspace_id", created.getWorkspaceId());
                    AcsUser.IdentityContact contact = new AcsUser.IdentityContact(created.getEmailAddress(),
                            created.getPhoneNumber(), created.getFullName());
                    for (String acsSystemId : created.getAcsSystemIds()) {
                        UUID systemId = uuid("acs_system_ids", acsSystemId);
                        // identity-service checked the system exists; until its acs_system.added
                        // reaches this service the event is retried.
                        AcsSystem system = systems.find(workspaceId, systemId).orElseThrow(() ->
                                new IllegalStateException("ACS system " + systemId + " not known yet; retrying"));
                        lifecycle.acsUserOfIdentity(tx, system, identityId, contact, now());
                    }
                })
                .on(UserIdentityAcsUserAdded.class, (tx, added) -> {
                    UUID acsUserId = uuid("acs_user_id", added.getAcsUserId());
                    UUID workspaceId = uuid("workspace_id", added.getWorkspaceId());
                    // An ACS user deleted since has nothing left to link.
                    var acsUser = acsUsers.lock(workspaceId, acsUserId);
                    if (acsUser.isPresent()) {
                        lifecycle.link(tx, acsUser.get(), uuid("user_identity_id", added.getUserIdentityId()), now());
                    }
                })
                .on(UserIdentityAcsUserRemoved.class, (tx, removed) -> {
                    UUID acsUserId = uuid("acs_user_id", removed.getAcsUserId());
                    UUID workspaceId = uuid("workspace_id", removed.getWorkspaceId());
                    var acsUser = acsUsers.lock(workspaceId, acsUserId);
                    if (acsUser.isPresent()) {
                        lifecycle.unlink(tx, acsUser.get(), uuid("user_identity_id", removed.getUserIdentityId()), now());
                    }
                });
    }

    @Incoming(CONTACTS_CHANNEL)
    @Blocking(Inbox.WORKERS)
    CompletionStage<Void> consumeContacts(KafkaRecordBatch<byte[], byte[]> batch) {
        return inbox.apply(contacts, batch);
    }

    @Produces
    @Identifier(CONTACTS_CHANNEL)
    Map<String, Object> contactsChannel() {
        return contacts.channelConfiguration();
    }

    @Produces
    EventSubscription contacts() {
        return contacts;
    }

    @Incoming(LINKS_CHANNEL)
    @Blocking(Inbox.WORKERS)
    CompletionStage<Void> consumeAcsUsersAndLinks(KafkaRecordBatch<byte[], byte[]> batch) {
        return inbox.apply(acsUsersAndLinks, batch);
    }

    @Produces
    @Identifier(LINKS_CHANNEL)
    Map<String, Object> acsUsersAndLinksChannel() {
        return acsUsersAndLinks.channelConfiguration();
    }

    @Produces
    EventSubscription acsUsersAndLinks() {
        return acsUsersAndLinks;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
