package com.lockstep.identity;

import com.lockstep.schemas.Topics;
import com.lockstep.state.api_key.ApiKeyState;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class WorkspaceAndApiKeyTest {

    private static final String ADMIN_TOKEN = "test-admin-token";

    private static RequestSpecification admin() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static RequestSpecification withKey(String key) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key);
    }

    private static ExtractableResponse<Response> createWorkspace(String name) {
        return admin().body(Map.of("name", name, "company_name", "Acme Properties")).post("/admin/workspaces/create")
                .then().statusCode(200).extract();
    }

    private static void awaitAccepted(String key) {
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                withKey(key).get("/workspaces/get").statusCode() == 200);
    }

    @Test
    void anOperatorCreatesAWorkspaceWhoseKeyWorksWithinASecond() {
        ExtractableResponse<Response> created = createWorkspace("Harbor View");
        String key = created.path("api_key.token");
        String workspaceId = created.path("workspace.workspace_id");
        assertThat(key).startsWith("seam_");
        awaitAccepted(key);

        withKey(key).get("/workspaces/get").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("workspace.workspace_id", equalTo(workspaceId))
                .body("workspace.name", equalTo("Harbor View"))
                .body("workspace.company_name", equalTo("Acme Properties"))
                .body("workspace.is_sandbox", equalTo(true))
                .body("workspace.is_suspended", equalTo(false))
                .body("workspace.is_publishable_key_auth_enabled", equalTo(false))
                .body("workspace.connect_webview_customization", equalTo(Map.of()));
        withKey(key).body("{}").post("/workspaces/list").then().statusCode(200)
                .body("workspaces", hasSize(1))
                .body("workspaces[0].workspace_id", equalTo(workspaceId));
    }

    @Test
    void keysAreStoredAndPublishedOnlyAsHashes() throws Exception {
        ExtractableResponse<Response> created = createWorkspace("Hashes");
        String key = created.path("api_key.token");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        List<ConsumerRecord<String, Object>> records = TestEvents.onRealServers().readUntil(Topics.API_KEY_STATE,
                read -> read.stream().anyMatch(r -> hash.equals(r.key())), Duration.ofSeconds(5));
        ConsumerRecord<String, Object> record = records.stream().filter(r -> hash.equals(r.key())).findFirst().orElseThrow();
        assertThat(((ApiKeyState) record.value()).getWorkspaceId()).isEqualTo(created.path("workspace.workspace_id"));
        assertThat(records).noneMatch(r -> r.key().contains(key) || String.valueOf(r.value()).contains(key));
    }

    @Test
    void aRevokedKeyFailsWithinASecondAndOtherKeysKeepWorking() {
        ExtractableResponse<Response> created = createWorkspace("Revocation");
        String workspaceId = created.path("workspace.workspace_id");
        String firstKey = created.path("api_key.token");
        ExtractableResponse<Response> second = admin().body(Map.of("workspace_id", workspaceId)).post("/admin/api_keys/create")
                .then().statusCode(200).body("api_key.workspace_id", equalTo(workspaceId)).extract();
        String secondKey = second.path("api_key.token");
        awaitAccepted(firstKey);
        awaitAccepted(secondKey);

        admin().body(Map.of("api_key_id", created.path("api_key.api_key_id"))).post("/admin/api_keys/revoke")
                .then().statusCode(200).body("ok", equalTo(true));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                withKey(firstKey).get("/workspaces/get").statusCode() == 401);
        withKey(secondKey).get("/workspaces/get").then().statusCode(200);
        admin().body(Map.of("api_key_id", created.path("api_key.api_key_id"))).post("/admin/api_keys/revoke")
                .then().statusCode(200);
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        for (String path : List.of("/admin/workspaces/create", "/admin/api_keys/create", "/admin/api_keys/revoke")) {
            seamError(RestAssured.given().contentType(ContentType.JSON).body("{}").post(path).then(), 401, "unauthorized");
            seamError(withKey("wrong-token").body("{}").post(path).then(), 401, "unauthorized");
        }
        String workspaceKey = createWorkspace("Not an admin").path("api_key.token");
        awaitAccepted(workspaceKey);
        seamError(withKey(workspaceKey).body(Map.of("name", "x")).post("/admin/workspaces/create").then(), 401, "unauthorized");
    }

    @Test
    void badInputGetsSeamErrors() {
        seamError(admin().body("{\"name\":").post("/admin/workspaces/create").then(), 400, "invalid_input");
        seamError(admin().body(Map.of("name", 7)).post("/admin/workspaces/create").then(), 400, "invalid_input")
                .body("error.validation_errors.name._errors[0]", startsWith("Expected string"));
        seamError(admin().body(Map.of()).post("/admin/workspaces/create").then(), 400, "invalid_input")
                .body("error.validation_errors.name._errors[0]", equalTo("Required"));
        seamError(admin().body(Map.of("workspace_id", "nope")).post("/admin/api_keys/create").then(), 400, "invalid_input");
        seamError(admin().body(Map.of("workspace_id", UUID.randomUUID().toString())).post("/admin/api_keys/create").then(),
                404, "workspace_not_found");
        seamError(admin().body(Map.of("api_key_id", UUID.randomUUID().toString())).post("/admin/api_keys/revoke").then(),
                404, "api_key_not_found");
        seamError(RestAssured.given().get("/workspaces/get").then(), 401, "unauthorized");
        seamError(withKey("seam_unknown").get("/workspaces/list").then(), 401, "unauthorized");
        seamError(withKey("seam_unknown").delete("/workspaces/get").then(), 405, "method_not_allowed");
    }

    private static ValidatableResponse seamError(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .header("seam-request-id", notNullValue())
                .body("ok", equalTo(false))
                .body("error.type", equalTo(type))
                .body("error.request_id", notNullValue());
    }
}
