package com.lockstep.credential.events.outgoing;

import com.lockstep.credential.domain.AcsUser;
import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.acs_user.AcsUserDeleted;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Writes ACS user events to the outbox, keyed by acs_user_id. */
@ApplicationScoped
public class AcsUserEvents {

    public static final String CREATED = "acs_user.created";
    public static final String UPDATED = "acs_user.updated";
    public static final String DELETED = "acs_user.deleted";

    private final Outbox outbox;

    public AcsUserEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void created(Connection tx, AcsUser user) throws SQLException {
        AcsUserCreated event = AcsUserCreated.newBuilder(
                        EventEnvelope.on(new AcsUserCreated(), CREATED, user.workspaceId(), user.createdAt()))
                .setAcsUserId(user.acsUserId().toString())
                .setAcsSystemId(user.acsSystemId().toString())
                .setConnectedAccountId(user.connectedAccountId().toString())
                .setUserIdentityId(user.userIdentityId() == null ? null : user.userIdentityId().toString())
                .setDisplayName(user.fullName())
                .setFullName(user.fullName())
                .setEmailAddress(user.emailAddress())
                .setPhoneNumber(user.phoneNumber())
                .build();
        outbox.append(tx, Topics.ACS_USER_EVENTS, user.acsUserId().toString(), event);
    }

    /**
     * acs_user.updated (Lockstep's own event): the ACS user's fields as they are after a change,
     * all of them, so consumers upsert them. {@code user} is the ACS user after the change.
     */
    public void updated(Connection tx, AcsUser user, Instant at) throws SQLException {
        AcsUserUpdated event = AcsUserUpdated.newBuilder(
                        EventEnvelope.on(new AcsUserUpdated(), UPDATED, user.workspaceId(), at))
                .setAcsUserId(user.acsUserId().toString())
                .setAcsSystemId(user.acsSystemId().toString())
                .setUserIdentityId(user.userIdentityId() == null ? null : user.userIdentityId().toString())
                .setDisplayName(user.fullName())
                .setFullName(user.fullName())
                .setEmailAddress(user.emailAddress())
                .setPhoneNumber(user.phoneNumber())
                .setIsSuspended(user.suspended())
                .setAccessScheduleStartsAt(user.accessScheduleStartsAt())
                .setAccessScheduleEndsAt(user.accessScheduleEndsAt())
                .build();
        outbox.append(tx, Topics.ACS_USER_EVENTS, user.acsUserId().toString(), event);
    }

    public void deleted(Connection tx, AcsUser user, Instant at) throws SQLException {
        AcsUserDeleted event = AcsUserDeleted.newBuilder(
                        EventEnvelope.on(new AcsUserDeleted(), DELETED, user.workspaceId(), at))
                .setAcsUserId(user.acsUserId().toString())
                .setAcsSystemId(user.acsSystemId().toString())
                .setUserIdentityId(user.userIdentityId() == null ? null : user.userIdentityId().toString())
                .build();
        outbox.append(tx, Topics.ACS_USER_EVENTS, user.acsUserId().toString(), event);
    }
}
