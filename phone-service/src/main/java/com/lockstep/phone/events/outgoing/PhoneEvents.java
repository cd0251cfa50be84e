package com.lockstep.phone.events.outgoing;

import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.phone.domain.Phone;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

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
        PhoneRegistered event = PhoneRegistered.newBuilder(
                        EventEnvelope.on(new PhoneRegistered(), REGISTERED, phone.workspaceId(), phone.createdAt()))
                .setDeviceId(phone.deviceId().toString())
                .setOwnerUserIdentityId(phone.ownerUserIdentityId().toString())
                .setDeviceType(phone.deviceType().name())
                .setCustomSdkInstallationId(phone.customSdkInstallationId())
                .build();
        outbox.append(tx, Topics.PHONE_EVENTS, phone.deviceId().toString(), event);
    }

    public void deactivated(Connection tx, Phone phone, Instant at) throws SQLException {
        PhoneDeactivated event = PhoneDeactivated.newBuilder(
                        EventEnvelope.on(new PhoneDeactivated(), DEACTIVATED, phone.workspaceId(), at))
                .setDeviceId(phone.deviceId().toString())
                .setOwnerUserIdentityId(phone.ownerUserIdentityId().toString())
                .build();
        outbox.append(tx, Topics.PHONE_EVENTS, phone.deviceId().toString(), event);
    }
}
