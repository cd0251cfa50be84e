package com.lockstep.credential.events.outgoing;

import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialInvalidated;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes credential events to the outbox, keyed by acs_credential_id so one credential's events
 * stay in order. Each carries the phone the credential was issued to, where it was.
 */
@ApplicationScoped
public class AcsCredentialEvents {

    public static final String ISSUED = "acs_credential.issued";
    public static final String DELETED = "acs_credential.deleted";
    public static final String INVALIDATED = "acs_credential.invalidated";

    private final Outbox outbox;

    public AcsCredentialEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void issued(Connection tx, List<AcsCredential> credentials) throws SQLException {
        List<Outbox.Message> messages = new ArrayList<>(credentials.size());
        Instant now = Instant.now();
        for (AcsCredential credential : credentials) {
            UUID eventId = UUID.randomUUID();
            AcsCredentialIssued event = AcsCredentialIssued.newBuilder()
                    .setEventId(eventId.toString())
                    .setEventType(ISSUED)
                    .setWorkspaceId(credential.workspaceId().toString())
                    .setOccurredAt(credential.issuedAt())
                    .setCreatedAt(now)
                    .setAcsCredentialId(credential.acsCredentialId().toString())
                    .setAcsUserId(text(credential.acsUserId()))
                    .setAcsSystemId(credential.acsSystemId().toString())
                    .setAccessMethod(credential.accessMethod().name())
                    .setIsMultiPhoneSyncCredential(credential.multiPhoneSync())
                    .setParentAcsCredentialId(text(credential.parentAcsCredentialId()))
                    .setDeviceId(text(credential.deviceId()))
                    .setUserIdentityId(text(credential.userIdentityId()))
                    .build();
            messages.add(message(credential, eventId, ISSUED, event));
        }
        outbox.appendAll(tx, messages);
    }

    public void deleted(Connection tx, List<AcsCredential> credentials, Instant at) throws SQLException {
        List<Outbox.Message> messages = new ArrayList<>(credentials.size());
        Instant now = Instant.now();
        for (AcsCredential credential : credentials) {
            UUID eventId = UUID.randomUUID();
            AcsCredentialDeleted event = AcsCredentialDeleted.newBuilder()
                    .setEventId(eventId.toString())
                    .setEventType(DELETED)
                    .setWorkspaceId(credential.workspaceId().toString())
                    .setOccurredAt(at)
                    .setCreatedAt(now)
                    .setAcsCredentialId(credential.acsCredentialId().toString())
                    .setAcsUserId(text(credential.acsUserId()))
                    .setAcsSystemId(credential.acsSystemId().toString())
                    .setParentAcsCredentialId(text(credential.parentAcsCredentialId()))
                    .setDeviceId(text(credential.deviceId()))
                    .setUserIdentityId(text(credential.userIdentityId()))
                    .build();
            messages.add(message(credential, eventId, DELETED, event));
        }
        outbox.appendAll(tx, messages);
    }

    public void invalidated(Connection tx, List<AcsCredential> credentials, Instant at) throws SQLException {
        List<Outbox.Message> messages = new ArrayList<>(credentials.size());
        Instant now = Instant.now();
        for (AcsCredential credential : credentials) {
            UUID eventId = UUID.randomUUID();
            AcsCredentialInvalidated event = AcsCredentialInvalidated.newBuilder()
                    .setEventId(eventId.toString())
                    .setEventType(INVALIDATED)
                    .setWorkspaceId(credential.workspaceId().toString())
                    .setOccurredAt(at)
                    .setCreatedAt(now)
                    .setAcsCredentialId(credential.acsCredentialId().toString())
                    .setAcsUserId(text(credential.acsUserId()))
                    .setAcsSystemId(credential.acsSystemId().toString())
                    .setParentAcsCredentialId(text(credential.parentAcsCredentialId()))
                    .setDeviceId(text(credential.deviceId()))
                    .setUserIdentityId(text(credential.userIdentityId()))
                    .build();
            messages.add(message(credential, eventId, INVALIDATED, event));
        }
        outbox.appendAll(tx, messages);
    }

    private static Outbox.Message message(AcsCredential credential, UUID eventId, String type,
                                          org.apache.avro.specific.SpecificRecord event) {
        return new Outbox.Message(Topics.ACS_CREDENTIAL_EVENTS, credential.acsCredentialId().toString(), eventId, type, event);
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }
}
