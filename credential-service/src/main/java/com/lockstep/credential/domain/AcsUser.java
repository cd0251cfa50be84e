package com.lockstep.credential.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Formula;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A user of an access control system, with every field of Seam's {@code acs_user} object that
 * Lockstep keeps. A deleted one is kept, out of get and list. {@code identity} is the linked user
 * identity's contact, if linked and known.
 */
@Entity
@Table(name = "acs_user")
// An update writes the columns that changed, as the statements it replaces did.
@DynamicUpdate
public class AcsUser {

    @Id
    @Column(name = "acs_user_id")
    private UUID acsUserId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "acs_system_id", nullable = false, updatable = false)
    private UUID acsSystemId;
    @Column(name = "connected_account_id", nullable = false, updatable = false)
    private UUID connectedAccountId;
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Column(name = "full_name", nullable = false)
    private String fullName;
    @Column(name = "email_address")
    private String emailAddress;
    @Column(name = "phone_number")
    private String phoneNumber;
    @Column(name = "access_schedule_starts_at")
    private Instant accessScheduleStartsAt;
    @Column(name = "access_schedule_ends_at")
    private Instant accessScheduleEndsAt;
    @Column(name = "is_suspended", nullable = false)
    private boolean suspended;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "deleted_at")
    private Instant deletedAt;

    // Read with the user from the projections, in the same statement (its system's type and its
    // identity's contact, null while not known); never written.
    @Formula("(select s.external_type from acs_system s where s.acs_system_id = acs_system_id)")
    private String systemExternalType;
    @Formula("(select true from user_identity i where i.user_identity_id = user_identity_id)")
    private Boolean identityKnown;
    @Formula("(select i.email_address from user_identity i where i.user_identity_id = user_identity_id)")
    private String identityEmailAddress;
    @Formula("(select i.phone_number from user_identity i where i.user_identity_id = user_identity_id)")
    private String identityPhoneNumber;
    @Formula("(select i.full_name from user_identity i where i.user_identity_id = user_identity_id)")
    private String identityFullName;

    protected AcsUser() {
    }

    public AcsUser(UUID acsUserId, AcsSystem system, UUID userIdentityId, String fullName, String emailAddress,
                   String phoneNumber, Instant accessScheduleStartsAt, Instant accessScheduleEndsAt, Instant createdAt) {
        this.acsUserId = acsUserId;
        this.workspaceId = system.workspaceId();
        this.acsSystemId = system.acsSystemId();
        this.connectedAccountId = system.connectedAccountId();
        this.systemExternalType = system.externalType();
        this.userIdentityId = userIdentityId;
        this.fullName = fullName;
        this.emailAddress = emailAddress;
        this.phoneNumber = phoneNumber;
        this.accessScheduleStartsAt = accessScheduleStartsAt;
        this.accessScheduleEndsAt = accessScheduleEndsAt;
        this.createdAt = createdAt;
    }

    /**
     * The ACS user created for a user identity that asks for one on an ACS system: named after the
     * identity (its full name, else its email address, phone number or id), with its contact.
     */
    public static AcsUser forIdentity(AcsSystem system, UUID userIdentityId, IdentityContact contact, Instant createdAt) {
        String fullName = contact.fullName() != null ? contact.fullName()
                : contact.emailAddress() != null ? contact.emailAddress()
                : contact.phoneNumber() != null ? contact.phoneNumber() : userIdentityId.toString();
        AcsUser user = new AcsUser(UUID.randomUUID(), system, userIdentityId, fullName, contact.emailAddress(),
                contact.phoneNumber(), null, null, createdAt);
        user.knowIdentity(contact);
        return user;
    }

    /** Sets the fields an update may change; false if none changed. */
    public boolean change(String newFullName, String newEmailAddress, String newPhoneNumber, Instant newStartsAt,
                          Instant newEndsAt) {
        if (Objects.equals(fullName, newFullName) && Objects.equals(emailAddress, newEmailAddress)
                && Objects.equals(phoneNumber, newPhoneNumber) && Objects.equals(accessScheduleStartsAt, newStartsAt)
                && Objects.equals(accessScheduleEndsAt, newEndsAt)) {
            return false;
        }
        fullName = newFullName;
        emailAddress = newEmailAddress;
        phoneNumber = newPhoneNumber;
        accessScheduleStartsAt = newStartsAt;
        accessScheduleEndsAt = newEndsAt;
        return true;
    }

    public void markSuspended(boolean isSuspended) {
        suspended = isSuspended;
    }

    /** Links the user to another user identity (null: to none); the identity's contact is not known here. */
    public void linkTo(UUID linkedUserIdentityId) {
        userIdentityId = linkedUserIdentityId;
        knowIdentity(null);
    }

    public void markDeleted(Instant at) {
        deletedAt = at;
    }

    /** Whether the user belongs to the workspace and is not deleted. */
    public boolean liveIn(UUID workspace) {
        return workspaceId.equals(workspace) && deletedAt == null;
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    private void knowIdentity(IdentityContact contact) {
        identityKnown = contact == null ? null : true;
        identityEmailAddress = contact == null ? null : contact.emailAddress();
        identityPhoneNumber = contact == null ? null : contact.phoneNumber();
        identityFullName = contact == null ? null : contact.fullName();
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

    public String systemExternalType() {
        return systemExternalType;
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public IdentityContact identity() {
        return identityKnown == null ? null : new IdentityContact(identityEmailAddress, identityPhoneNumber, identityFullName);
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

    public Instant accessScheduleStartsAt() {
        return accessScheduleStartsAt;
    }

    public Instant accessScheduleEndsAt() {
        return accessScheduleEndsAt;
    }

    public boolean suspended() {
        return suspended;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** What an ACS user shows of its user identity. */
    public record IdentityContact(String emailAddress, String phoneNumber, String fullName) {
    }
}
