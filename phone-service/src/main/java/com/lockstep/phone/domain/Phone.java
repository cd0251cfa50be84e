package com.lockstep.phone.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** An app user's phone, with every field of Seam's {@code phone} object. A deactivated phone is kept, out of list and get. */
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
    @Enumerated(EnumType.STRING)
    @Column(name = "device_type", nullable = false, updatable = false)
    private DeviceType deviceType;
    private String nickname;
    @Column(name = "display_name", nullable = false)
    private String displayName;
    // JSON values are set once, at registration: immutable to Hibernate, which otherwise deep-copies
    // each one (by Java serialization) for every phone it loads, to detect changes that never come.
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "custom_metadata", nullable = false, updatable = false)
    private ObjectNode customMetadata;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private ObjectNode properties;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private ArrayNode errors;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private ArrayNode warnings;
    @Column(name = "custom_sdk_installation_id", updatable = false)
    private String customSdkInstallationId;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "deactivated_at")
    private Instant deactivatedAt;

    protected Phone() {
    }

    public Phone(UUID deviceId, UUID workspaceId, UUID ownerUserIdentityId, DeviceType deviceType, String nickname,
                 String displayName, ObjectNode customMetadata, ObjectNode properties, ArrayNode errors, ArrayNode warnings,
                 String customSdkInstallationId, Instant createdAt) {
        this.deviceId = deviceId;
        this.workspaceId = workspaceId;
        this.ownerUserIdentityId = ownerUserIdentityId;
        this.deviceType = deviceType;
        this.nickname = nickname;
        this.displayName = displayName;
        this.customMetadata = customMetadata;
        this.properties = properties;
        this.errors = errors;
        this.warnings = warnings;
        this.customSdkInstallationId = customSdkInstallationId;
        this.createdAt = createdAt;
    }

    public boolean active() {
        return deactivatedAt == null;
    }

    public void deactivate(Instant at) {
        deactivatedAt = at;
    }

    public UUID deviceId() {
        return deviceId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID ownerUserIdentityId() {
        return ownerUserIdentityId;
    }

    public DeviceType deviceType() {
        return deviceType;
    }

    public String nickname() {
        return nickname;
    }

    public String displayName() {
        return displayName;
    }

    public ObjectNode customMetadata() {
        return customMetadata;
    }

    public ObjectNode properties() {
        return properties;
    }

    public ArrayNode errors() {
        return errors;
    }

    public ArrayNode warnings() {
        return warnings;
    }

    public String customSdkInstallationId() {
        return customSdkInstallationId;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
