package com.lockstep.phone.events.outgoing;

import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.phone.domain.Phone;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Writes phone events to the outbox, keyed by the phone's id so one phone's events stay in order. */
@ApplicationScoped
public class PhoneEvents {

    public static final String REGISTERED = "phone.registered";
    public static final String DEACTIVATED = "phone.deactivated";

    private final Outbox outbox;

    public PhoneEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void registered(Connection tx, Phone phone) throws SQLException {
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.now();
        PhoneRegistered event = PhoneRegistered.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(REGISTERED)
                .setWorkspaceId(phone.workspaceId().toString())
                .setOccurredAt(phone.createdAt())
                .setCreatedAt(now)
                .setDeviceId(phone.deviceId().toString())
                .setOwnerUserIdentityId(phone.ownerUserIdentityId().toString())
                .setDeviceType(phone.deviceType().name())
                .setCustomSdkInstallationId(phone.customSdkInstallationId())
                .build();
        outbox.append(tx, Topics.PHONE_EVENTS, phone.deviceId().toString(), eventId, REGISTERED, event);
    }

    public void deactivated(Connection tx, Phone phone, Instant at) throws SQLException {
        UUID eventId = UUID.randomUUID();
        PhoneDeactivated event = PhoneDeactivated.newBuilder()
                .setEventId(eventId.toString())
                .setEventType(DEACTIVATED)
                .setWorkspaceId(phone.workspaceId().toString())
                .setOccurredAt(at)
                .setCreatedAt(Instant.now())
                .setDeviceId(phone.deviceId().toString())
                .setOwnerUserIdentityId(phone.ownerUserIdentityId().toString())
                .build();
        outbox.append(tx, Topics.PHONE_EVENTS, phone.deviceId().toString(), eventId, DEACTIVATED, event);
    }
}
