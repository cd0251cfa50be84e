package com.lockstep.phone;

import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.phone.events.incoming.UserIdentitiesConsumer;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.TestEvents;
import com.lockstep.testkit.TestWorkspaces;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * What the phone-service tests share: a workspace with a working key, its user identities (as
 * identity-service publishes them), and calls in Seam's shapes.
 */
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

    /** Publishes user_identity.created, as identity-service does, and waits until phone-service has read it. */
    static String userIdentity(TestWorkspaces.Workspace workspace) {
        String identityId = UUID.randomUUID().toString();
        publishAndAwait(identityId, UserIdentityCreated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("user_identity.created")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identityId)
                .build());
        return identityId;
    }

    /** Publishes user_identity.deleted and waits until phone-service has read it. */
    static void deleteUserIdentity(TestWorkspaces.Workspace workspace, String identityId) {
        publishAndAwait(identityId, UserIdentityDeleted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("user_identity.deleted")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identityId)
                .build());
    }

    private static void publishAndAwait(String identityId, Object event) {
        EVENTS.publish(Topics.USER_IDENTITY_EVENTS, identityId, event);
        EVENTS.awaitConsumed(UserIdentitiesConsumer.CONSUMER_GROUP, Topics.USER_IDENTITY_EVENTS, Duration.ofSeconds(10));
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
