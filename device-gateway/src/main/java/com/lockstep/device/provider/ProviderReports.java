package com.lockstep.device.provider;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;
import com.lockstep.device.events.outgoing.AcsSystemEvents;
import com.lockstep.device.events.outgoing.DeviceEvents;
import com.lockstep.device.store.AcsSystemRepository;
import com.lockstep.device.store.ConnectedAccountRepository;
import com.lockstep.device.store.DeviceRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What providers report about the physical world, applied to device-gateway's records: each report
 * changes the device or ACS system in the caller's transaction, under its row lock, with Seam's
 * events and the device's new state record appended on that transaction's connection ({@code tx});
 * the changed entity is written when the transaction commits. A report that changes nothing writes
 * nothing. Methods return false when the device or system is unknown (or removed).
 */
@ApplicationScoped
public class ProviderReports {

    private final ConnectedAccountRepository accounts;
    private final DeviceRepository devices;
    private final AcsSystemRepository systems;
    private final DeviceEvents deviceEvents;
    private final AcsSystemEvents acsSystemEvents;

    public ProviderReports(ConnectedAccountRepository accounts, DeviceRepository devices, AcsSystemRepository systems,
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
        accounts.persist(account);
        for (Device device : discovery.devices()) {
            devices.persist(device);
            deviceEvents.connected(tx, device, account, at);
            deviceEvents.state(tx, device);
        }
        for (AcsSystem system : discovery.acsSystems()) {
            systems.persist(system);
            acsSystemEvents.added(tx, system, at);
            acsSystemEvents.connected(tx, system, at);
        }
    }

    public boolean deviceConnectivity(Connection tx, UUID workspaceId, UUID deviceId, boolean online, Instant at) throws Exception {
        Optional<Device> locked = devices.lock(workspaceId, deviceId);
        if (locked.isEmpty()) {
            return false;
        }
        Device device = locked.get();
        if (device.online() == online) {
            return true;
        }
        device.changeOnline(online, at);
        ConnectedAccount account = accountOf(device);
        if (online) {
            deviceEvents.connected(tx, device, account, at);
        } else {
            deviceEvents.disconnected(tx, device, account, at);
        }
        deviceEvents.state(tx, device);
        return true;
    }

    /** A new battery level; device.low_battery when it falls below {@link Device#LOW_BATTERY_LEVEL}. */
    public boolean batteryLevel(Connection tx, UUID workspaceId, UUID deviceId, double level, Instant at) throws Exception {
        Optional<Device> locked = devices.lock(workspaceId, deviceId);
        if (locked.isEmpty()) {
            return false;
        }
        Device device = locked.get();
        if (Double.valueOf(level).equals(device.batteryLevel())) {
            return true;
        }
        boolean wasLow = device.lowOnBattery();
        device.changeBatteryLevel(level);
        if (device.lowOnBattery() && !wasLow) {
            deviceEvents.lowBattery(tx, device, accountOf(device), at);
        }
        deviceEvents.state(tx, device);
        return true;
    }

    /** The device is gone: device.removed, and a tombstone for its state. */
    public boolean deviceRemoved(Connection tx, UUID workspaceId, UUID deviceId, Instant at) throws Exception {
        Optional<Device> locked = devices.lock(workspaceId, deviceId);
        if (locked.isEmpty()) {
            return false;
        }
        locked.get().markRemoved(at);
        deviceEvents.removed(tx, locked.get(), accountOf(locked.get()), at);
        deviceEvents.stateRemoved(tx, deviceId);
        return true;
    }

    public boolean acsSystemConnectivity(Connection tx, UUID workspaceId, UUID acsSystemId, boolean connected, Instant at)
            throws Exception {
        Optional<AcsSystem> locked = systems.lock(workspaceId, acsSystemId);
        if (locked.isEmpty()) {
            return false;
        }
        AcsSystem system = locked.get();
        if (system.connected() == connected) {
            return true;
        }
        system.changeConnected(connected, at);
        if (connected) {
            acsSystemEvents.connected(tx, system, at);
        } else {
            ConnectedAccount account = accounts.find(workspaceId, system.connectedAccountId()).orElseThrow();
            acsSystemEvents.disconnected(tx, system, account, at);
        }
        return true;
    }

    private ConnectedAccount accountOf(Device device) {
        return accounts.find(device.workspaceId(), device.connectedAccountId()).orElseThrow();
    }
}
