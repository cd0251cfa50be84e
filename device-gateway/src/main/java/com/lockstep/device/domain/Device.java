package com.lockstep.device.domain;

import com.lockstep.state.device.DeviceBattery;
import com.lockstep.state.device.DeviceError;
import com.lockstep.state.device.DeviceProperties;
import com.lockstep.state.device.DeviceState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A device, as Seam's full device object: the same {@link DeviceState} the API serves and the
 * compacted state topic carries. Changes return a new device; the record is never mutated.
 */
public record Device(DeviceState state) {

    /** Below this battery level a device is low on battery (Seam's {@code device.low_battery}). */
    public static final double LOW_BATTERY_LEVEL = 0.25;
    public static final String DISCONNECTED_ERROR = "device_disconnected";

    public UUID deviceId() {
        return UUID.fromString(state.getDeviceId());
    }

    public UUID workspaceId() {
        return UUID.fromString(state.getWorkspaceId());
    }

    public UUID connectedAccountId() {
        return UUID.fromString(state.getConnectedAccountId());
    }

    public String deviceType() {
        return state.getDeviceType();
    }

    public String displayName() {
        return state.getDisplayName();
    }

    public boolean managed() {
        return state.getIsManaged();
    }

    public Instant createdAt() {
        return state.getCreatedAt();
    }

    public boolean online() {
        return state.getProperties().getOnline();
    }

    public boolean batteryPowered() {
        return state.getCapabilitiesSupported().contains("battery");
    }

    /** Null for a device without a battery. */
    public Double batteryLevel() {
        return state.getProperties().getBatteryLevel();
    }

    public boolean lowOnBattery() {
        return batteryLevel() != null && batteryLevel() < LOW_BATTERY_LEVEL;
    }

    public boolean canSimulateConnection() {
        return Boolean.TRUE.equals(state.getCanSimulateConnection());
    }

    public boolean canSimulateDisconnection() {
        return Boolean.TRUE.equals(state.getCanSimulateDisconnection());
    }

    public boolean canSimulateRemoval() {
        return Boolean.TRUE.equals(state.getCanSimulateRemoval());
    }

    public Map<String, Object> customMetadata() {
        return state.getCustomMetadata();
    }

    /** Online with no disconnection error, or offline with one (created {@code at}). */
    public Device withOnline(boolean online, Instant at) {
        List<DeviceError> errors = new ArrayList<>(state.getErrors());
        errors.removeIf(error -> error.getErrorCode().equals(DISCONNECTED_ERROR));
        if (!online) {
            errors.add(DeviceError.newBuilder()
                    .setErrorCode(DISCONNECTED_ERROR)
                    .setMessage("Device is disconnected")
                    .setCreatedAt(at)
                    .setIsDeviceError(true)
                    .build());
        }
        DeviceProperties properties = DeviceProperties.newBuilder(state.getProperties()).setOnline(online).build();
        return new Device(DeviceState.newBuilder(state).setProperties(properties).setErrors(errors).build());
    }

    public Device withBatteryLevel(double level) {
        DeviceProperties properties = DeviceProperties.newBuilder(state.getProperties())
                .setBatteryLevel(level)
                .setBattery(new DeviceBattery(level, batteryStatus(level)))
                .build();
        return new Device(DeviceState.newBuilder(state).setProperties(properties).build());
    }

    /** Seam's nickname: set, it is the display name; null, the provider's name is. */
    public Device withNickname(String nickname) {
        String displayName = nickname != null ? nickname : state.getProperties().getAppearance().getName();
        DeviceProperties properties = DeviceProperties.newBuilder(state.getProperties()).setName(displayName).build();
        return new Device(DeviceState.newBuilder(state)
                .setNickname(nickname)
                .setDisplayName(displayName)
                .setProperties(properties)
                .build());
    }

    /** Merges {@code changes} into the custom metadata; a null value removes its key. */
    public Device withCustomMetadata(Map<String, Object> changes) {
        Map<String, Object> metadata = new LinkedHashMap<>(state.getCustomMetadata());
        changes.forEach((key, value) -> {
            if (value == null) {
                metadata.remove(key);
            } else {
                metadata.put(key, value);
            }
        });
        return new Device(DeviceState.newBuilder(state).setCustomMetadata(metadata).build());
    }

    public Device withManaged(boolean managed) {
        return new Device(DeviceState.newBuilder(state).setIsManaged(managed).build());
    }

    public boolean supportsBackupAccessCodePool() {
        return Boolean.TRUE.equals(state.getProperties().getSupportsBackupAccessCodePool());
    }

    public Device withBackupAccessCodePool(boolean enabled) {
        DeviceProperties properties = DeviceProperties.newBuilder(state.getProperties())
                .setBackupAccessCodePoolEnabled(enabled).build();
        return new Device(DeviceState.newBuilder(state).setProperties(properties).build());
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
