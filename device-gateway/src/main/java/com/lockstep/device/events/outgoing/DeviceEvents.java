package com.lockstep.device.events.outgoing;

import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;
import com.lockstep.events.common.ResourceError;
import com.lockstep.events.common.ResourceWarning;
import com.lockstep.events.device.DeviceConnected;
import com.lockstep.events.device.DeviceDisconnected;
import com.lockstep.events.device.DeviceLowBattery;
import com.lockstep.events.device.DeviceRemoved;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes device events and device state to the outbox, keyed by device_id so that one device's
 * events and states stay in order. Callers hold the device's row lock.
 */
@ApplicationScoped
public class DeviceEvents {

    public static final String CONNECTED = "device.connected";
    public static final String DISCONNECTED = "device.disconnected";
    public static final String REMOVED = "device.removed";
    public static final String LOW_BATTERY = "device.low_battery";
    /** The outbox's event type of a state record on {@value Topics#DEVICE_STATE}. */
    public static final String STATE = "device.state";

    private final Outbox outbox;

    public DeviceEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void connected(Connection tx, Device device, ConnectedAccount account, Instant at) throws SQLException {
        DeviceConnected event = DeviceConnected.newBuilder(
                        EventEnvelope.on(new DeviceConnected(), CONNECTED, device.workspaceId(), at))
                .setDeviceId(device.deviceId().toString())
                .setConnectedAccountId(device.connectedAccountId().toString())
                .setDeviceCustomMetadata(device.customMetadata())
                .setConnectedAccountCustomMetadata(EventFields.metadata(account.customMetadata()))
                .build();
        outbox.append(tx, Topics.DEVICE_EVENTS, device.deviceId().toString(), event);
    }

    public void disconnected(Connection tx, Device device, ConnectedAccount account, Instant at) throws SQLException {
        DeviceDisconnected event = DeviceDisconnected.newBuilder(
                        EventEnvelope.on(new DeviceDisconnected(), DISCONNECTED, device.workspaceId(), at))
                .setDeviceId(device.deviceId().toString())
                .setConnectedAccountId(device.connectedAccountId().toString())
                .setDeviceCustomMetadata(device.customMetadata())
                .setConnectedAccountCustomMetadata(EventFields.metadata(account.customMetadata()))
                .setErrorCode(Device.DISCONNECTED_ERROR)
                .setDeviceErrors(device.state().getErrors().stream()
                        .map(error -> new ResourceError(error.getErrorCode(), error.getMessage(), error.getCreatedAt())).toList())
                .setDeviceWarnings(device.state().getWarnings().stream()
                        .map(warning -> new ResourceWarning(warning.getWarningCode(), warning.getMessage(), warning.getCreatedAt())).toList())
                .setConnectedAccountErrors(EventFields.errors(account.errors()))
                .setConnectedAccountWarnings(EventFields.warnings(account.warnings()))
                .build();
        outbox.append(tx, Topics.DEVICE_EVENTS, device.deviceId().toString(), event);
    }

    public void removed(Connection tx, Device device, ConnectedAccount account, Instant at) throws SQLException {
        DeviceRemoved event = DeviceRemoved.newBuilder(
                        EventEnvelope.on(new DeviceRemoved(), REMOVED, device.workspaceId(), at))
                .setDeviceId(device.deviceId().toString())
                .setConnectedAccountId(device.connectedAccountId().toString())
                .setDeviceCustomMetadata(device.customMetadata())
                .setConnectedAccountCustomMetadata(EventFields.metadata(account.customMetadata()))
                .build();
        outbox.append(tx, Topics.DEVICE_EVENTS, device.deviceId().toString(), event);
    }

    public void lowBattery(Connection tx, Device device, ConnectedAccount account, Instant at) throws SQLException {
        DeviceLowBattery event = DeviceLowBattery.newBuilder(
                        EventEnvelope.on(new DeviceLowBattery(), LOW_BATTERY, device.workspaceId(), at))
                .setDeviceId(device.deviceId().toString())
                .setConnectedAccountId(device.connectedAccountId().toString())
                .setDeviceCustomMetadata(device.customMetadata())
                .setConnectedAccountCustomMetadata(EventFields.metadata(account.customMetadata()))
                .setBatteryLevel(device.batteryLevel())
                .build();
        outbox.append(tx, Topics.DEVICE_EVENTS, device.deviceId().toString(), event);
    }

    /** The device's full current object on the compacted state topic. */
    public void state(Connection tx, Device device) throws SQLException {
        outbox.appendState(tx, Topics.DEVICE_STATE, device.deviceId().toString(), STATE, device.state());
    }

    /** The tombstone of a removed device: compaction eventually drops its state. */
    public void stateRemoved(Connection tx, UUID deviceId) throws SQLException {
        outbox.appendTombstone(tx, Topics.DEVICE_STATE, deviceId.toString(), STATE);
    }
}
