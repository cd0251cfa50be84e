package com.lockstep.credential.flows;

import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.credential.domain.AcsSystem;
import com.lockstep.credential.domain.AcsUser;
import com.lockstep.credential.events.outgoing.AcsCredentialEvents;
import com.lockstep.credential.events.outgoing.AcsUserEvents;
import com.lockstep.credential.store.AcsCredentialRepository;
import com.lockstep.credential.store.AcsUserRepository;
import com.lockstep.credential.store.PhoneRepository;
import com.lockstep.kit.events.inbox.InvalidEventException;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every change of a credential's life, with the events it publishes, in the caller's transaction:
 * issuing (a multi-phone-sync credential reaches each active phone of its user identity as a
 * child), revoking, and following phones, ACS users and their links; and creating the ACS users
 * credentials belong to. A suspended ACS user's credentials are invalidated, and new ones are held
 * back (not issued) until it is unsuspended.
 * <p>
 * Whatever reads an identity's phones or its multi-phone-sync credentials to issue or revoke
 * children first takes the identity's transaction-scoped advisory lock, before any row lock, so
 * a credential created while a phone is registered or lost can neither miss it nor outlive it.
 */
@ApplicationScoped
public class CredentialLifecycle {

    private final AcsCredentialRepository credentials;
    private final AcsUserRepository acsUsers;
    private final PhoneRepository phones;
    private final AcsCredentialEvents credentialEvents;
    private final AcsUserEvents acsUserEvents;

    public CredentialLifecycle(AcsCredentialRepository credentials, AcsUserRepository acsUsers, PhoneRepository phones,
                               AcsCredentialEvents credentialEvents, AcsUserEvents acsUserEvents) {
        this.credentials = credentials;
        this.acsUsers = acsUsers;
        this.phones = phones;
        this.credentialEvents = credentialEvents;
        this.acsUserEvents = acsUserEvents;
    }

    /**
     * Issues a new credential (held back if its ACS user is suspended); a multi-phone-sync one also
     * to each active phone of its identity. Returns the credential as stored.
     */
    public AcsCredential issue(Connection tx, AcsCredential credential) throws SQLException {
        if (credential.userIdentityId() != null) {
            lockIdentity(tx, credential.userIdentityId());
        }
        if (heldBack(credential)) {
            credential.holdBack();
        }
        credentials.persist(credential);
        List<AcsCredential> issued = new ArrayList<>(List.of(credential));
        if (credential.multiPhoneSync() && credential.userIdentityId() != null) {
            issued.addAll(insertChildren(tx, List.of(credential),
                    phones.activeOf(credential.workspaceId(), credential.userIdentityId()), credential.createdAt()));
        }
        publishIssued(tx, issued, credential.createdAt());
        return credential;
    }

    /** phone.registered: the identity's multi-phone-sync credentials reach the new phone. */
    public void issueToNewPhone(Connection tx, UUID workspaceId, UUID owner, UUID deviceId, Instant now) throws SQLException {
        lockIdentity(tx, owner);
        publishIssued(tx, insertChildren(tx, credentials.lockMultiPhoneSyncOf(workspaceId, owner), List.of(deviceId), now), now);
    }

    /**
     * phone.deactivated, for several phones at once: every credential issued to them is revoked;
     * parents and other phones keep theirs. Their owners' locks are taken in one order, so two
     * batches cannot deadlock on them.
     */
    public void revokeIssuedTo(Connection tx, List<PhoneRepository.PhoneRow> lost, Instant at) throws SQLException {
        lockIdentities(tx, lost.stream().map(PhoneRepository.PhoneRow::ownerUserIdentityId).toList());
        List<UUID> deviceIds = lost.stream().map(PhoneRepository.PhoneRow::deviceId).toList();
        phones.markDeactivated(tx, deviceIds, at);
        credentialEvents.deleted(tx, credentials.deleteIssuedTo(tx, deviceIds, at), at);
    }

    /**
     * Deletes a credential; a multi-phone-sync one takes its children with it. Returns what was
     * deleted: nothing if another transaction deleted it first.
     */
    public List<AcsCredential> delete(Connection tx, AcsCredential credential, Instant at) throws SQLException {
        if (credential.userIdentityId() != null) {
            lockIdentity(tx, credential.userIdentityId());
        }
        List<AcsCredential> deleted = credentials.deleteWithChildren(tx, credential.acsCredentialId(), at);
        credentialEvents.deleted(tx, deleted, at);
        return deleted;
    }

    /** A changed code or end reaches the ACS: the credential and its children are issued again. */
    public void reissue(Connection tx, UUID acsCredentialId, Instant at) throws SQLException {
        publishIssued(tx, credentials.liveWithChildren(acsCredentialId), at);
    }

    /**
     * Creates an ACS user and publishes acs_user.created (and acs_user.updated if it has an access
     * schedule); identity-service links one created for a user identity when it reads it. False,
     * creating nothing, if that identity already has an ACS user on the system.
     */
    public boolean createAcsUser(Connection tx, AcsUser user) throws SQLException {
        if (user.userIdentityId() != null) {
            // One ACS user per identity and system: concurrent creations for the identity wait here.
            lockIdentity(tx, user.userIdentityId());
            if (acsUsers.findOfIdentity(user.workspaceId(), user.userIdentityId(), user.acsSystemId(), false).isPresent()) {
                return false;
            }
        }
        insertAcsUser(tx, user);
        return true;
    }

    /**
     * The ACS user of a user identity on an ACS system, locked; as Seam does, if the identity has
     * none there, one named after it is created and published as {@link #createAcsUser} does.
     */
    public AcsUser acsUserOfIdentity(Connection tx, AcsSystem system, UUID userIdentityId, AcsUser.IdentityContact contact,
                                     Instant at) throws SQLException {
        lockIdentity(tx, userIdentityId);
        Optional<AcsUser> existing = acsUsers.findOfIdentity(system.workspaceId(), userIdentityId, system.acsSystemId(), true);
        if (existing.isPresent()) {
            return existing.get();
        }
        AcsUser created = AcsUser.forIdentity(system, userIdentityId, contact, at);
        insertAcsUser(tx, created);
        return created;
    }

    /**
     * Deletes an ACS user ({@code user} read unlocked in this transaction) and every credential it
     * holds; false if another transaction deleted it first.
     */
    public boolean deleteAcsUser(Connection tx, AcsUser user, Instant at) throws SQLException {
        if (user.userIdentityId() != null) {
            lockIdentity(tx, user.userIdentityId());
        }
        if (!acsUsers.relock(user)) {
            return false;
        }
        List<AcsCredential> deleted = new ArrayList<>();
        for (AcsCredential credential : credentials.lockOfAcsUser(user.acsUserId())) {
            if (credential.parentAcsCredentialId() == null) {
                deleted.addAll(credentials.deleteWithChildren(tx, credential.acsCredentialId(), at));
            }
        }
        credentialEvents.deleted(tx, deleted, at);
        user.markDeleted(at);
        acsUserEvents.deleted(tx, user, at);
        return true;
    }

    /**
     * Sets an ACS user's name, email address, phone number and access schedule ({@code user}
     * locked) and publishes acs_user.updated; nothing if nothing changed.
     */
    public void updateAcsUser(Connection tx, AcsUser user, String fullName, String emailAddress, String phoneNumber,
                              Instant accessScheduleStartsAt, Instant accessScheduleEndsAt, Instant at) throws SQLException {
        if (user.change(fullName, emailAddress, phoneNumber, accessScheduleStartsAt, accessScheduleEndsAt)) {
            acsUserEvents.updated(tx, user, at);
        }
    }

    /**
     * Suspending an ACS user invalidates its credentials; unsuspending issues them (again). Either
     * publishes acs_user.updated with its new is_suspended; nothing if it already was.
     */
    public void setSuspended(Connection tx, AcsUser user, boolean suspended, Instant at) throws SQLException {
        if (user.suspended() == suspended) {
            return;
        }
        user.markSuspended(suspended);
        acsUserEvents.updated(tx, user, at);
        List<AcsCredential> held = credentials.lockOfAcsUser(user.acsUserId());
        if (suspended) {
            credentialEvents.invalidated(tx, held.stream().filter(c -> c.issuedAt() != null).toList(), at);
        } else {
            held.forEach(c -> c.issue(at));
            credentialEvents.issued(tx, held, at);
        }
    }

    /**
     * identity-service linked an ACS user to a user identity: its credentials follow, and its
     * multi-phone-sync credentials reach the identity's active phones. If the ACS user was not linked
     * to that identity here yet (one created for it already was), acs_user.updated publishes its new
     * user_identity_id. {@code acsUser} is locked.
     */
    public void link(Connection tx, AcsUser acsUser, UUID userIdentityId, Instant now) throws SQLException {
        UUID workspaceId = acsUser.workspaceId();
        UUID acsUserId = acsUser.acsUserId();
        lockIdentity(tx, userIdentityId);
        var existing = acsUsers.findOfIdentity(workspaceId, userIdentityId, acsUser.acsSystemId(), false);
        if (existing.isPresent() && !existing.get().acsUserId().equals(acsUserId)) {
            throw new InvalidEventException("user identity " + userIdentityId + " already has ACS user "
                    + existing.get().acsUserId() + " in ACS system " + acsUser.acsSystemId());
        }
        boolean linkedHere = userIdentityId.equals(acsUser.userIdentityId());
        acsUser.linkTo(userIdentityId);
        // Written at once, as the statement was: another ACS user of the identity on the system fails here.
        acsUsers.flush();
        if (!linkedHere) {
            acsUserEvents.updated(tx, acsUser, now);
        }
        credentials.followIdentityOfAcsUser(acsUserId, userIdentityId);
        List<AcsCredential> parents = credentials.lockMultiPhoneSyncOf(workspaceId, userIdentityId).stream()
                .filter(c -> acsUserId.equals(c.acsUserId())).toList();
        publishIssued(tx, insertChildren(tx, parents, phones.activeOf(workspaceId, userIdentityId), now), now);
    }

    /**
     * The link was removed: the children its credentials had on the identity's phones are revoked,
     * and acs_user.updated publishes that the ACS user has no user identity any more (if it had
     * one here). {@code acsUser} is locked.
     */
    public void unlink(Connection tx, AcsUser acsUser, UUID userIdentityId, Instant at) throws SQLException {
        UUID workspaceId = acsUser.workspaceId();
        UUID acsUserId = acsUser.acsUserId();
        lockIdentity(tx, userIdentityId);
        List<UUID> parents = credentials.lockMultiPhoneSyncOf(workspaceId, userIdentityId).stream()
                .filter(c -> acsUserId.equals(c.acsUserId())).map(AcsCredential::acsCredentialId).toList();
        List<AcsCredential> revoked = credentials.deleteChildrenOn(tx, parents, phones.activeOf(workspaceId, userIdentityId), at);
        credentialEvents.deleted(tx, revoked, at);
        boolean wasLinked = acsUser.userIdentityId() != null;
        acsUser.linkTo(null);
        if (wasLinked) {
            acsUserEvents.updated(tx, acsUser, at);
        }
        credentials.followIdentityOfAcsUser(acsUserId, null);
    }

    /**
     * acs_user.created carries no access schedule (nor is_suspended, always false here): a user
     * created with a schedule is also published as acs_user.updated, right after, so that consumers
     * know its full state.
     */
    private void insertAcsUser(Connection tx, AcsUser user) throws SQLException {
        acsUsers.insert(user);
        acsUserEvents.created(tx, user);
        if (user.accessScheduleStartsAt() != null || user.accessScheduleEndsAt() != null || user.suspended()) {
            acsUserEvents.updated(tx, user, user.createdAt());
        }
    }

    /** Inserts a child of each parent on each phone that has no live one yet; returns those inserted. */
    private List<AcsCredential> insertChildren(Connection tx, List<AcsCredential> parents, List<UUID> phoneIds, Instant now)
            throws SQLException {
        List<AcsCredential> children = new ArrayList<>();
        for (AcsCredential parent : parents) {
            Instant issuedAt = heldBack(parent) ? null : now;
            for (UUID phone : phoneIds) {
                AcsCredential child = parent.childFor(phone, now, issuedAt);
                if (credentials.insertChild(tx, child)) {
                    children.add(child);
                }
            }
        }
        return children;
    }

    /** A credential of a suspended ACS user is not issued until the user is unsuspended. */
    private boolean heldBack(AcsCredential credential) {
        return credential.acsUserId() != null && acsUsers.isSuspended(credential.acsUserId());
    }

    /** The ones issued, at {@code at}; those held back are not. */
    private void publishIssued(Connection tx, List<AcsCredential> credentials, Instant at) throws SQLException {
        credentialEvents.issued(tx, credentials.stream().filter(c -> c.issuedAt() != null).toList(), at);
    }

    private static void lockIdentity(Connection tx, UUID userIdentityId) throws SQLException {
        lockIdentities(tx, List.of(userIdentityId));
    }

    /** One statement for all the locks, taken in key order. */
    private static void lockIdentities(Connection tx, List<UUID> userIdentityIds) throws SQLException {
        Long[] keys = userIdentityIds.stream().map(id -> id.getMostSignificantBits() ^ id.getLeastSignificantBits())
                .distinct().sorted().toArray(Long[]::new);
        try (PreparedStatement lock = tx.prepareStatement(
                "SELECT pg_advisory_xact_lock(key) FROM unnest(?::bigint[]) WITH ORDINALITY AS k(key, n) ORDER BY n")) {
            lock.setArray(1, tx.createArrayOf("bigint", keys));
            lock.execute();
        }
    }
}
