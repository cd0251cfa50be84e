package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An app's user account, with the fields of Seam's {@code user_identity} object that it owns. Key,
 * email address and phone number are each unique in a workspace (the table's unique indexes).
 */
@Entity
@Table(name = "user_identity")
public class UserIdentity {

    @Id
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "user_identity_key")
    private String userIdentityKey;
    @Column(name = "email_address")
    private String emailAddress;
    @Column(name = "phone_number")
    private String phoneNumber;
    @Column(name = "full_name")
    private String fullName;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected UserIdentity() {
    }

    public UserIdentity(UUID userIdentityId, UUID workspaceId, String userIdentityKey, String emailAddress, String phoneNumber,
                        String fullName, Instant createdAt) {
        this.userIdentityId = userIdentityId;
        this.workspaceId = workspaceId;
        this.userIdentityKey = userIdentityKey;
        this.emailAddress = emailAddress;
        this.phoneNumber = phoneNumber;
        this.fullName = fullName;
        this.createdAt = createdAt;
    }

    /** Seam's display name: the full name, else the first contact detail or key the identity has. */
    public String displayName() {
        for (String candidate : new String[] {fullName, emailAddress, phoneNumber, userIdentityKey}) {
            if (candidate != null) {
                return candidate;
            }
        }
        return "Unnamed user identity";
    }

    public UserIdentityProfile profile() {
        return new UserIdentityProfile(userIdentityKey, emailAddress, phoneNumber, fullName);
    }

    public void change(UserIdentityProfile profile) {
        userIdentityKey = profile.userIdentityKey();
        emailAddress = profile.emailAddress();
        phoneNumber = profile.phoneNumber();
        fullName = profile.fullName();
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public String userIdentityKey() {
        return userIdentityKey;
    }

    public String emailAddress() {
        return emailAddress;
    }

    public String phoneNumber() {
        return phoneNumber;
    }

    public String fullName() {
        return fullName;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
