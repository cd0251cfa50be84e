package com.lockstep.credential.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A user identity's contact, projected from identity-service's events: an ACS user's
 * user_identity_* fields, and whether the identity may get credentials. A deleted one is kept, marked.
 */
@Entity
@Table(name = "user_identity")
public class UserIdentity {

    @Id
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "email_address")
    private String emailAddress;
    @Column(name = "phone_number")
    private String phoneNumber;
    @Column(name = "full_name")
    private String fullName;
    @Column(name = "deleted_at")
    private Instant deletedAt;
    @Column(name = "deletion_pending", nullable = false)
    private boolean deletionPending;

    protected UserIdentity() {
    }

    public UserIdentity(UUID userIdentityId, UUID workspaceId, AcsUser.IdentityContact contact, boolean deletionPending) {
        this.userIdentityId = userIdentityId;
        this.workspaceId = workspaceId;
        changed(contact, deletionPending);
    }

    /** {@code deletionPending}: identity-service announced its deletion and has not finished or withdrawn it. */
    public void changed(AcsUser.IdentityContact contact, boolean deletionPending) {
        this.emailAddress = contact.emailAddress();
        this.phoneNumber = contact.phoneNumber();
        this.fullName = contact.fullName();
        this.deletionPending = deletionPending;
    }

    /** The first deletion counts. */
    public void markDeleted(Instant at) {
        if (deletedAt == null) {
            deletedAt = at;
        }
    }

    /** Whether the identity belongs to the workspace and is not deleted. */
    public boolean liveIn(UUID workspace) {
        return workspaceId.equals(workspace) && deletedAt == null;
    }

    /** False once the identity is deleted or its deletion is under way: then it may not get a credential. */
    public boolean acceptsCredentials() {
        return deletedAt == null && !deletionPending;
    }

    public AcsUser.IdentityContact contact() {
        return new AcsUser.IdentityContact(emailAddress, phoneNumber, fullName);
    }
}
