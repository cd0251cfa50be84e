package com.lockstep.phone.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A user identity, projected from identity-service's events: the identities a sandbox phone may be
 * registered to. A deleted one is kept, marked, as credential-service keeps its own.
 */
@Entity
@Table(name = "user_identity")
public class UserIdentity {

    @Id
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "deleted_at")
    private Instant deletedAt;

    protected UserIdentity() {
    }

    public UserIdentity(UUID userIdentityId, UUID workspaceId) {
        this.userIdentityId = userIdentityId;
        this.workspaceId = workspaceId;
    }

    /** Whether the identity belongs to the workspace and is not deleted. */
    public boolean liveIn(UUID workspace) {
        return workspaceId.equals(workspace) && deletedAt == null;
    }

    /** The first deletion counts. */
    public void markDeleted(Instant at) {
        if (deletedAt == null) {
            deletedAt = at;
        }
    }
}
