package com.lockstep.identity;

import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.acs_user.AcsUserDeleted;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.events.enrollment_automation.EnrollmentAutomationDeleted;
import com.lockstep.events.enrollment_automation.EnrollmentAutomationLaunched;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.schemas.Topics;
import com.lockstep.state.device.DeviceAppearance;
import com.lockstep.state.device.DeviceModel;
import com.lockstep.state.device.DeviceProperties;
import com.lockstep.state.device.DeviceState;
import com.lockstep.testkit.TestEvents;
import com.lockstep.testkit.TestWorkspaces;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * What the user identity tests share: a workspace with a working key, calls in Seam's shapes,
 * and the events of the contexts identity-service projects (phones, credentials, ACS users and
 * systems, enrollment automations, device state), published as those contexts would.
 */
final class IdentityTestSupport {

    static final TestEvents EVENTS = TestEvents.onRealServers();
    static final TestWorkspaces WORKSPACES = new TestWorkspaces(EVENTS);
    static final String ADMIN_TOKEN = "test-admin-token";

    private IdentityTestSupport() {
    }

    /** A new workspace whose key identity-service already accepts. */
    static TestWorkspaces.Workspace workspace() {
        TestWorkspaces.Workspace workspace = WORKSPACES.create();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                as(workspace).body("{}").post("/user_identities/list").statusCode() == 200);
        return workspace;
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

    static String createIdentity(TestWorkspaces.Workspace workspace, Map<String, ?> body) {
        return post(workspace, "/user_identities/create", body).statusCode(200).extract().path("user_identity.user_identity_id");
    }

    static String createIdentity(TestWorkspaces.Workspace workspace) {
        return createIdentity(workspace, Map.of("full_name", "Test User " + UUID.randomUUID().toString().substring(0, 8)));
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }

    // --- events of other contexts, as they publish them ---

    static void phoneRegistered(TestWorkspaces.Workspace workspace, String deviceId, String owner) {
        EVENTS.publish(Topics.PHONE_EVENTS, deviceId, PhoneRegistered.newBuilder()
                .setEventId(uuid()).setEventType("phone.registered")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setDeviceId(deviceId).setOwnerUserIdentityId(owner).setDeviceType("ios_phone")
                .build());
    }

    static void phoneDeactivated(TestWorkspaces.Workspace workspace, String deviceId, String owner) {
        EVENTS.publish(Topics.PHONE_EVENTS, deviceId, PhoneDeactivated.newBuilder()
                .setEventId(uuid()).setEventType("phone.deactivated")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setDeviceId(deviceId).setOwnerUserIdentityId(owner)
                .build());
    }

    /** {@code userIdentityId} or {@code acsUserId} may be null, as credential-service may leave them. */
    static void credentialIssued(TestWorkspaces.Workspace workspace, String credentialId, String userIdentityId,
                                 String acsUserId, String phoneId) {
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, AcsCredentialIssued.newBuilder()
                .setEventId(uuid()).setEventType("acs_credential.issued")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId).setAcsSystemId(uuid()).setAccessMethod("mobile_key")
                .setUserIdentityId(userIdentityId).setAcsUserId(acsUserId).setDeviceId(phoneId)
                .build());
    }

    static void credentialDeleted(TestWorkspaces.Workspace workspace, String credentialId, String userIdentityId) {
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, AcsCredentialDeleted.newBuilder()
                .setEventId(uuid()).setEventType("acs_credential.deleted")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId).setAcsSystemId(uuid()).setUserIdentityId(userIdentityId)
                .build());
    }

    static void enrollmentAutomationLaunched(TestWorkspaces.Workspace workspace, String automationId, String userIdentityId) {
        EVENTS.publish(Topics.ENROLLMENT_AUTOMATION_EVENTS, automationId, EnrollmentAutomationLaunched.newBuilder()
                .setEventId(uuid()).setEventType("enrollment_automation.launched")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setEnrollmentAutomationId(automationId).setUserIdentityId(userIdentityId)
                .setCredentialManagerAcsSystemId(uuid())
                .build());
    }

    static void enrollmentAutomationDeleted(TestWorkspaces.Workspace workspace, String automationId, String userIdentityId) {
        EVENTS.publish(Topics.ENROLLMENT_AUTOMATION_EVENTS, automationId, EnrollmentAutomationDeleted.newBuilder()
                .setEventId(uuid()).setEventType("enrollment_automation.deleted")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setEnrollmentAutomationId(automationId).setUserIdentityId(userIdentityId)
                .build());
    }

    static void acsSystemAdded(TestWorkspaces.Workspace workspace, String acsSystemId, String name) {
        EVENTS.publish(Topics.ACS_SYSTEM_EVENTS, acsSystemId, AcsSystemAdded.newBuilder()
                .setEventId(uuid()).setEventType("acs_system.added")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsSystemId(acsSystemId).setConnectedAccountId(uuid()).setName(name)
                .setExternalType("assa_abloy_credential_service").setIsCredentialManager(true)
                .build());
    }

    /** An ACS user with a profile; {@code userIdentityId} null: created for no identity. */
    static void acsUserCreated(TestWorkspaces.Workspace workspace, String acsUserId, String acsSystemId, String userIdentityId,
                               String fullName, String email, String phone) {
        EVENTS.publish(Topics.ACS_USER_EVENTS, acsUserId, AcsUserCreated.newBuilder()
                .setEventId(uuid()).setEventType("acs_user.created")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsUserId(acsUserId).setAcsSystemId(acsSystemId).setConnectedAccountId(uuid())
                .setUserIdentityId(userIdentityId)
                .setDisplayName(fullName == null ? "ACS user" : fullName)
                .setFullName(fullName).setEmailAddress(email).setPhoneNumber(phone)
                .build());
    }

    /** An ACS user's fields after a change, as credential-service publishes them (schedule: both null for none). */
    static void acsUserUpdated(TestWorkspaces.Workspace workspace, String acsUserId, String acsSystemId, String userIdentityId,
                               String fullName, String email, String phone, boolean suspended, Instant startsAt, Instant endsAt) {
        EVENTS.publish(Topics.ACS_USER_EVENTS, acsUserId, AcsUserUpdated.newBuilder()
                .setEventId(uuid()).setEventType("acs_user.updated")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsUserId(acsUserId).setAcsSystemId(acsSystemId)
                .setUserIdentityId(userIdentityId)
                .setDisplayName(fullName).setFullName(fullName).setEmailAddress(email).setPhoneNumber(phone)
                .setIsSuspended(suspended).setAccessScheduleStartsAt(startsAt).setAccessScheduleEndsAt(endsAt)
                .build());
    }

    static void acsUserDeleted(TestWorkspaces.Workspace workspace, String acsUserId, String acsSystemId) {
        EVENTS.publish(Topics.ACS_USER_EVENTS, acsUserId, AcsUserDeleted.newBuilder()
                .setEventId(uuid()).setEventType("acs_user.deleted")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsUserId(acsUserId).setAcsSystemId(acsSystemId)
                .build());
    }

    /** A lock's state as device-gateway publishes it on the compacted device state topic. */
    static DeviceState lock(TestWorkspaces.Workspace workspace, String deviceId, String name) {
        return DeviceState.newBuilder()
                .setDeviceId(deviceId)
                .setWorkspaceId(workspace.workspaceId().toString())
                .setConnectedAccountId(uuid())
                .setDeviceType("august_lock")
                .setDisplayName(name)
                .setCapabilitiesSupported(List.of("access_code", "lock"))
                .setProperties(DeviceProperties.newBuilder()
                        .setOnline(true)
                        .setName(name)
                        .setAppearance(DeviceAppearance.newBuilder().setName(name).build())
                        .setModel(DeviceModel.newBuilder().setDisplayName("Wi-Fi Smart Lock")
                                .setManufacturerDisplayName("August").build())
                        .setLocked(true)
                        .build())
                .setErrors(List.of())
                .setWarnings(List.of())
                .setCreatedAt(Instant.now())
                .setIsManaged(true)
                .setCustomMetadata(Map.of())
                .setCanRemotelyLock(true)
                .setCanRemotelyUnlock(true)
                .build();
    }

    static void deviceState(DeviceState device) {
        EVENTS.publish(Topics.DEVICE_STATE, device.getDeviceId(), device);
    }

    static void deviceRemoved(String deviceId) {
        EVENTS.publish(Topics.DEVICE_STATE, deviceId, null);
    }

    /** Grants access once the device's state has reached identity-service (until then: device_not_found). */
    static void grantOnceDeviceIsKnown(TestWorkspaces.Workspace workspace, String userIdentityId, String deviceId) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                post(workspace, "/user_identities/grant_access_to_device",
                        Map.of("user_identity_id", userIdentityId, "device_id", deviceId)).extract().statusCode() == 200);
    }

    /** Links the ACS user once it has reached identity-service (until then: acs_user_not_found). */
    static void addAcsUserOnceKnown(TestWorkspaces.Workspace workspace, String userIdentityId, String acsUserId) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                post(workspace, "/user_identities/add_acs_user",
                        Map.of("user_identity_id", userIdentityId, "acs_user_id", acsUserId)).extract().statusCode() == 200);
    }

    /** The ACS user ids list_acs_users shows for the identity. */
    static List<String> acsUserIdsOf(TestWorkspaces.Workspace workspace, String userIdentityId) {
        return post(workspace, "/user_identities/list_acs_users", Map.of("user_identity_id", userIdentityId))
                .statusCode(200).extract().path("acs_users.acs_user_id");
    }

    /** Waits until a projection has the row: the event that makes it has been applied. */
    static void awaitProjected(DataSource dataSource, String table, String idColumn, String id) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE " + idColumn + " = ?")) {
                select.setObject(1, UUID.fromString(id));
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }
}
