package com.lockstep.phone;

import com.lockstep.testkit.TestEvents;
import com.lockstep.testkit.TestWorkspaces;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** What the phone-service tests share: a workspace with a working key, and calls in Seam's shapes. */
final class PhoneTestSupport {

    static final TestEvents EVENTS = TestEvents.onRealServers();
    static final TestWorkspaces WORKSPACES = new TestWorkspaces(EVENTS);

    private PhoneTestSupport() {
    }

    /** A new workspace whose key phone-service already accepts. */
    static TestWorkspaces.Workspace workspace() {
        TestWorkspaces.Workspace workspace = WORKSPACES.create();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                as(workspace).body("{}").post("/phones/list").statusCode() == 200);
        return workspace;
    }

    static RequestSpecification as(TestWorkspaces.Workspace workspace) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + workspace.apiKey());
    }

    static ValidatableResponse post(TestWorkspaces.Workspace workspace, String path, Map<String, ?> body) {
        return as(workspace).body(body).post(path).then();
    }

    static String createPhone(TestWorkspaces.Workspace workspace, String userIdentityId) {
        return post(workspace, "/phones/simulate/create_sandbox_phone", Map.of("user_identity_id", userIdentityId))
                .statusCode(200).extract().path("phone.device_id");
    }
}
