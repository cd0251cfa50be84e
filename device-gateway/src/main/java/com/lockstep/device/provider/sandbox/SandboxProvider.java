package com.lockstep.device.provider.sandbox;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceProvider;
import com.lockstep.device.provider.AccountDiscovery;
import com.lockstep.device.provider.AcsCredentialGrant;
import com.lockstep.device.provider.ProviderAdapter;
import com.lockstep.device.provider.ProviderReports;
import com.lockstep.device.view.DeviceView;
import com.lockstep.kit.db.Database;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Seam's sandbox as a provider: it gives each sandbox workspace a connected account with locks, a
 * thermostat and a credential-manager ACS ({@link SandboxInventory}), behaves like those devices
 * when asked to simulate, and keeps what its ACSs hold in device-gateway's database, so a crash
 * loses nothing and what it holds can be read back ({@link #credentialsOn}).
 *
 * <p>It also stands in for the physical world: {@code report*} are what a device would tell its
 * provider (a battery running low, a connection dropping), applied as any provider's reports are.
 */
@ApplicationScoped
public class SandboxProvider implements ProviderAdapter {

    public static final String NAME = "sandbox";

    /** A provisioned workspace: its sandbox account, and whether this call created it. */
    public record Provisioned(UUID connectedAccountId, boolean created) {
    }

    private final Database database;
    private final ProviderReports reports;
    private final SandboxWorkspaceRepository workspaces;
    private final SandboxAcsCredentialRepository credentials;
    private final DeviceView view;

    public SandboxProvider(Database database, ProviderReports reports, SandboxWorkspaceRepository workspaces,
                           SandboxAcsCredentialRepository credentials, DeviceView view) {
        this.database = database;
        this.reports = reports;
        this.workspaces = workspaces;
        this.credentials = credentials;
        this.view = view;
    }

    /**
     * Runs the sandbox ACSs' queries once, on ids that match nothing (the removal changes no row),
     * before the service is ready: see {@code AcsCredentialsConsumer#warmUp}.
     */
    void warmUp(@Observes StartupEvent start) throws Exception {
        UUID nothing = UUID.randomUUID();
        database.inTransaction(tx -> {
            credentials.remove(nothing, nothing, now());
            return credentials.ofSystem(nothing, nothing);
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<DeviceProvider> deviceProviders() {
        return SandboxInventory.DEVICE_PROVIDERS;
    }

    /** Gives the workspace its sandbox account, devices and ACS, once: later calls find the first one's. */
    public Provisioned provision(UUID workspaceId) throws Exception {
        return view.inTransaction(workspaceId, tx -> {
            Instant now = now();
            AccountDiscovery discovery = SandboxInventory.discover(workspaceId, now);
            if (!workspaces.claim(workspaceId, discovery.account().connectedAccountId(), now)) {
                return new Provisioned(workspaces.provisionedAccount(workspaceId).orElseThrow(), false);
            }
            reports.accountConnected(tx, discovery, now);
            return new Provisioned(discovery.account().connectedAccountId(), true);
        });
    }

    @Override
    public void simulateConnection(Connection tx, Device device) throws Exception {
        reports.deviceConnectivity(tx, device.workspaceId(), device.deviceId(), true, now());
    }

    @Override
    public void simulateDisconnection(Connection tx, Device device) throws Exception {
        reports.deviceConnectivity(tx, device.workspaceId(), device.deviceId(), false, now());
    }

    @Override
    public void simulateRemoval(Connection tx, Device device) throws Exception {
        reports.deviceRemoved(tx, device.workspaceId(), device.deviceId(), now());
    }

    @Override
    public void programCredential(Connection tx, AcsSystem system, AcsCredentialGrant credential) throws Exception {
        credentials.program(system.acsSystemId(), credential, now());
    }

    @Override
    public void removeCredential(Connection tx, AcsSystem system, UUID acsCredentialId) throws Exception {
        credentials.remove(system.acsSystemId(), acsCredentialId, now());
    }

    /** Every credential the ACS was asked to program, with whether it still holds it. */
    public List<SandboxAcsCredential> credentialsOn(UUID workspaceId, UUID acsSystemId) throws Exception {
        return database.read(() -> credentials.ofSystem(workspaceId, acsSystemId));
    }

    /** The device reports a new battery level; false if there is no such device. */
    public boolean reportBatteryLevel(UUID workspaceId, UUID deviceId, double level) throws Exception {
        return view.inTransaction(workspaceId, tx -> reports.batteryLevel(tx, workspaceId, deviceId, level, now()));
    }

    /** The device reports going online or offline; false if there is no such device. */
    public boolean reportDeviceConnectivity(UUID workspaceId, UUID deviceId, boolean online) throws Exception {
        return view.inTransaction(workspaceId, tx -> reports.deviceConnectivity(tx, workspaceId, deviceId, online, now()));
    }

    /** The ACS reports losing or regaining its connection; false if there is no such system. */
    public boolean reportAcsSystemConnectivity(UUID workspaceId, UUID acsSystemId, boolean connected) throws Exception {
        return database.inTransaction(tx -> reports.acsSystemConnectivity(tx, workspaceId, acsSystemId, connected, now()));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
