package com.lockstep.device.provider.sandbox;

import com.lockstep.device.provider.AcsCredentialGrant;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the sandbox's ACSs hold. */
@ApplicationScoped
public class SandboxAcsCredentialRepository implements PanacheRepositoryBase<SandboxAcsCredential, UUID> {

    /** Holds the credential (again); counts the request either way. */
    public void program(UUID acsSystemId, AcsCredentialGrant credential, Instant at) {
        // SQL: an upsert holds and counts atomically, also against the same credential programmed by a
        // concurrent transaction (which a find-then-persist would turn into a primary key violation).
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO sandbox_acs_credential (acs_credential_id,"
                    + " acs_system_id, workspace_id, access_method, acs_user_id, device_id, user_identity_id, programmed_at,"
                    + " times_programmed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (acs_credential_id) DO UPDATE"
                    + " SET removed_at = NULL, times_programmed = sandbox_acs_credential.times_programmed + 1")) {
                upsert.setObject(1, credential.acsCredentialId());
                upsert.setObject(2, acsSystemId);
                upsert.setObject(3, credential.workspaceId());
                upsert.setString(4, credential.accessMethod());
                upsert.setObject(5, credential.acsUserId());
                upsert.setObject(6, credential.deviceId());
                upsert.setObject(7, credential.userIdentityId());
                upsert.setTimestamp(8, Timestamp.from(at));
                upsert.executeUpdate();
            }
        });
    }

    /** Drops the credential if it is held; counts the request if the credential is known. One statement, on the row as it is. */
    public void remove(UUID acsSystemId, UUID acsCredentialId, Instant at) {
        update("removedAt = coalesce(removedAt, :at), timesRemoved = timesRemoved + 1"
                        + " where acsCredentialId = :credential and acsSystemId = :system",
                Parameters.with("at", at).and("credential", acsCredentialId).and("system", acsSystemId));
    }

    /** Every credential the system was asked to program, held or removed, in the order they were programmed. */
    public List<SandboxAcsCredential> ofSystem(UUID workspaceId, UUID acsSystemId) {
        return list("workspaceId = ?1 and acsSystemId = ?2 order by programmedAt, acsCredentialId", workspaceId, acsSystemId);
    }
}
