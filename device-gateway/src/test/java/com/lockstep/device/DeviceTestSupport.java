package com.lockstep.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.testkit.TestEvents;
import com.lockstep.testkit.TestWorkspaces;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** What the device-gateway tests share: workspaces with a working key and sandbox devices, and calls in Seam's shapes. */
final class DeviceTestSupport {

    static final TestEvents EVENTS = TestEvents.onRealServers();
    static final TestWorkspaces WORKSPACES = new TestWorkspaces(EVENTS);
    static final ObjectMapper JSON = new ObjectMapper();
    /** {@code %test.lockstep.admin-token} in application.properties. */
    static final String ADMIN_TOKEN = "test-admin-token";

    /**
     * A workspace the sandbox provisioned: its key, the {@code /admin/sandbox/provision_workspace}
     * answer, and the ids of its devices by device type.
     */
    record Sandbox(TestWorkspaces.Workspace workspace, JsonNode provisioned, Map<String, String> deviceIds) {

        String connectedAccountId() {
            return provisioned.at("/connected_account/connected_account_id").asText();
        }

        String acsSystemId() {
            return provisioned.at("/acs_systems/0/acs_system_id").asText();
        }

        String deviceId(String deviceType) {
            return deviceIds.get(deviceType);
        }
    }

    private DeviceTestSupport() {
    }

    /** A new workspace whose key device-gateway already accepts; no devices. */
    static TestWorkspaces.Workspace workspace() {
        TestWorkspaces.Workspace workspace = WORKSPACES.create();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                as(workspace).body("{}").post("/devices/list").statusCode() == 200);
        return workspace;
    }

    /** A new workspace with the sandbox's connected account, devices and ACS. */
    static Sandbox sandbox() {
        TestWorkspaces.Workspace workspace = workspace();
        JsonNode provisioned = provision(workspace);
        Map<String, String> deviceIds = new LinkedHashMap<>();
        provisioned.get("devices").forEach(device -> deviceIds.put(device.get("device_type").asText(), device.get("device_id").asText()));
        return new Sandbox(workspace, provisioned, deviceIds);
    }

    static JsonNode provision(TestWorkspaces.Workspace workspace) {
        return read(admin().body(Map.of("workspace_id", workspace.workspaceId().toString()))
                .post("/admin/sandbox/provision_workspace").then().statusCode(200));
    }

    static RequestSpecification as(TestWorkspaces.Workspace workspace) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + workspace.apiKey());
    }

    static RequestSpecification admin() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    static ValidatableResponse post(TestWorkspaces.Workspace workspace, String path, Map<String, ?> body) {
        return as(workspace).body(body).post(path).then();
    }

    /** The device as {@code /devices/get} answers it. */
    static JsonNode device(TestWorkspaces.Workspace workspace, String deviceId) {
        return read(post(workspace, "/devices/get", Map.of("device_id", deviceId)).statusCode(200)).get("device");
    }

    static JsonNode read(ValidatableResponse response) {
        try {
            return JSON.readTree(response.extract().asString());
        } catch (Exception e) {
            throw new IllegalStateException("The response is not JSON", e);
        }
    }
}
