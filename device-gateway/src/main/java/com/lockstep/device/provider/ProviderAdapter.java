package com.lockstep.device.provider;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceProvider;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

/**
 * How device-gateway speaks to one kind of provider (a manufacturer's cloud, or the sandbox). The
 * rest of the service only sees this interface: adding a real integration is adding a bean.
 * What a provider tells device-gateway (a device went offline, a battery ran low) goes the other
 * way, through {@link ProviderReports}.
 *
 * <p>Each call runs inside the transaction of the change or event that caused it ({@code tx}), so
 * an adapter that keeps state in device-gateway's database (the sandbox) commits it with that
 * change. An adapter that calls a remote provider cannot: its calls must be idempotent per device
 * or credential, since an event redelivered after a crash repeats them.
 */
public interface ProviderAdapter {

    /** The adapter's name, stored with each connected account it serves. */
    String name();

    /** The brands this adapter connects, for {@code /devices/list_device_providers}. */
    List<DeviceProvider> deviceProviders();

    /** {@code /devices/simulate/connect}: only devices with {@code can_simulate_connection}. */
    void simulateConnection(Connection tx, Device device) throws Exception;

    /** {@code /devices/simulate/disconnect}: only devices with {@code can_simulate_disconnection}. */
    void simulateDisconnection(Connection tx, Device device) throws Exception;

    /** {@code /devices/simulate/remove}: only devices with {@code can_simulate_removal}. */
    void simulateRemoval(Connection tx, Device device) throws Exception;

    /** Puts a credential on the access control system; doing it again for the same credential changes nothing. */
    void programCredential(Connection tx, AcsSystem system, AcsCredentialGrant credential) throws Exception;

    /** Takes a credential off the access control system; a credential it does not hold is no error. */
    void removeCredential(Connection tx, AcsSystem system, UUID acsCredentialId) throws Exception;
}
