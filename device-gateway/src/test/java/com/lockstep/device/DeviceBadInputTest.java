package com.lockstep.device;

import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.lockstep.device.DeviceTestSupport.admin;
import static com.lockstep.device.DeviceTestSupport.as;
import static com.lockstep.device.DeviceTestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Every kind of bad request to every endpoint gets the right Seam error: never a 5xx, never a stack trace. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class DeviceBadInputTest {

    private static final List<String> PATHS = List.of("/devices/get", "/devices/list", "/devices/update",
            "/devices/list_device_providers", "/devices/simulate/connect", "/devices/simulate/disconnect",
            "/devices/simulate/remove", "/acs/systems/get", "/acs/systems/list");
    private static final List<String> ADMIN_PATHS = List.of("/admin/sandbox/provision_workspace",
            "/admin/sandbox/list_acs_credentials", "/admin/sandbox/report_battery_level");

    private TestWorkspaces.Workspace workspace;

    @BeforeEach
    void workspaceWithKey() {
        workspace = DeviceTestSupport.workspace();
    }

    private static ValidatableResponse seamError(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType(ContentType.JSON)
                .header("seam-request-id", notNullValue())
                .body("ok", equalTo(false))
                .body("error.type", equalTo(type))
                .body("error.message", notNullValue())
                .body("error.request_id", notNullValue());
    }

    private ValidatableResponse invalid(String path, Map<String, ?> body) {
        return seamError(post(workspace, path, body), 400, "invalid_input");
    }

    @Test
    void malformedJsonIsInvalidInput() {
        for (String path : PATHS) {
            seamError(as(workspace).body("{\"device_id\": ").post(path).then(), 400, "invalid_input");
            seamError(as(workspace).body("[1, 2]").post(path).then(), 400, "invalid_input");
        }
        for (String path : ADMIN_PATHS) {
            seamError(admin().body("{\"workspace_id\": ").post(path).then(), 400, "invalid_input");
        }
    }

    @Test
    void devicesGetNeedsAnIdOrAName() {
        invalid("/devices/get", Map.of()).body("error.validation_errors._errors", hasItem("Must specify either device_id or name"));
        invalid("/devices/get", Map.of("device_id", "not-a-uuid")).body("error.validation_errors.device_id._errors", hasItem("Invalid uuid"));
        invalid("/devices/get", Map.of("device_id", 42)).body("error.validation_errors.device_id._errors",
                hasItem("Expected string, received number"));
        invalid("/devices/get", Map.of("name", true)).body("error.validation_errors.name._errors", hasItem("Expected string, received boolean"));
        seamError(as(workspace).queryParam("device_id", "nope").get("/devices/get").then(), 400, "invalid_input");
    }

    @Test
    void devicesListChecksEveryFilter() {
        invalid("/devices/list", Map.of("connected_account_id", "x")).body("error.validation_errors.connected_account_id._errors", hasItem("Invalid uuid"));
        invalid("/devices/list", Map.of("connected_account_ids", List.of("x"))).body("error.validation_errors.connected_account_ids._errors", hasItem("Invalid uuid"));
        invalid("/devices/list", Map.of("connected_account_ids", 7)).body("error.validation_errors.connected_account_ids._errors", hasItem("Expected array, received number"));
        invalid("/devices/list", Map.of("device_type", "time_machine")).body("error.validation_errors.device_type._errors[0]", startsWith("Invalid enum value"));
        invalid("/devices/list", Map.of("device_types", List.of("august_lock", "flux_capacitor"))).body("error.validation_errors.device_types._errors[0]", startsWith("Invalid enum value"));
        invalid("/devices/list", Map.of("manufacturer", "acme")).body("error.validation_errors.manufacturer._errors[0]", startsWith("Invalid enum value"));
        invalid("/devices/list", Map.of("device_ids", List.of(UUID.randomUUID().toString(), "x"))).body("error.validation_errors.device_ids._errors", hasItem("Invalid uuid"));
        invalid("/devices/list", Map.of("created_before", "yesterday")).body("error.validation_errors.created_before._errors", hasItem("Invalid datetime"));
        invalid("/devices/list", Map.of("custom_metadata_has", "unit")).body("error.validation_errors.custom_metadata_has._errors", hasItem("Expected object, received string"));
        invalid("/devices/list", Map.of("custom_metadata_has", Map.of("floor", 4))).body("error.validation_errors.custom_metadata_has.floor._errors[0]", startsWith("Expected string | boolean"));
        invalid("/devices/list", Map.of("include_if", List.of("can_fly"))).body("error.validation_errors.include_if._errors[0]", startsWith("Invalid enum value"));
        invalid("/devices/list", Map.of("exclude_if", "can_fly")).body("error.validation_errors.exclude_if._errors[0]", startsWith("Invalid enum value"));
        invalid("/devices/list", Map.of("search", "")).body("error.validation_errors.search._errors", hasItem("String must contain at least 1 character(s)"));
        invalid("/devices/list", Map.of("connect_webview_id", "x")).body("error.validation_errors.connect_webview_id._errors", hasItem("Invalid uuid"));
        invalid("/devices/list", Map.of("space_id", 1)).body("error.validation_errors.space_id._errors", notNullValue());
        invalid("/devices/list", Map.of("limit", "many")).body("error.validation_errors.limit._errors", notNullValue());
        invalid("/devices/list", Map.of("limit", 0)).body("error.validation_errors.limit._errors", notNullValue());
        invalid("/devices/list", Map.of("page_cursor", "garbage!")).body("error.validation_errors.page_cursor._errors", hasItem("Invalid page cursor"));
        seamError(as(workspace).queryParam("device_types", "august_lock", "nope").get("/devices/list").then(), 400, "invalid_input");
        seamError(as(workspace).queryParam("limit", "-1").get("/devices/list").then(), 400, "invalid_input");
    }

    @Test
    void devicesUpdateChecksEveryField() {
        String unknown = UUID.randomUUID().toString();
        invalid("/devices/update", Map.of()).body("error.validation_errors.device_id._errors", hasItem("Required"));
        invalid("/devices/update", Map.of("device_id", unknown, "name", 5)).body("error.validation_errors.name._errors", hasItem("Expected string, received number"));
        invalid("/devices/update", Map.of("device_id", unknown, "name", " ")).body("error.validation_errors.name._errors", notNullValue());
        invalid("/devices/update", Map.of("device_id", unknown, "properties", Map.of("name", false)))
                .body("error.validation_errors.properties.name._errors", hasItem("Expected string, received boolean"));
        invalid("/devices/update", Map.of("device_id", unknown, "custom_metadata", List.of("a")))
                .body("error.validation_errors.custom_metadata._errors", hasItem("Expected object, received array"));
        invalid("/devices/update", Map.of("device_id", unknown, "custom_metadata", Map.of("floor", 4)))
                .body("error.validation_errors.custom_metadata.floor._errors[0]", startsWith("Expected string | boolean | null"));
        invalid("/devices/update", Map.of("device_id", unknown, "custom_metadata", Map.of("note", "x".repeat(501))))
                .body("error.validation_errors.custom_metadata.note._errors", hasItem("String must contain at most 500 character(s)"));
        invalid("/devices/update", Map.of("device_id", unknown, "is_managed", "no"))
                .body("error.validation_errors.is_managed._errors", hasItem("Expected boolean, received string"));
        invalid("/devices/update", Map.of("device_id", unknown, "backup_access_code_pool_enabled", 1))
                .body("error.validation_errors.backup_access_code_pool_enabled._errors", notNullValue());
        seamError(as(workspace).body(Map.of("device_id", "x")).patch("/devices/update").then(), 400, "invalid_input");
    }

    @Test
    void otherEndpointsCheckTheirParameters() {
        invalid("/devices/list_device_providers", Map.of("provider_category", "toys"))
                .body("error.validation_errors.provider_category._errors[0]", startsWith("Invalid enum value"));
        for (String simulation : List.of("/devices/simulate/connect", "/devices/simulate/disconnect", "/devices/simulate/remove")) {
            invalid(simulation, Map.of()).body("error.validation_errors.device_id._errors", hasItem("Required"));
            invalid(simulation, Map.of("device_id", "x")).body("error.validation_errors.device_id._errors", hasItem("Invalid uuid"));
        }
        invalid("/acs/systems/get", Map.of()).body("error.validation_errors.acs_system_id._errors", hasItem("Required"));
        invalid("/acs/systems/get", Map.of("acs_system_id", List.of())).body("error.validation_errors.acs_system_id._errors", notNullValue());
        invalid("/acs/systems/list", Map.of("connected_account_id", "x")).body("error.validation_errors.connected_account_id._errors", hasItem("Invalid uuid"));
        invalid("/acs/systems/list", Map.of("search", "")).body("error.validation_errors.search._errors", notNullValue());
        invalid("/acs/systems/list", Map.of("customer_key", 3)).body("error.validation_errors.customer_key._errors", notNullValue());
        seamError(as(workspace).queryParam("acs_system_id", "nope").get("/acs/systems/get").then(), 400, "invalid_input");
    }

    @Test
    void adminEndpointsCheckTheirParameters() {
        seamError(admin().body(Map.of()).post("/admin/sandbox/provision_workspace").then(), 400, "invalid_input")
                .body("error.validation_errors.workspace_id._errors", hasItem("Required"));
        seamError(admin().body(Map.of("workspace_id", "x", "acs_system_id", "y")).post("/admin/sandbox/list_acs_credentials").then(),
                400, "invalid_input")
                .body("error.validation_errors.workspace_id._errors", hasItem("Invalid uuid"))
                .body("error.validation_errors.acs_system_id._errors", hasItem("Invalid uuid"));
        String workspaceId = workspace.workspaceId().toString();
        String deviceId = UUID.randomUUID().toString();
        seamError(admin().body(Map.of("workspace_id", workspaceId, "device_id", deviceId, "battery_level", 1.5))
                .post("/admin/sandbox/report_battery_level").then(), 400, "invalid_input")
                .body("error.validation_errors.battery_level._errors", hasItem("Number must be between 0 and 1"));
        seamError(admin().body(Map.of("workspace_id", workspaceId, "device_id", deviceId, "battery_level", "low"))
                .post("/admin/sandbox/report_battery_level").then(), 400, "invalid_input");
        seamError(admin().body(Map.of("workspace_id", workspaceId, "device_id", deviceId, "battery_level", 0.5))
                .post("/admin/sandbox/report_battery_level").then(), 404, "device_not_found");
        seamError(admin().body(Map.of("workspace_id", workspaceId, "acs_system_id", UUID.randomUUID().toString()))
                .post("/admin/sandbox/list_acs_credentials").then(), 404, "acs_system_not_found");

        DeviceTestSupport.Sandbox sandbox = DeviceTestSupport.sandbox();
        seamError(admin().body(Map.of("workspace_id", sandbox.workspace().workspaceId().toString(),
                "device_id", sandbox.deviceId("ecobee_thermostat"), "battery_level", 0.5))
                .post("/admin/sandbox/report_battery_level").then(), 400, "invalid_input")
                .body("error.validation_errors.device_id._errors", hasItem("The device has no battery"));
    }

    @Test
    void unknownIdsAreNotFound() {
        String unknown = UUID.randomUUID().toString();
        seamError(post(workspace, "/devices/get", Map.of("device_id", unknown)), 404, "device_not_found");
        seamError(post(workspace, "/devices/get", Map.of("name", "No Such Door")), 404, "device_not_found");
        seamError(as(workspace).body(Map.of("device_id", unknown, "name", "x")).patch("/devices/update").then(), 404, "device_not_found");
        for (String simulation : List.of("/devices/simulate/connect", "/devices/simulate/disconnect", "/devices/simulate/remove")) {
            seamError(post(workspace, simulation, Map.of("device_id", unknown)), 404, "device_not_found");
        }
        seamError(post(workspace, "/acs/systems/get", Map.of("acs_system_id", unknown)), 404, "acs_system_not_found");
        seamError(as(workspace).queryParam("acs_system_id", unknown).get("/acs/systems/get").then(), 404, "acs_system_not_found");
    }

    @Test
    void oversizedBodiesAndHugeStringsAreRefused() {
        String huge = "{\"device_id\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        for (String path : PATHS) {
            seamError(as(workspace).body(huge).post(path).then(), 413, "payload_too_large");
        }
        invalid("/devices/list", Map.of("search", "x".repeat(20_000)));
        invalid("/devices/get", Map.of("name", "x".repeat(20_000)));
    }

    @Test
    void wrongMethodsAndUnknownPathsAreSeamErrors() {
        seamError(as(workspace).get("/devices/simulate/connect").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").put("/devices/get").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").delete("/devices/update").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").patch("/acs/systems/list").then(), 405, "method_not_allowed");
        seamError(admin().get("/admin/sandbox/provision_workspace").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").post("/devices/nope").then(), 404, "endpoint_not_found");
        seamError(as(workspace).body("{}").post("/acs/systems/nope").then(), 404, "endpoint_not_found");
    }

    @Test
    void absentWrongAndRevokedKeysAreUnauthorized() {
        for (String path : PATHS) {
            seamError(RestAssured.given().contentType(ContentType.JSON).body("{}").post(path).then(), 401, "unauthorized");
            seamError(RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer seam_wrong")
                    .body("{}").post(path).then(), 401, "unauthorized");
            seamError(RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Basic abc")
                    .body("{}").post(path).then(), 401, "unauthorized");
        }
        for (String path : ADMIN_PATHS) {
            seamError(RestAssured.given().contentType(ContentType.JSON).body("{}").post(path).then(), 401, "unauthorized");
            seamError(as(workspace).body("{}").post(path).then(), 401, "unauthorized");
        }
        TestWorkspaces.Workspace revoked = DeviceTestSupport.workspace();
        DeviceTestSupport.WORKSPACES.revoke(revoked);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                as(revoked).body("{}").post("/devices/list").statusCode() == 401);
        seamError(post(revoked, "/acs/systems/list", Map.of()), 401, "unauthorized");
    }
}
