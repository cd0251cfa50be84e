package com.lockstep.identity.events.outgoing;

import com.lockstep.events.user_identity.UserIdentityAcsUserAdded;
import com.lockstep.events.user_identity.UserIdentityAcsUserRemoved;
import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.events.user_identity.UserIdentityDeviceAccessGranted;
import com.lockstep.events.user_identity.UserIdentityDeviceAccessRevoked;
import com.lockstep.events.user_identity.UserIdentityUpdated;
import com.lockstep.identity.domain.UserIdentity;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes user identity events (Lockstep's own: Seam has none) to the outbox, keyed by the
 * identity's id. Callers hold the identity's row lock, so one identity's events stay in order.
 */
@ApplicationScoped
public class UserIdentityEvents {

    public static final String CREATED = "user_identity.created";
    public static final String UPDATED = "user_identity.updated";
    public static final String DELETED = "user_identity.deleted";
    public static final String ACS_USER_ADDED = "user_identity.acs_user_added";
    public static final String ACS_USER_REMOVED = "user_identity.acs_user_removed";
    public static final String DEVICE_ACCESS_GRANTED = "user_identity.device_access_granted";
    public static final String DEVICE_ACCESS_REVOKED = "user_identity.device_access_revoked";

    private final Outbox outbox;

    public UserIdentityEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** {@code acsSystemIds}: the systems where an ACS user must still be created for the identity. */
    public void created(Connection tx, UserIdentity identity, List<UUID> acsSystemIds) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, identity.userIdentityId(), eventId, CREATED, UserIdentityCreated.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(CREATED)
                .setWorkspaceId(identity.workspaceId().toString())
                .setOccurredAt(identity.createdAt())
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identity.userIdentityId().toString())
                .setUserIdentityKey(identity.userIdentityKey())
                .setEmailAddress(identity.emailAddress())
                .setPhoneNumber(identity.phoneNumber())
                .setFullName(identity.fullName())
                .setAcsSystemIds(acsSystemIds.stream().map(UUID::toString).toList())
                .build());
    }

    public void updated(Connection tx, UserIdentity identity, Instant at) throws SQLException {
        updated(tx, identity, false, at);
    }

    /** {@code deletionPending}: a deletion was requested (true) or refused (false); see {@link UserIdentityUpdated}. */
    public void updated(Connection tx, UserIdentity identity, boolean deletionPending, Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, identity.userIdentityId(), eventId, UPDATED, UserIdentityUpdated.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(UPDATED)
                .setWorkspaceId(identity.workspaceId().toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identity.userIdentityId().toString())
                .setUserIdentityKey(identity.userIdentityKey())
                .setEmailAddress(identity.emailAddress())
                .setPhoneNumber(identity.phoneNumber())
                .setFullName(identity.fullName())
                .setDeletionPending(deletionPending)
                .build());
    }

    public void deleted(Connection tx, UserIdentity identity, Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, identity.userIdentityId(), eventId, DELETED, UserIdentityDeleted.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(DELETED)
                .setWorkspaceId(identity.workspaceId().toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identity.userIdentityId().toString())
                .build());
    }

    public void acsUserAdded(Connection tx, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId,
                                    Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, userIdentityId, eventId, ACS_USER_ADDED, UserIdentityAcsUserAdded.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(ACS_USER_ADDED)
                .setWorkspaceId(workspaceId.toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setUserIdentityId(userIdentityId.toString())
                .setAcsUserId(acsUserId.toString())
                .setAcsSystemId(acsSystemId.toString())
                .build());
    }

    public void acsUserRemoved(Connection tx, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId,
                                      Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, userIdentityId, eventId, ACS_USER_REMOVED, UserIdentityAcsUserRemoved.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(ACS_USER_REMOVED)
                .setWorkspaceId(workspaceId.toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setUserIdentityId(userIdentityId.toString())
                .setAcsUserId(acsUserId.toString())
                .setAcsSystemId(acsSystemId.toString())
                .build());
    }

    public void deviceAccessGranted(Connection tx, UserIdentity identity, UUID deviceId, Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, identity.userIdentityId(), eventId, DEVICE_ACCESS_GRANTED, UserIdentityDeviceAccessGranted.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(DEVICE_ACCESS_GRANTED)
                .setWorkspaceId(identity.workspaceId().toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identity.userIdentityId().toString())
                .setDeviceId(deviceId.toString())
                .build());
    }

    public void deviceAccessRevoked(Connection tx, UserIdentity identity, UUID deviceId, Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        append(tx, identity.userIdentityId(), eventId, DEVICE_ACCESS_REVOKED, UserIdentityDeviceAccessRevoked.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(DEVICE_ACCESS_REVOKED)
                .setWorkspaceId(identity.workspaceId().toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identity.userIdentityId().toString())
                .setDeviceId(deviceId.toString())
                .build());
    }

    private void append(Connection tx, UUID userIdentityId, UUID eventId, String eventType, SpecificRecord event)
            throws SQLException {
        outbox.append(tx, Topics.USER_IDENTITY_EVENTS, userIdentityId.toString(), eventId, eventType, event);
    }
}
