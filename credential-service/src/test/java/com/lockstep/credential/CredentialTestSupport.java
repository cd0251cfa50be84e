package com.lockstep.credential;

import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.TestEvents;
import com.lockstep.testkit.TestWorkspaces;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * What the credential-service tests share: a workspace with a working key, and the other
 * contexts' events (ACS systems, user identities, phones) published as those contexts do.
 */
final class CredentialTestSupport {

    static final TestEvents EVENTS = TestEvents.onRealServers();
    static final TestWorkspaces WORKSPACES = new TestWorkspaces(EVENTS);
    static final Duration SOON = Duration.ofSeconds(15);

    /** A workspace with a credential-manager ACS system credential-service knows. */
    record Sandbox(TestWorkspaces.Workspace workspace, String acsSystemId) {
    }

    private CredentialTestSupport() {
    }

    static Sandbox sandbox() {
        TestWorkspaces.Workspace workspace = WORKSPACES.create();
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() ->
                as(workspace).body("{}").post("/acs/credentials/list").statusCode() == 200);
        String acsSystemId = acsSystem(workspace, "assa_abloy_credential_service", true);
        return new Sandbox(workspace, acsSystemId);
    }

    /** Publishes acs_system.added and waits until credential-service accepts ACS users on it. */
    static String acsSystem(TestWorkspaces.Workspace workspace, String externalType, boolean credentialManager) {
        String acsSystemId = UUID.randomUUID().toString();
        EVENTS.publish(Topics.ACS_SYSTEM_EVENTS, acsSystemId, AcsSystemAdded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_system.added")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsSystemId(acsSystemId)
                .setConnectedAccountId(UUID.randomUUID().toString())
                .setName("Sandbox " + externalType)
                .setExternalType(externalType)
                .setIsCredentialManager(credentialManager)
                .build());
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> as(workspace)
                .body(Map.of("acs_system_id", acsSystemId, "limit", 1)).post("/acs/users/list").statusCode() == 200
                && systemKnown(workspace, acsSystemId));
        return acsSystemId;
    }

    private static boolean systemKnown(TestWorkspaces.Workspace workspace, String acsSystemId) {
        // A credential on an unknown system is 404 acs_system_not_found; on a known one, 404 user_identity_not_found.
        String type = as(workspace).body(Map.of("access_method", "card", "acs_system_id", acsSystemId,
                        "user_identity_id", UUID.randomUUID().toString()))
                .post("/acs/credentials/create").then().extract().path("error.type");
        return "user_identity_not_found".equals(type);
    }

    /** Publishes user_identity.created and waits until credential-service knows the identity. */
    static String userIdentity(Sandbox sandbox, String fullName, String email, List<String> acsSystemIds) {
        String identityId = UUID.randomUUID().toString();
        EVENTS.publish(Topics.USER_IDENTITY_EVENTS, identityId, UserIdentityCreated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("user_identity.created")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identityId)
                .setUserIdentityKey(null)
                .setEmailAddress(email)
                .setPhoneNumber(null)
                .setFullName(fullName)
                .setAcsSystemIds(acsSystemIds)
                .build());
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> !"user_identity_not_found".equals(
                as(sandbox.workspace()).body(Map.of("access_method", "card", "acs_system_id", UUID.randomUUID().toString(),
                        "user_identity_id", identityId)).post("/acs/credentials/create").then().extract().path("error.type")));
        return identityId;
    }

    static String userIdentity(Sandbox sandbox) {
        return userIdentity(sandbox, "Jane Doe", "jane." + UUID.randomUUID() + "@example.com", List.of());
    }

    static String registerPhone(Sandbox sandbox, String ownerIdentityId) {
        String deviceId = UUID.randomUUID().toString();
        EVENTS.publish(Topics.PHONE_EVENTS, deviceId, PhoneRegistered.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("phone.registered")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setDeviceId(deviceId)
                .setOwnerUserIdentityId(ownerIdentityId)
                .setDeviceType("ios_phone")
                .setCustomSdkInstallationId(null)
                .build());
        return deviceId;
    }

    static PhoneDeactivated deactivation(Sandbox sandbox, String deviceId, String ownerIdentityId) {
        return PhoneDeactivated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("phone.deactivated")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setDeviceId(deviceId)
                .setOwnerUserIdentityId(ownerIdentityId)
                .build();
    }

    static void deactivatePhone(Sandbox sandbox, String deviceId, String ownerIdentityId) {
        EVENTS.publish(Topics.PHONE_EVENTS, deviceId, deactivation(sandbox, deviceId, ownerIdentityId));
    }

    static String createAcsUser(Sandbox sandbox, Map<String, ?> fields) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("acs_system_id", sandbox.acsSystemId(), "full_name", "Jane Doe"));
        body.putAll(fields);
        return post(sandbox.workspace(), "/acs/users/create", body).statusCode(200).extract().path("acs_user.acs_user_id");
    }

    /** The acs_user.created credential-service published for the ACS user. */
    static AcsUserCreated acsUserCreated(String acsUserId) {
        return (AcsUserCreated) EVENTS.readUntil(Topics.ACS_USER_EVENTS,
                        read -> read.stream().anyMatch(r -> acsUserId.equals(r.key())), SOON)
                .stream().filter(r -> acsUserId.equals(r.key())).findFirst().orElseThrow().value();
    }

    static RequestSpecification as(TestWorkspaces.Workspace workspace) {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + workspace.apiKey());
    }

    static ValidatableResponse post(TestWorkspaces.Workspace workspace, String path, Map<String, ?> body) {
        return as(workspace).body(body).post(path).then();
    }
}
