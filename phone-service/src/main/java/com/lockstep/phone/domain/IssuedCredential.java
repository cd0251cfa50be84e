package com.lockstep.phone.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** The phone a credential was issued to, projected from credential events: answers {@code /phones/list?acs_credential_id=}. */
@Entity
@Table(name = "issued_credential")
public class IssuedCredential {

    @Id
    @Column(name = "acs_credential_id")
    private UUID acsCredentialId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "device_id", nullable = false)
    private UUID deviceId;

    protected IssuedCredential() {
    }

    public IssuedCredential(UUID acsCredentialId, UUID workspaceId, UUID deviceId) {
        this.acsCredentialId = acsCredentialId;
        this.workspaceId = workspaceId;
        this.deviceId = deviceId;
    }

    public void reissuedTo(UUID device) {
        deviceId = device;
    }
}
