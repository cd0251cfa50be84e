package com.lockstep.device.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.device.provider.sandbox.SandboxAcsCredential;
import com.lockstep.device.provider.sandbox.SandboxProvider;
import com.lockstep.device.store.AcsSystemRepository;
import com.lockstep.device.store.ConnectedAccountRepository;
import com.lockstep.device.store.DeviceRepository;
import com.lockstep.kit.api.AdminOnly;
import com.lockstep.kit.api.Page;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamJson;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.db.Database;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.util.List;
import java.util.UUID;

/**
 * The operator's view of the sandbox provider, behind the admin token (workspaces are named
 * explicitly): provision a sandbox workspace, read what a sandbox ACS holds, and make a sandbox
 * device report a battery level, as a real one would.
 */
@Path("/admin/sandbox")
@SeamApi
@AdminOnly
public class SandboxAdminResource {

    private final Database database;
    private final SandboxProvider sandbox;
    private final ConnectedAccountRepository accounts;
    private final DeviceRepository devices;
    private final AcsSystemRepository systems;

    public SandboxAdminResource(Database database, SandboxProvider sandbox, ConnectedAccountRepository accounts,
                                DeviceRepository devices, AcsSystemRepository systems) {
        this.database = database;
        this.sandbox = sandbox;
        this.accounts = accounts;
        this.devices = devices;
        this.systems = systems;
    }

    /**
     * Idempotent: the first call gives the workspace its sandbox account, devices and ACS; later
     * calls answer what it has (devices since removed or unmanaged left out).
     */
    @POST
    @Path("/provision_workspace")
    public SeamResponse provisionWorkspace(SeamRequest request) throws Exception {
        UUID workspaceId = request.params().requiredUuid("workspace_id");
        request.params().validate();
        SandboxProvider.Provisioned provisioned = sandbox.provision(workspaceId);
        UUID accountId = provisioned.connectedAccountId();
        DeviceFilter ofAccount = new DeviceFilter(List.of(accountId), null, null, null, null, null, null, null, null, false);
        return database.read(() -> {
            ConnectedAccount account = accounts.find(workspaceId, accountId).orElseThrow();
            ArrayNode deviceJson = JsonNodeFactory.instance.arrayNode();
            devices.listManaged(workspaceId, ofAccount, null, Page.MAX_LIMIT).forEach(device -> deviceJson.add(device.device()));
            ArrayNode systemJson = JsonNodeFactory.instance.arrayNode();
            systems.list(workspaceId, accountId, null).forEach(system -> systemJson.add(AcsSystemJson.of(system)));
            return SeamResponse.of("connected_account", ConnectedAccountJson.of(account))
                    .with("devices", deviceJson)
                    .with("acs_systems", systemJson)
                    .with("created", JsonNodeFactory.instance.booleanNode(provisioned.created()));
        });
    }

    /** Every credential the sandbox ACS was asked to program, with whether it still holds it and how often it was asked. */
    @POST
    @Path("/list_acs_credentials")
    public SeamResponse listAcsCredentials(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID workspaceId = params.requiredUuid("workspace_id");
        UUID acsSystemId = params.requiredUuid("acs_system_id");
        params.validate();
        AcsSystem system = database.read(() -> systems.find(workspaceId, acsSystemId))
                .orElseThrow(() -> SeamException.notFound("acs_system"));
        ArrayNode json = JsonNodeFactory.instance.arrayNode();
        for (SandboxAcsCredential credential : sandbox.credentialsOn(workspaceId, system.acsSystemId())) {
            ObjectNode item = json.addObject();
            item.put("acs_credential_id", credential.acsCredentialId().toString());
            item.put("acs_system_id", credential.acsSystemId().toString());
            item.put("access_method", credential.accessMethod());
            putId(item, "acs_user_id", credential.acsUserId());
            putId(item, "device_id", credential.deviceId());
            putId(item, "user_identity_id", credential.userIdentityId());
            item.put("is_held", credential.held());
            item.put("programmed_at", SeamJson.timestamp(credential.programmedAt()));
            item.put("removed_at", SeamJson.timestamp(credential.removedAt()));
            item.put("times_programmed", credential.timesProgrammed());
            item.put("times_removed", credential.timesRemoved());
        }
        return SeamResponse.of("sandbox_acs_credentials", json);
    }

    @POST
    @Path("/report_battery_level")
    public SeamResponse reportBatteryLevel(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID workspaceId = params.requiredUuid("workspace_id");
        UUID deviceId = params.requiredUuid("device_id");
        Double level = batteryLevel(params);
        params.validate();
        Device device = database.read(() -> devices.findManaged(workspaceId, deviceId))
                .orElseThrow(() -> SeamException.notFound("device"));
        if (!device.batteryPowered()) {
            throw SeamException.invalidParameter("device_id", "The device has no battery");
        }
        sandbox.reportBatteryLevel(workspaceId, deviceId, level);
        return SeamResponse.ok();
    }

    /** A number between 0 and 1 (as text in a query string). */
    private static Double batteryLevel(Params params) {
        JsonNode value = params.raw().get("battery_level");
        if (value == null || value.isNull()) {
            params.problem("battery_level", "Required");
            return null;
        }
        double level;
        if (value.isNumber()) {
            level = value.doubleValue();
        } else if (value.isTextual() && value.textValue().matches("\\d+(\\.\\d+)?")) {
            level = Double.parseDouble(value.textValue());
        } else {
            params.problem("battery_level", "Expected number, received " + value.getNodeType().name().toLowerCase());
            return null;
        }
        if (level < 0 || level > 1) {
            params.problem("battery_level", "Number must be between 0 and 1");
            return null;
        }
        return level;
    }

    private static void putId(ObjectNode json, String field, UUID id) {
        json.put(field, id == null ? null : id.toString());
    }
}
