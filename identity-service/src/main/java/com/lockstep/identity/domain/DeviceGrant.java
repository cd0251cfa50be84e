package com.lockstep.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A device a user identity was granted access to. */
@Entity
@Table(name = "device_grant")
@IdClass(DeviceGrant.Key.class)
public class DeviceGrant {

    @Id
    @Column(name = "user_identity_id")
    private UUID userIdentityId;
    @Id
    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "granted_at", nullable = false, updatable = false)
    private Instant grantedAt;

    protected DeviceGrant() {
    }

    public DeviceGrant(UUID userIdentityId, UUID deviceId, UUID workspaceId, Instant grantedAt) {
        this.userIdentityId = userIdentityId;
        this.deviceId = deviceId;
        this.workspaceId = workspaceId;
        this.grantedAt = grantedAt;
    }

    /** The primary key: one grant per identity and device. */
    public static class Key implements Serializable {

        private UUID userIdentityId;
        private UUID deviceId;

        public Key() {
        }

        public Key(UUID userIdentityId, UUID deviceId) {
            this.userIdentityId = userIdentityId;
            this.deviceId = deviceId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(userIdentityId, key.userIdentityId) && Objects.equals(deviceId, key.deviceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userIdentityId, deviceId);
        }
    }
}
