package com.lockstep.identity.events.outgoing;

import com.lockstep.events.user_identity.UserIdentityAcsUserAdded;
import com.lockstep.events.user_identity.UserIdentityAcsUserRemoved;
import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.events.user_identity.UserIdentityDeviceAccessGranted;
import com.lockstep.events.user_identity.UserIdentityDeviceAccessRevoked;
import com.lockstep.events.user_identity.UserIdentityUpdated;
import com.lockstep.identity.domain.UserIdentity;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecordBase;

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
        append(tx, identity.userIdentityId(), UserIdentityCreated.newBuilder(
                        EventEnvelope.on(new UserIdentityCreated(), CREATED, identity.workspaceId(), identity.createdAt()))
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
        append(tx, identity.userIdentityId(), UserIdentityUpdated.newBuilder(
                        EventEnvelope.on(new UserIdentityUpdated(), UPDATED, identity.workspaceId(), at))
                .setUserIdentityId(identity.userIdentityId().toString())
                .setUserIdentityKey(identity.userIdentityKey())
                .setEmailAddress(identity.emailAddress())
                .setPhoneNumber(identity.phoneNumber())
                .setFullName(identity.fullName())
                .setDeletionPending(deletionPending)
                .build());
    }

    public void deleted(Connection tx, UserIdentity identity, Instant at) throws SQLException {
        append(tx, identity.userIdentityId(), UserIdentityDeleted.newBuilder(
                        EventEnvelope.on(new UserIdentityDeleted(), DELETED, identity.workspaceId(), at))
                .setUserIdentityId(identity.userIdentityId().toString())
                .build());
    }

    public void acsUserAdded(Connection tx, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId,
                                    Instant at) throws SQLException {
        append(tx, userIdentityId, UserIdentityAcsUserAdded.newBuilder(
                        EventEnvelope.on(new UserIdentityAcsUserAdded(), ACS_USER_ADDED, workspaceId, at))
                .setUserIdentityId(userIdentityId.toString())
                .setAcsUserId(acsUserId.toString())
                .setAcsSystemId(acsSystemId.toString())
                .build());
    }

    public void acsUserRemoved(Connection tx, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId,
                                      Instant at) throws SQLException {
        append(tx, userIdentityId, UserIdentityAcsUserRemoved.newBuilder(
                        EventEnvelope.on(new UserIdentityAcsUserRemoved(), ACS_USER_REMOVED, workspaceId, at))
                .setUserIdentityId(userIdentityId.toString())
                .setAcsUserId(acsUserId.toString())
                .setAcsSystemId(acsSystemId.toString())
                .build());
    }

    public void deviceAccessGranted(Connection tx, UserIdentity identity, UUID deviceId, Instant at) throws SQLException {
        append(tx, identity.userIdentityId(), UserIdentityDeviceAccessGranted.newBuilder(
                        EventEnvelope.on(new UserIdentityDeviceAccessGranted(), DEVICE_ACCESS_GRANTED, identity.workspaceId(), at))
                .setUserIdentityId(identity.userIdentityId().toString())
                .setDeviceId(deviceId.toString())
                .build());
    }

    public void deviceAccessRevoked(Connection tx, UserIdentity identity, UUID deviceId, Instant at) throws SQLException {
        append(tx, identity.userIdentityId(), UserIdentityDeviceAccessRevoked.newBuilder(
                        EventEnvelope.on(new UserIdentityDeviceAccessRevoked(), DEVICE_ACCESS_REVOKED, identity.workspaceId(), at))
                .setUserIdentityId(identity.userIdentityId().toString())
                .setDeviceId(deviceId.toString())
                .build());
    }

    private void append(Connection tx, UUID userIdentityId, SpecificRecordBase event) throws SQLException {
        outbox.append(tx, Topics.USER_IDENTITY_EVENTS, userIdentityId.toString(), event);
    }
}
