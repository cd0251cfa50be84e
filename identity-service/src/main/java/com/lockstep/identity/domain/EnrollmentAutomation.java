package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** An enrollment automation, projected from its events: one that is left keeps its identity from deletion. */
@Entity
@Table(name = "enrollment_automation")
public class EnrollmentAutomation {

    @Id
    @Column(name = "enrollment_automation_id")
    private UUID enrollmentAutomationId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "user_identity_id", nullable = false, updatable = false)
    private UUID userIdentityId;

    protected EnrollmentAutomation() {
    }

    public EnrollmentAutomation(UUID enrollmentAutomationId, UUID workspaceId, UUID userIdentityId) {
        this.enrollmentAutomationId = enrollmentAutomationId;
        this.workspaceId = workspaceId;
        this.userIdentityId = userIdentityId;
    }
}
