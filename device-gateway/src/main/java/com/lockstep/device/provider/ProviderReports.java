package com.lockstep.device.provider;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;
import com.lockstep.device.events.outgoing.AcsSystemEvents;
import com.lockstep.device.events.outgoing.DeviceEvents;
import com.lockstep.device.store.AcsSystemStore;
import com.lockstep.device.store.ConnectedAccountStore;
import com.lockstep.device.store.DeviceStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What providers report about the physical world, applied to device-gateway's records: each report
 * changes the device or ACS system in the caller's transaction ({@code tx}), under its row lock,
 * with Seam's events and the device's new state record. A report that changes nothing writes
 * nothing. Methods return false when the device or system is unknown (or removed).
 */
@ApplicationScoped
public class ProviderReports {

    private final ConnectedAccountStore accounts;
    private final DeviceStore devices;
    private final AcsSystemStore systems;
    private final DeviceEvents deviceEvents;
    private final AcsSystemEvents acsSystemEvents;

    public ProviderReports(ConnectedAccountStore accounts, DeviceStore devices, AcsSystemStore systems,
                           DeviceEvents deviceEvents, AcsSystemEvents acsSystemEvents) {
        this.accounts = accounts;
        this.devices = devices;
        this.systems = systems;
        this.deviceEvents = deviceEvents;
        this.acsSystemEvents = acsSystemEvents;
    }

    /** An account connected: it, its devices (device.connected) and its systems (acs_system.added, .connected). */
    public void accountConnected(Connection tx, AccountDiscovery discovery, Instant at) throws Exception {
        ConnectedAccount account = discovery.account();
        accounts.insert(tx, account);
        for (Device device : discovery.devices()) {
            devices.insert(tx, device);
            deviceEvents.connected(tx, device, account, at);
            deviceEvents.state(tx, device);
        }
        for (AcsSystem system : discovery.acsSystems()) {
            systems.insert(tx, system);
            acsSystemEvents.added(tx, system, at);
            acsSystemEvents.connected(tx, system, at);
        }
    }

    public boolean deviceConnectivity(Connection tx, UUID workspaceId, UUID deviceId, boolean online, Instant at) throws Exception {
        Optional<Device> locked = devices.lock(tx, workspaceId, deviceId);
        if (locked.isEmpty()) {
            return false;
        }
        if (locked.get().online() == online) {
            return true;
        }
        Device changed = locked.get().withOnline(online, at);
        devices.update(tx, changed);
        ConnectedAccount account = accountOf(tx, changed);
        if (online) {
            deviceEvents.connected(tx, changed, account, at);
        } else {
            deviceEvents.disconnected(tx, changed, account, at);
        }
        deviceEvents.state(tx, changed);
        return true;
    }

    /** A new battery level; device.low_battery when it falls below {@link Device#LOW_BATTERY_LEVEL}. */
    public boolean batteryLevel(Connection tx, UUID workspaceId, UUID deviceId, double level, Instant at) throws Exception {
        Optional<Device> locked = devices.lock(tx, workspaceId, deviceId);
        if (locked.isEmpty()) {
            return false;
        }
        Device before = locked.get();
        if (Double.valueOf(level).equals(before.batteryLevel())) {
            return true;
        }
        Device changed = before.withBatteryLevel(level);
        devices.update(tx, changed);
        if (changed.lowOnBattery() && !before.lowOnBattery()) {
            deviceEvents.lowBattery(tx, changed, accountOf(tx, changed), at);
        }
        deviceEvents.state(tx, changed);
        return true;
    }

    /** The device is gone: device.removed, and a tombstone for its state. */
    public boolean deviceRemoved(Connection tx, UUID workspaceId, UUID deviceId, Instant at) throws Exception {
        Optional<Device> locked = devices.lock(tx, workspaceId, deviceId);
        if (locked.isEmpty()) {
            return false;
        }
        devices.markRemoved(tx, deviceId, at);
        deviceEvents.removed(tx, locked.get(), accountOf(tx, locked.get()), at);
        deviceEvents.stateRemoved(tx, deviceId);
        return true;
    }

    public boolean acsSystemConnectivity(Connection tx, UUID workspaceId, UUID acsSystemId, boolean connected, Instant at)
            throws Exception {
        Optional<AcsSystem> locked = systems.lock(tx, workspaceId, acsSystemId);
        if (locked.isEmpty()) {
            return false;
        }
        if (locked.get().connected() == connected) {
            return true;
        }
        AcsSystem changed = locked.get().withConnected(connected, at);
        systems.updateIssues(tx, changed);
        if (connected) {
            acsSystemEvents.connected(tx, changed, at);
        } else {
            ConnectedAccount account = accounts.find(tx, workspaceId, changed.connectedAccountId()).orElseThrow();
            acsSystemEvents.disconnected(tx, changed, account, at);
        }
        return true;
    }

    private ConnectedAccount accountOf(Connection tx, Device device) throws Exception {
        return accounts.find(tx, device.workspaceId(), device.connectedAccountId()).orElseThrow();
    }
}
