package com.lockstep.identity.store;

import com.lockstep.identity.domain.Credential;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The credential projection: what keeps an identity from deletion through its credentials. */
@ApplicationScoped
public class CredentialRepository implements PanacheRepositoryBase<Credential, UUID> {

    public void issued(UUID acsCredentialId, UUID workspaceId, UUID userIdentityId, UUID acsUserId) {
        Credential credential = findById(acsCredentialId);
        if (credential == null) {
            persist(new Credential(acsCredentialId, workspaceId, userIdentityId, acsUserId));
        } else {
            credential.reissuedFor(userIdentityId, acsUserId);
        }
    }

    /** A lost phone's credentials go together: one statement. */
    public void deleted(List<UUID> acsCredentialIds) {
        delete("acsCredentialId in ?1", acsCredentialIds);
    }

    /**
     * The identity's credentials, its own or its linked ACS users'. A credential of an ACS user
     * counts through the user's link as it is now: once the user is removed from the identity, its
     * credentials stay with the user, not with the identity.
     */
    public List<UUID> ofIdentity(UUID workspaceId, UUID userIdentityId) {
        return getEntityManager().createQuery("select c.acsCredentialId from Credential c where c.workspaceId = :workspace"
                        + " and ((c.acsUserId is null and c.userIdentityId = :identity) or c.acsUserId in"
                        + " (select l.acsUserId from AcsUserLink l where l.userIdentityId = :identity and l.removedAt is null))"
                        + " order by c.acsCredentialId", UUID.class)
                .setParameter("workspace", workspaceId)
                .setParameter("identity", userIdentityId)
                .getResultList();
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
