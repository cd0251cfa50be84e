package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A user of an access control system, as identity-service knows it from credential-service's events:
 * its fields as acs_user.created gave them, or as the latest acs_user.updated did. The access
 * schedule's start and end are both null when it has none.
 */
@Entity
@Table(name = "acs_user")
public class AcsUser {

    @Id
    @Column(name = "acs_user_id")
    private UUID acsUserId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "acs_system_id", nullable = false)
    private UUID acsSystemId;
    @Column(name = "connected_account_id", nullable = false)
    private UUID connectedAccountId;
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Column(name = "display_name", nullable = false)
    private String displayName;
    @Column(name = "full_name")
    private String fullName;
    @Column(name = "email_address")
    private String emailAddress;
    @Column(name = "phone_number")
    private String phoneNumber;
    @Column(name = "is_suspended", nullable = false)
    private boolean suspended;
    @Column(name = "access_schedule_starts_at")
    private Instant accessScheduleStartsAt;
    @Column(name = "access_schedule_ends_at")
    private Instant accessScheduleEndsAt;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected AcsUser() {
    }

    public AcsUser(UUID acsUserId, UUID workspaceId, UUID acsSystemId, UUID connectedAccountId, UUID userIdentityId,
                   String displayName, String fullName, String emailAddress, String phoneNumber, boolean suspended,
                   Instant accessScheduleStartsAt, Instant accessScheduleEndsAt, Instant createdAt) {
        this.acsUserId = acsUserId;
        this.workspaceId = workspaceId;
        this.acsSystemId = acsSystemId;
        this.connectedAccountId = connectedAccountId;
        this.userIdentityId = userIdentityId;
        this.displayName = displayName;
        this.fullName = fullName;
        this.emailAddress = emailAddress;
        this.phoneNumber = phoneNumber;
        this.suspended = suspended;
        this.accessScheduleStartsAt = accessScheduleStartsAt;
        this.accessScheduleEndsAt = accessScheduleEndsAt;
        this.createdAt = createdAt;
    }

    /**
     * A copy of acs_user.created: sets the fields that event carries again, and leaves suspension
     * and access schedule as they are.
     */
    public void createdAgain(AcsUser created) {
        acsSystemId = created.acsSystemId;
        connectedAccountId = created.connectedAccountId;
        userIdentityId = created.userIdentityId;
        displayName = created.displayName;
        fullName = created.fullName;
        emailAddress = created.emailAddress;
        phoneNumber = created.phoneNumber;
    }

    /** acs_user.updated: every field it can change (not the ACS user's system, account or creation). */
    public void update(UUID identity, String newDisplayName, String newFullName, String newEmailAddress, String newPhoneNumber,
                       boolean isSuspended, Instant scheduleStartsAt, Instant scheduleEndsAt) {
        userIdentityId = identity;
        displayName = newDisplayName;
        fullName = newFullName;
        emailAddress = newEmailAddress;
        phoneNumber = newPhoneNumber;
        suspended = isSuspended;
        accessScheduleStartsAt = scheduleStartsAt;
        accessScheduleEndsAt = scheduleEndsAt;
    }

    public UUID acsUserId() {
        return acsUserId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID acsSystemId() {
        return acsSystemId;
    }

    public UUID connectedAccountId() {
        return connectedAccountId;
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public String displayName() {
        return displayName;
    }

    public String fullName() {
        return fullName;
    }

    public String emailAddress() {
        return emailAddress;
    }

    public String phoneNumber() {
        return phoneNumber;
    }

    public boolean isSuspended() {
        return suspended;
    }

    public Instant accessScheduleStartsAt() {
        return accessScheduleStartsAt;
    }

    public Instant accessScheduleEndsAt() {
        return accessScheduleEndsAt;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
