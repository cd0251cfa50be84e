package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** A phone, projected from phone-service's events: one not deactivated keeps its owner from deletion. */
@Entity
@Table(name = "phone")
public class Phone {

    @Id
    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "user_identity_id", nullable = false, updatable = false)
    private UUID userIdentityId;
    @Column(nullable = false)
    private boolean deactivated;

    protected Phone() {
    }

    public Phone(UUID deviceId, UUID workspaceId, UUID userIdentityId, boolean deactivated) {
        this.deviceId = deviceId;
        this.workspaceId = workspaceId;
        this.userIdentityId = userIdentityId;
        this.deactivated = deactivated;
    }

    /** A deactivated phone never becomes active again, whatever order the events are applied in. */
    public void deactivate() {
        deactivated = true;
    }
}
