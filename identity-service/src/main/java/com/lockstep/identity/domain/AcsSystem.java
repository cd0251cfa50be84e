package com.lockstep.identity.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import java.util.UUID;

/**
 * An ACS system as Seam's acs_system object, projected from device-gateway's acs_system events:
 * what list_acs_systems returns, and which systems create's acs_system_ids may name.
 */
@Entity
@Table(name = "acs_system")
public class AcsSystem {

    @Id
    @Column(name = "acs_system_id")
    private UUID acsSystemId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    // Replaced, never changed in place: no deep copy of it (by Java serialization) for every system
    // loaded, while a replaced one is still written.
    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "acs_system", nullable = false)
    private ObjectNode acsSystem;

    protected AcsSystem() {
    }

    public AcsSystem(UUID acsSystemId, UUID workspaceId, ObjectNode acsSystem) {
        this.acsSystemId = acsSystemId;
        this.workspaceId = workspaceId;
        this.acsSystem = acsSystem;
    }

    public void addedAgain(ObjectNode added) {
        acsSystem = added;
    }

    /** Replaces the system's errors and warnings. */
    public void health(ArrayNode errors, ArrayNode warnings) {
        ObjectNode changed = acsSystem.deepCopy();
        changed.set("errors", errors);
        changed.set("warnings", warnings);
        acsSystem = changed;
    }
}
