package com.lockstep.credential.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A phone and its owner, projected from phone-service's events: an identity's active phones get its
 * multi-phone-sync credentials. A deactivated phone stays, so a redelivered registration cannot
 * revive it. Its rows are written by set-based statements ({@code store.PhoneRepository}); the
 * entity maps the table for the queries that read it.
 */
@Entity
@Table(name = "phone")
public class Phone {

    @Id
    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "owner_user_identity_id", nullable = false, updatable = false)
    private UUID ownerUserIdentityId;
    @Column(name = "registered_at", nullable = false, updatable = false)
    private Instant registeredAt;
    @Column(name = "deactivated_at")
    private Instant deactivatedAt;

    protected Phone() {
    }
}
