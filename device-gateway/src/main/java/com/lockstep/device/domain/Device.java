package com.lockstep.device.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.schemas.json.SeamRecordJson;
import com.lockstep.state.device.DeviceBattery;
import com.lockstep.state.device.DeviceError;
import com.lockstep.state.device.DeviceProperties;
import com.lockstep.state.device.DeviceState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A device, as Seam's full device object: the same {@link DeviceState} the API serves and the
 * compacted state topic carries, stored as its JSON, with the columns that lookups and the list's
 * order need beside it. A change replaces the whole object (and those columns); a removed device is
 * kept for audit, out of every read.
 */
@Entity
@Table(name = "device")
public class Device {

    /** Below this battery level a device is low on battery (Seam's {@code device.low_battery}). */
    public static final double LOW_BATTERY_LEVEL = 0.25;
    public static final String DISCONNECTED_ERROR = "device_disconnected";

    @Id
    @Column(name = "device_id")
    private UUID deviceId;
    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;
    @Column(name = "connected_account_id", nullable = false, updatable = false)
    private UUID connectedAccountId;
    @Column(name = "device_type", nullable = false, updatable = false)
    private String deviceType;
    @Column(name = "display_name", nullable = false)
    private String displayName;
    @Column(name = "is_managed", nullable = false)
    private boolean managed;
    // Replaced whole with each change, never changed in place: no deep copy of it (by Java
    // serialization) for every device loaded, while a replaced one is still written.
    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "device", nullable = false)
    private ObjectNode json;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "removed_at")
    private Instant removedAt;
    /** {@code json} as a record, read from it when first asked for. */
    @Transient
    private DeviceState state;

    protected Device() {
    }

    /** A device as its provider reports it. */
    public Device(DeviceState state) {
        this.deviceId = UUID.fromString(state.getDeviceId());
        this.workspaceId = UUID.fromString(state.getWorkspaceId());
        this.connectedAccountId = UUID.fromString(state.getConnectedAccountId());
        this.deviceType = state.getDeviceType();
        this.createdAt = state.getCreatedAt();
        replace(state);
    }

    public DeviceState state() {
        if (state == null) {
            state = SeamRecordJson.fromJson(json, DeviceState.class);
        }
        return state;
    }

    /** Seam's device object as stored: never to be changed by the caller. */
    public ObjectNode json() {
        return json;
    }

    public UUID deviceId() {
        return deviceId;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public UUID connectedAccountId() {
        return connectedAccountId;
    }

    public boolean managed() {
        return managed;
    }

    public boolean online() {
        return state().getProperties().getOnline();
    }

    public boolean batteryPowered() {
        return state().getCapabilitiesSupported().contains("battery");
    }

    /** Null for a device without a battery. */
    public Double batteryLevel() {
        return state().getProperties().getBatteryLevel();
    }

    public boolean lowOnBattery() {
        return batteryLevel() != null && batteryLevel() < LOW_BATTERY_LEVEL;
    }

    public boolean canSimulateConnection() {
        return Boolean.TRUE.equals(state().getCanSimulateConnection());
    }

    public boolean canSimulateDisconnection() {
        return Boolean.TRUE.equals(state().getCanSimulateDisconnection());
    }

    public boolean canSimulateRemoval() {
        return Boolean.TRUE.equals(state().getCanSimulateRemoval());
    }

    public Map<String, Object> customMetadata() {
        return state().getCustomMetadata();
    }

    public boolean supportsBackupAccessCodePool() {
        return Boolean.TRUE.equals(state().getProperties().getSupportsBackupAccessCodePool());
    }

    /** Online with no disconnection error, or offline with one (created {@code at}). */
    public void changeOnline(boolean online, Instant at) {
        List<DeviceError> errors = new ArrayList<>(state().getErrors());
        errors.removeIf(error -> error.getErrorCode().equals(DISCONNECTED_ERROR));
        if (!online) {
            errors.add(DeviceError.newBuilder()
                    .setErrorCode(DISCONNECTED_ERROR)
                    .setMessage("Device is disconnected")
                    .setCreatedAt(at)
                    .setIsDeviceError(true)
                    .build());
        }
        DeviceProperties properties = DeviceProperties.newBuilder(state().getProperties()).setOnline(online).build();
        replace(DeviceState.newBuilder(state()).setProperties(properties).setErrors(errors).build());
    }

    public void changeBatteryLevel(double level) {
        DeviceProperties properties = DeviceProperties.newBuilder(state().getProperties())
                .setBatteryLevel(level)
                .setBattery(new DeviceBattery(level, batteryStatus(level)))
                .build();
        replace(DeviceState.newBuilder(state()).setProperties(properties).build());
    }

    /** Seam's nickname: set, it is the display name; null, the provider's name is. */
    public void changeNickname(String nickname) {
        String name = nickname != null ? nickname : state().getProperties().getAppearance().getName();
        DeviceProperties properties = DeviceProperties.newBuilder(state().getProperties()).setName(name).build();
        replace(DeviceState.newBuilder(state())
                .setNickname(nickname)
                .setDisplayName(name)
                .setProperties(properties)
                .build());
    }

    /** Merges {@code changes} into the custom metadata; a null value removes its key. */
    public void mergeCustomMetadata(Map<String, Object> changes) {
        Map<String, Object> metadata = new LinkedHashMap<>(state().getCustomMetadata());
        changes.forEach((key, value) -> {
            if (value == null) {
                metadata.remove(key);
            } else {
                metadata.put(key, value);
            }
        });
        replace(DeviceState.newBuilder(state()).setCustomMetadata(metadata).build());
    }

    public void changeManaged(boolean managed) {
        replace(DeviceState.newBuilder(state()).setIsManaged(managed).build());
    }

    public void changeBackupAccessCodePool(boolean enabled) {
        DeviceProperties properties = DeviceProperties.newBuilder(state().getProperties())
                .setBackupAccessCodePoolEnabled(enabled).build();
        replace(DeviceState.newBuilder(state()).setProperties(properties).build());
    }

    /** Gone: kept for audit, out of every read. */
    public void markRemoved(Instant at) {
        removedAt = at;
    }

    /** The new object, and the columns read from it; an equal object changes nothing. */
    private void replace(DeviceState next) {
        if (next.equals(state)) {
            return;
        }
        state = next;
        json = SeamRecordJson.toJson(next);
        displayName = next.getDisplayName();
        managed = next.getIsManaged();
    }

    /** Seam's battery status for a level: critical, low, good or full. */
    public static String batteryStatus(double level) {
        if (level < 0.1) {
            return "critical";
        }
        if (level < LOW_BATTERY_LEVEL) {
            return "low";
        }
        return level < 0.95 ? "good" : "full";
    }
}
