package com.lockstep.device.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.kit.api.SeamJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import java.time.Instant;
import java.util.UUID;

/**
 * An access control system (Seam's {@code acs_system}), e.g. a credential manager that issues
 * mobile keys. {@code errors} and {@code warnings} are Seam's JSON objects.
 */
@Entity
@Table(name = "acs_system")
public class AcsSystem {

    public static final String DISCONNECTED_ERROR = "acs_system_disconnected";

    @Id
    @Column(name = "acs_system_id")
    private UUID acsSystemId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "connected_account_id", nullable = false, updatable = false)
    private UUID connectedAccountId;
    @Column(nullable = false, updatable = false)
    private String name;
    @Column(name = "external_type", nullable = false, updatable = false)
    private String externalType;
    @Column(name = "external_type_display_name", nullable = false, updatable = false)
    private String externalTypeDisplayName;
    @Column(name = "is_credential_manager", nullable = false, updatable = false)
    private boolean credentialManager;
    @Column(name = "image_url", nullable = false, updatable = false)
    private String imageUrl;
    @Column(name = "image_alt_text", nullable = false, updatable = false)
    private String imageAltText;
    @Column(name = "time_zone", updatable = false)
    private String timeZone;
    // Replaced whole, never changed in place: no deep copy of them (by Java serialization) for every
    // system loaded, while a replaced one is still written.
    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private ArrayNode errors;
    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private ArrayNode warnings;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected AcsSystem() {
    }

    public AcsSystem(UUID acsSystemId, UUID workspaceId, UUID connectedAccountId, String name, String externalType,
                     String externalTypeDisplayName, boolean credentialManager, String imageUrl, String imageAltText,
                     String timeZone, ArrayNode errors, ArrayNode warnings, Instant createdAt) {
        this.acsSystemId = acsSystemId;
        this.workspaceId = workspaceId;
        this.connectedAccountId = connectedAccountId;
        this.name = name;
        this.externalType = externalType;
        this.externalTypeDisplayName = externalTypeDisplayName;
        this.credentialManager = credentialManager;
        this.imageUrl = imageUrl;
        this.imageAltText = imageAltText;
        this.timeZone = timeZone;
        this.errors = errors;
        this.warnings = warnings;
        this.createdAt = createdAt;
    }

    public boolean connected() {
        for (JsonNode error : errors) {
            if (DISCONNECTED_ERROR.equals(error.path("error_code").asText())) {
                return false;
            }
        }
        return true;
    }

    /** Connected with no disconnection error, or disconnected with one (created {@code at}). */
    public void changeConnected(boolean connected, Instant at) {
        ArrayNode next = JsonNodeFactory.instance.arrayNode();
        errors.forEach(error -> {
            if (!DISCONNECTED_ERROR.equals(error.path("error_code").asText())) {
                next.add(error.deepCopy());
            }
        });
        if (!connected) {
            next.addObject()
                    .put("error_code", DISCONNECTED_ERROR)
                    .put("message", "The access control system is disconnected")
                    .put("created_at", SeamJson.timestamp(at));
        }
        errors = next;
    }

    public UUID acsSystemId() {
        return acsSystemId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID connectedAccountId() {
        return connectedAccountId;
    }

    public String name() {
        return name;
    }

    public String externalType() {
        return externalType;
    }

    public String externalTypeDisplayName() {
        return externalTypeDisplayName;
    }

    public boolean credentialManager() {
        return credentialManager;
    }

    public String imageUrl() {
        return imageUrl;
    }

    public String imageAltText() {
        return imageAltText;
    }

    public String timeZone() {
        return timeZone;
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
