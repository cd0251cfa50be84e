package com.lockstep.phone;

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

import static com.lockstep.phone.PhoneTestSupport.as;
import static com.lockstep.phone.PhoneTestSupport.post;
import static com.lockstep.phone.PhoneTestSupport.workspace;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Every kind of bad request gets the right Seam error: never a 5xx, never a stack trace. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class PhoneBadInputTest {

    private static final List<String> PATHS = List.of("/phones/get", "/phones/list", "/phones/deactivate",
            "/phones/simulate/create_sandbox_phone");

    private TestWorkspaces.Workspace workspace;

    @BeforeEach
    void workspaceWithKey() {
        workspace = workspace();
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

    @Test
    void malformedJsonIsInvalidInput() {
        for (String path : PATHS) {
            seamError(as(workspace).body("{\"device_id\": ").post(path).then(), 400, "invalid_input");
            seamError(as(workspace).body("[1, 2]").post(path).then(), 400, "invalid_input");
        }
    }

    @Test
    void wrongTypesAndMissingFieldsNameTheParameter() {
        seamError(post(workspace, "/phones/get", Map.of("device_id", 42)), 400, "invalid_input")
                .body("error.validation_errors.device_id._errors", hasItem("Expected string, received number"));
        seamError(post(workspace, "/phones/get", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.device_id._errors", hasItem("Required"));
        seamError(post(workspace, "/phones/deactivate", Map.of("device_id", "not-a-uuid")), 400, "invalid_input")
                .body("error.validation_errors.device_id._errors", hasItem("Invalid uuid"));
        seamError(post(workspace, "/phones/list", Map.of("owner_user_identity_id", List.of("x"))), 400, "invalid_input")
                .body("error.validation_errors.owner_user_identity_id._errors", notNullValue());
        seamError(post(workspace, "/phones/list", Map.of("limit", "many")), 400, "invalid_input");
        seamError(post(workspace, "/phones/list", Map.of("page_cursor", "garbage!")), 400, "invalid_input")
                .body("error.validation_errors.page_cursor._errors", hasItem("Invalid page cursor"));
        seamError(post(workspace, "/phones/simulate/create_sandbox_phone", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.user_identity_id._errors", hasItem("Required"));
        seamError(post(workspace, "/phones/simulate/create_sandbox_phone", Map.of(
                "user_identity_id", UUID.randomUUID().toString(),
                "phone_metadata", Map.of("operating_system", "windows"),
                "assa_abloy_metadata", Map.of("ble_capability", "yes"))), 400, "invalid_input")
                .body("error.validation_errors.phone_metadata.operating_system._errors[0]", startsWith("Invalid enum value"))
                .body("error.validation_errors.assa_abloy_metadata.ble_capability._errors", hasItem("Expected boolean, received string"));
        seamError(as(workspace).queryParam("device_id", "nope").get("/phones/get").then(), 400, "invalid_input");
    }

    @Test
    void unknownIdsAreNotFound() {
        String unknown = UUID.randomUUID().toString();
        seamError(post(workspace, "/phones/get", Map.of("device_id", unknown)), 404, "phone_not_found");
        seamError(as(workspace).queryParam("device_id", unknown).delete("/phones/deactivate").then(), 404, "phone_not_found");
        seamError(post(workspace, "/phones/simulate/create_sandbox_phone", Map.of("user_identity_id", unknown)), 404,
                "user_identity_not_found");
    }

    @Test
    void oversizedBodyIsRefused() {
        String huge = "{\"device_id\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        seamError(as(workspace).body(huge).post("/phones/get").then(), 413, "payload_too_large");
    }

    @Test
    void hugeStringIsInvalidInput() {
        seamError(post(workspace, "/phones/simulate/create_sandbox_phone", Map.of(
                "user_identity_id", UUID.randomUUID().toString(), "custom_sdk_installation_id", "x".repeat(20_000))), 400, "invalid_input");
    }

    @Test
    void wrongMethodsAndUnknownPathsAreSeamErrors() {
        seamError(as(workspace).get("/phones/simulate/create_sandbox_phone").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").put("/phones/get").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").post("/phones/nope").then(), 404, "endpoint_not_found");
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
        TestWorkspaces.Workspace revoked = workspace();
        PhoneTestSupport.WORKSPACES.revoke(revoked);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                as(revoked).body("{}").post("/phones/list").statusCode() == 401);
        seamError(post(revoked, "/phones/list", Map.of()), 401, "unauthorized");
    }
}
