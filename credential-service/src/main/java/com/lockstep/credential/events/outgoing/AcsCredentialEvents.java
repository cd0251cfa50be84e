package com.lockstep.credential.events.outgoing;

import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialInvalidated;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecordBase;

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

    /** Each credential issued (again) at {@code at}. */
    public void issued(Connection tx, List<AcsCredential> credentials, Instant at) throws SQLException {
        List<Outbox.Message> messages = new ArrayList<>(credentials.size());
        for (AcsCredential credential : credentials) {
            AcsCredentialIssued event = AcsCredentialIssued.newBuilder(
                            EventEnvelope.on(new AcsCredentialIssued(), ISSUED, credential.workspaceId(), at))
                    .setAcsCredentialId(credential.acsCredentialId().toString())
                    .setAcsUserId(text(credential.acsUserId()))
                    .setAcsSystemId(credential.acsSystemId().toString())
                    .setAccessMethod(credential.accessMethod().name())
                    .setIsMultiPhoneSyncCredential(credential.multiPhoneSync())
                    .setParentAcsCredentialId(text(credential.parentAcsCredentialId()))
                    .setDeviceId(text(credential.deviceId()))
                    .setUserIdentityId(text(credential.userIdentityId()))
                    .build();
            messages.add(message(credential, event));
        }
        outbox.appendAll(tx, messages);
    }

    public void deleted(Connection tx, List<AcsCredential> credentials, Instant at) throws SQLException {
        List<Outbox.Message> messages = new ArrayList<>(credentials.size());
        for (AcsCredential credential : credentials) {
            AcsCredentialDeleted event = AcsCredentialDeleted.newBuilder(
                            EventEnvelope.on(new AcsCredentialDeleted(), DELETED, credential.workspaceId(), at))
                    .setAcsCredentialId(credential.acsCredentialId().toString())
                    .setAcsUserId(text(credential.acsUserId()))
                    .setAcsSystemId(credential.acsSystemId().toString())
                    .setParentAcsCredentialId(text(credential.parentAcsCredentialId()))
                    .setDeviceId(text(credential.deviceId()))
                    .setUserIdentityId(text(credential.userIdentityId()))
                    .build();
            messages.add(message(credential, event));
        }
        outbox.appendAll(tx, messages);
    }

    public void invalidated(Connection tx, List<AcsCredential> credentials, Instant at) throws SQLException {
        List<Outbox.Message> messages = new ArrayList<>(credentials.size());
        for (AcsCredential credential : credentials) {
            AcsCredentialInvalidated event = AcsCredentialInvalidated.newBuilder(
                            EventEnvelope.on(new AcsCredentialInvalidated(), INVALIDATED, credential.workspaceId(), at))
                    .setAcsCredentialId(credential.acsCredentialId().toString())
                    .setAcsUserId(text(credential.acsUserId()))
                    .setAcsSystemId(credential.acsSystemId().toString())
                    .setParentAcsCredentialId(text(credential.parentAcsCredentialId()))
                    .setDeviceId(text(credential.deviceId()))
                    .setUserIdentityId(text(credential.userIdentityId()))
                    .build();
            messages.add(message(credential, event));
        }
        outbox.appendAll(tx, messages);
    }

    private static Outbox.Message message(AcsCredential credential, SpecificRecordBase event) {
        return new Outbox.Message(Topics.ACS_CREDENTIAL_EVENTS, credential.acsCredentialId().toString(), event);
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }
}
