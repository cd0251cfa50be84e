package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * Which user identity an ACS user belongs to. A removed link keeps its row ({@code removedAt} set),
 * so that an acs_user.created replayed later does not link the ACS user again. Links are made and
 * removed by {@code AcsUserLinkRepository}'s statements, never by changing a loaded link.
 */
@Entity
@Table(name = "acs_user_link")
public class AcsUserLink {

    @Id
    @Column(name = "acs_user_id")
    private UUID acsUserId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "user_identity_id", nullable = false)
    private UUID userIdentityId;
    @Column(name = "acs_system_id", nullable = false)
    private UUID acsSystemId;
    @Column(name = "linked_at", nullable = false)
    private Instant linkedAt;
    @Column(name = "removed_at")
    private Instant removedAt;

    protected AcsUserLink() {
    }

    public boolean active() {
        return removedAt == null;
    }

    public UUID acsUserId() {
        return acsUserId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public UUID acsSystemId() {
        return acsSystemId;
    }
}
