package com.lockstep.device.events.outgoing;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.events.acs_system.AcsSystemConnected;
import com.lockstep.events.acs_system.AcsSystemDisconnected;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Writes ACS system events to the outbox, keyed by acs_system_id. Callers hold the system's row lock. */
@ApplicationScoped
public class AcsSystemEvents {

    public static final String ADDED = "acs_system.added";
    public static final String CONNECTED = "acs_system.connected";
    public static final String DISCONNECTED = "acs_system.disconnected";

    private final Outbox outbox;

    public AcsSystemEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void added(Connection tx, AcsSystem system, Instant at) throws SQLException {
        AcsSystemAdded event = AcsSystemAdded.newBuilder(
                        EventEnvelope.on(new AcsSystemAdded(), ADDED, system.workspaceId(), at))
                .setAcsSystemId(system.acsSystemId().toString())
                .setConnectedAccountId(system.connectedAccountId().toString())
                .setName(system.name())
                .setExternalType(system.externalType())
                .setIsCredentialManager(system.credentialManager())
                .build();
        outbox.append(tx, Topics.ACS_SYSTEM_EVENTS, system.acsSystemId().toString(), event);
    }

    public void connected(Connection tx, AcsSystem system, Instant at) throws SQLException {
        AcsSystemConnected event = AcsSystemConnected.newBuilder(
                        EventEnvelope.on(new AcsSystemConnected(), CONNECTED, system.workspaceId(), at))
                .setAcsSystemId(system.acsSystemId().toString())
                .setConnectedAccountId(system.connectedAccountId().toString())
                .build();
        outbox.append(tx, Topics.ACS_SYSTEM_EVENTS, system.acsSystemId().toString(), event);
    }

    public void disconnected(Connection tx, AcsSystem system, ConnectedAccount account, Instant at) throws SQLException {
        AcsSystemDisconnected event = AcsSystemDisconnected.newBuilder(
                        EventEnvelope.on(new AcsSystemDisconnected(), DISCONNECTED, system.workspaceId(), at))
                .setAcsSystemId(system.acsSystemId().toString())
                .setConnectedAccountId(system.connectedAccountId().toString())
                .setAcsSystemErrors(EventFields.errors(system.errors()))
                .setAcsSystemWarnings(EventFields.warnings(system.warnings()))
                .setConnectedAccountErrors(EventFields.errors(account.errors()))
                .setConnectedAccountWarnings(EventFields.warnings(account.warnings()))
                .build();
        outbox.append(tx, Topics.ACS_SYSTEM_EVENTS, system.acsSystemId().toString(), event);
    }
}
