package com.lockstep.phone.store;

import com.lockstep.phone.domain.IssuedCredential;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The issued-credential projection. */
@ApplicationScoped
public class IssuedCredentialRepository implements PanacheRepositoryBase<IssuedCredential, UUID> {

    public void issued(UUID acsCredentialId, UUID workspaceId, UUID deviceId) {
        IssuedCredential credential = findById(acsCredentialId);
        if (credential == null) {
            persist(new IssuedCredential(acsCredentialId, workspaceId, deviceId));
        } else {
            credential.reissuedTo(deviceId);
        }
    }

    /** A lost phone's credentials go together: one statement. */
    public void deleted(List<UUID> acsCredentialIds) {
        delete("acsCredentialId in ?1", acsCredentialIds);
    }
}
