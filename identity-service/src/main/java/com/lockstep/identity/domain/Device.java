package com.lockstep.identity.domain;

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
 * A device's full Seam object, projected from device-gateway's compacted state topic: what
 * list_accessible_devices returns, and which devices access can be granted to.
 */
@Entity
@Table(name = "device")
public class Device {

    @Id
    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "workspace_id", nullable = false)
    private UUID workspaceId;
    // Each state replaces the object, which is never changed in place: no deep copy of it (by Java
    // serialization) for every device loaded, while a replaced one is still written.
    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private ObjectNode device;

    protected Device() {
    }

    public Device(UUID deviceId, UUID workspaceId, ObjectNode device) {
        this.deviceId = deviceId;
        this.workspaceId = workspaceId;
        this.device = device;
    }

    public void changedTo(UUID workspace, ObjectNode state) {
        workspaceId = workspace;
        device = state;
    }
}
