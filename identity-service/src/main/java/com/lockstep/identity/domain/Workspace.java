package com.lockstep.identity.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** A Seam workspace: the boundary of everything a key can see. Nothing changes one once created. */
@Entity
@Table(name = "workspace")
public class Workspace {

    @Id
    @Column(name = "workspace_id")
    private UUID workspaceId;
    @Column(nullable = false, updatable = false)
    private String name;
    @Column(name = "company_name", nullable = false, updatable = false)
    private String companyName;
    @Column(name = "is_sandbox", nullable = false, updatable = false)
    private boolean sandbox;
    @Column(name = "is_suspended", nullable = false, updatable = false)
    private boolean suspended;
    @Column(name = "is_publishable_key_auth_enabled", nullable = false, updatable = false)
    private boolean publishableKeyAuthEnabled;
    // Set once: immutable to Hibernate, which otherwise deep-copies it (by Java serialization) on every load.
    @Immutable
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "connect_webview_customization", nullable = false, updatable = false)
    private ObjectNode connectWebviewCustomization;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected Workspace() {
    }

    public Workspace(UUID workspaceId, String name, String companyName, boolean sandbox, boolean suspended,
                     boolean publishableKeyAuthEnabled, ObjectNode connectWebviewCustomization, Instant createdAt) {
        this.workspaceId = workspaceId;
        this.name = name;
        this.companyName = companyName;
        this.sandbox = sandbox;
        this.suspended = suspended;
        this.publishableKeyAuthEnabled = publishableKeyAuthEnabled;
        this.connectWebviewCustomization = connectWebviewCustomization;
        this.createdAt = createdAt;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public String name() {
        return name;
    }

    public String companyName() {
        return companyName;
    }

    public boolean sandbox() {
        return sandbox;
    }

    public boolean suspended() {
        return suspended;
    }

    public boolean publishableKeyAuthEnabled() {
        return publishableKeyAuthEnabled;
    }

    public ObjectNode connectWebviewCustomization() {
        return connectWebviewCustomization;
    }
}
