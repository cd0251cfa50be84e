package com.lockstep.credential.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An access credential: a PIN code, a card or a mobile key. A multi-phone-sync credential is a
 * parent: each active phone of its user identity holds a child ({@code parentAcsCredentialId}
 * set, {@code deviceId} the phone). {@code vendorMetadata} holds the manufacturer metadata
 * objects as the caller gave them, by their Seam names. A deleted (revoked) one is kept, out of
 * get and list.
 */
@Entity
@Table(name = "acs_credential")
// An update writes the columns that changed: deleted_at is set by set-based statements
// (store.AcsCredentialRepository), which an entity loaded before them must not write back.
@DynamicUpdate
public class AcsCredential {

    @Id
    @Column(name = "acs_credential_id")
    private UUID acsCredentialId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "acs_system_id", nullable = false, updatable = false)
    private UUID acsSystemId;
    @Column(name = "connected_account_id", nullable = false, updatable = false)
    private UUID connectedAccountId;
    @Column(name = "acs_user_id")
    private UUID acsUserId;
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Enumerated(EnumType.STRING)
    @Column(name = "access_method", nullable = false, updatable = false)
    private AccessMethod accessMethod;
    private String code;
    @Column(name = "starts_at", updatable = false)
    private Instant startsAt;
    @Column(name = "ends_at")
    private Instant endsAt;
    @Column(name = "is_multi_phone_sync_credential", nullable = false, updatable = false)
    private boolean multiPhoneSync;
    @Column(name = "parent_acs_credential_id", updatable = false)
    private UUID parentAcsCredentialId;
    @Column(name = "device_id", updatable = false)
    private UUID deviceId;
    // Set once, at creation: immutable to Hibernate, which otherwise copies them for every
    // credential it loads, to detect changes that never come.
    @Immutable
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_acs_entrance_ids", nullable = false, updatable = false)
    private UUID[] allowedAcsEntranceIds;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "vendor_metadata", nullable = false, updatable = false)
    private ObjectNode vendorMetadata;
    @Column(name = "issued_at")
    private Instant issuedAt;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "deleted_at")
    private Instant deletedAt;

    // Read with the credential from the acs_system projection, in the same statement (null while
    // the system is not known); never written.
    @Formula("(select s.external_type from acs_system s where s.acs_system_id = acs_system_id)")
    private String systemExternalType;

    protected AcsCredential() {
    }

    public AcsCredential(UUID acsCredentialId, UUID workspaceId, UUID acsSystemId, UUID connectedAccountId,
                         String systemExternalType, UUID acsUserId, UUID userIdentityId, AccessMethod accessMethod,
                         String code, Instant startsAt, Instant endsAt, boolean multiPhoneSync, UUID parentAcsCredentialId,
                         UUID deviceId, List<UUID> allowedAcsEntranceIds, ObjectNode vendorMetadata, Instant issuedAt,
                         Instant createdAt) {
        this.acsCredentialId = acsCredentialId;
        this.workspaceId = workspaceId;
        this.acsSystemId = acsSystemId;
        this.connectedAccountId = connectedAccountId;
        this.systemExternalType = systemExternalType;
        this.acsUserId = acsUserId;
        this.userIdentityId = userIdentityId;
        this.accessMethod = accessMethod;
        this.code = code;
        this.startsAt = startsAt;
        this.endsAt = endsAt;
        this.multiPhoneSync = multiPhoneSync;
        this.parentAcsCredentialId = parentAcsCredentialId;
        this.deviceId = deviceId;
        this.allowedAcsEntranceIds = allowedAcsEntranceIds.toArray(UUID[]::new);
        this.vendorMetadata = vendorMetadata;
        this.issuedAt = issuedAt;
        this.createdAt = createdAt;
    }

    /**
     * The same credential for {@code phone}: a child of this multi-phone-sync credential, issued at
     * {@code issuedAt} (null: held back, while its ACS user is suspended).
     */
    public AcsCredential childFor(UUID phone, Instant now, Instant childIssuedAt) {
        return new AcsCredential(UUID.randomUUID(), workspaceId, acsSystemId, connectedAccountId, systemExternalType,
                acsUserId, userIdentityId, AccessMethod.mobile_key, null, startsAt, endsAt, false, acsCredentialId, phone,
                allowedAcsEntranceIds(), vendorMetadata, childIssuedAt, now);
    }

    /** Not issued (yet): its ACS user is suspended. */
    public void holdBack() {
        issuedAt = null;
    }

    /** Issues it at {@code at}, unless it already was. */
    public void issue(Instant at) {
        if (issuedAt == null) {
            issuedAt = at;
        }
    }

    /** Assigns it to an ACS user and that user's identity, or unassigns it with nulls. */
    public void assignTo(UUID newAcsUserId, UUID newUserIdentityId) {
        acsUserId = newAcsUserId;
        userIdentityId = newUserIdentityId;
    }

    /** Follows its ACS user's link to a user identity (null: to none). */
    public void followIdentity(UUID newUserIdentityId) {
        userIdentityId = newUserIdentityId;
    }

    public void changeCode(String newCode) {
        code = newCode;
    }

    public void endAt(Instant newEndsAt) {
        endsAt = newEndsAt;
    }

    /** Whether the credential belongs to the workspace and is not deleted. */
    public boolean liveIn(UUID workspace) {
        return workspaceId.equals(workspace) && deletedAt == null;
    }

    public UUID acsCredentialId() {
        return acsCredentialId;
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

    public UUID acsUserId() {
        return acsUserId;
    }

    public UUID userIdentityId() {
        return userIdentityId;
    }

    public AccessMethod accessMethod() {
        return accessMethod;
    }

    public String code() {
        return code;
    }

    public Instant startsAt() {
        return startsAt;
    }

    public Instant endsAt() {
        return endsAt;
    }

    public boolean multiPhoneSync() {
        return multiPhoneSync;
    }

    public UUID parentAcsCredentialId() {
        return parentAcsCredentialId;
    }

    public UUID deviceId() {
        return deviceId;
    }

    public List<UUID> allowedAcsEntranceIds() {
        return List.of(allowedAcsEntranceIds);
    }

    public ObjectNode vendorMetadata() {
        return vendorMetadata;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
