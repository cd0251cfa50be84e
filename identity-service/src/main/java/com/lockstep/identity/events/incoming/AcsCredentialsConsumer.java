package com.lockstep.identity.events.incoming;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.identity.store.DependentsStore;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.schemas.Topics;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

import static com.lockstep.kit.events.inbox.EventFields.optionalUuid;
import static com.lockstep.kit.events.inbox.EventFields.uuid;
import static com.lockstep.kit.events.inbox.EventFields.uuids;

/**
 * Every live credential with its identity and ACS user: a credential of the identity, or of an
 * ACS user linked to it, keeps the identity from deletion.
 */
@Singleton
public class AcsCredentialsConsumer extends EventProjection {

    public static final String CONSUMER_GROUP = "identity-service.credentials";

    private final DependentsStore store;

    public AcsCredentialsConsumer(DependentsStore store) {
        super(EventSubscription.of(CONSUMER_GROUP, Topics.ACS_CREDENTIAL_EVENTS)
                .on(AcsCredentialIssued.class, (tx, issued) -> store.credentialIssued(tx,
                        uuid("acs_credential_id", issued.getAcsCredentialId()), uuid("workspace_id", issued.getWorkspaceId()),
                        optionalUuid("user_identity_id", issued.getUserIdentityId()),
                        optionalUuid("acs_user_id", issued.getAcsUserId())))
                // A lost phone's credentials are deleted together: one statement for a poll's run of them.
                .onBatch(AcsCredentialDeleted.class, (tx, deletions) ->
                        store.credentialsDeleted(tx, uuids("acs_credential_id", deletions, AcsCredentialDeleted::getAcsCredentialId))));
        this.store = store;
    }

    @Override
    public void clear(Connection tx) throws SQLException {
        store.clearCredentials(tx);
    }
}
