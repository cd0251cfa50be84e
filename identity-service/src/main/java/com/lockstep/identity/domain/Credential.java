package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * A live credential, projected from credential events, with the identity and the ACS user it was
 * issued for: one keeps its identity (or its ACS user's) from deletion.
 */
@Entity
@Table(name = "credential")
public class Credential {

    @Id
    @Column(name = "acs_credential_id")
    private UUID acsCredentialId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Column(name = "acs_user_id")
    private UUID acsUserId;

    protected Credential() {
    }

    public Credential(UUID acsCredentialId, UUID workspaceId, UUID userIdentityId, UUID acsUserId) {
        this.acsCredentialId = acsCredentialId;
        this.workspaceId = workspaceId;
        this.userIdentityId = userIdentityId;
        this.acsUserId = acsUserId;
    }

    public void reissuedFor(UUID identity, UUID acsUser) {
        userIdentityId = identity;
        acsUserId = acsUser;
    }
}
