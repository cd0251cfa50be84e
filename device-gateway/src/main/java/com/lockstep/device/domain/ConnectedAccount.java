package com.lockstep.device.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workspace's account at a provider (Seam's {@code connected_account}); {@code provider} names the
 * adapter that speaks to it. {@code customMetadata}, {@code errors} and {@code warnings} are Seam's JSON.
 */
@Entity
@Table(name = "connected_account")
public class ConnectedAccount {

    @Id
    @Column(name = "connected_account_id")
    private UUID connectedAccountId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(nullable = false, updatable = false)
    private String provider;
    @Column(name = "account_type", nullable = false, updatable = false)
    private String accountType;
    @Column(name = "account_type_display_name", nullable = false, updatable = false)
    private String accountTypeDisplayName;
    @Column(name = "display_name", nullable = false, updatable = false)
    private String displayName;
    @Column(name = "image_url", updatable = false)
    private String imageUrl;
    // JSON values are set once, when the account connects: immutable to Hibernate, which otherwise
    // deep-copies each one (by Java serialization) for every account it loads, to detect changes that never come.
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "accepted_capabilities", nullable = false, updatable = false)
    private List<String> acceptedCapabilities;
    @Column(name = "automatically_manage_new_devices", nullable = false, updatable = false)
    private boolean automaticallyManageNewDevices;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "custom_metadata", nullable = false, updatable = false)
    private ObjectNode customMetadata;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private ArrayNode errors;
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    private ArrayNode warnings;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected ConnectedAccount() {
    }

    public ConnectedAccount(UUID connectedAccountId, UUID workspaceId, String provider, String accountType,
                            String accountTypeDisplayName, String displayName, String imageUrl, List<String> acceptedCapabilities,
                            boolean automaticallyManageNewDevices, ObjectNode customMetadata, ArrayNode errors, ArrayNode warnings,
                            Instant createdAt) {
        this.connectedAccountId = connectedAccountId;
        this.workspaceId = workspaceId;
        this.provider = provider;
        this.accountType = accountType;
        this.accountTypeDisplayName = accountTypeDisplayName;
        this.displayName = displayName;
        this.imageUrl = imageUrl;
        this.acceptedCapabilities = List.copyOf(acceptedCapabilities);
        this.automaticallyManageNewDevices = automaticallyManageNewDevices;
        this.customMetadata = customMetadata;
        this.errors = errors;
        this.warnings = warnings;
        this.createdAt = createdAt;
    }

    public UUID connectedAccountId() {
        return connectedAccountId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public String provider() {
        return provider;
    }

    public String accountType() {
        return accountType;
    }

    public String accountTypeDisplayName() {
        return accountTypeDisplayName;
    }

    public String displayName() {
        return displayName;
    }

    public String imageUrl() {
        return imageUrl;
    }

    public List<String> acceptedCapabilities() {
        return acceptedCapabilities;
    }

    public boolean automaticallyManageNewDevices() {
        return automaticallyManageNewDevices;
    }

    public ObjectNode customMetadata() {
        return customMetadata;
    }

    public ArrayNode errors() {
        return errors;
    }

    public ArrayNode warnings() {
        return warnings;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
