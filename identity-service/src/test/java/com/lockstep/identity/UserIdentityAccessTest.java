package com.lockstep.identity;

import com.lockstep.events.acs_system.AcsSystemDisconnected;
import com.lockstep.events.common.ResourceError;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.lockstep.identity.IdentityTestSupport.EVENTS;
import static com.lockstep.identity.IdentityTestSupport.acsSystemAdded;
import static com.lockstep.identity.IdentityTestSupport.acsUserCreated;
import static com.lockstep.identity.IdentityTestSupport.acsUserDeleted;
import static com.lockstep.identity.IdentityTestSupport.acsUserUpdated;
import static com.lockstep.identity.IdentityTestSupport.acsUserIdsOf;
import static com.lockstep.identity.IdentityTestSupport.addAcsUserOnceKnown;
import static com.lockstep.identity.IdentityTestSupport.as;
import static com.lockstep.identity.IdentityTestSupport.awaitProjected;
import static com.lockstep.identity.IdentityTestSupport.createIdentity;
import static com.lockstep.identity.IdentityTestSupport.deviceRemoved;
import static com.lockstep.identity.IdentityTestSupport.deviceState;
import static com.lockstep.identity.IdentityTestSupport.grantOnceDeviceIsKnown;
import static com.lockstep.identity.IdentityTestSupport.lock;
import static com.lockstep.identity.IdentityTestSupport.post;
import static com.lockstep.identity.IdentityTestSupport.uuid;
import static com.lockstep.identity.IdentityTestSupport.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * ACS users, ACS systems and devices of an identity, from the projections of other contexts'
 * events (published here as those contexts would), and the links and grants identity-service owns.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class UserIdentityAccessTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void addAcsUserLinksOnceAndListsTheAcsUserAndItsSystem() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace, Map.of("full_name", "Dana Diaz", "email_address", "dana@example.com"));
        String system = uuid();
        String acsUser = uuid();
        acsSystemAdded(workspace, system, "Front desk");
        acsUserCreated(workspace, acsUser, system, null, "Dana Diaz", "dana@example.com", "+15555550444");
        addAcsUserOnceKnown(workspace, identity, acsUser);
        as(workspace).body(Map.of("user_identity_id", identity, "acs_user_id", acsUser)).put("/user_identities/add_acs_user")
                .then().statusCode(200).body("ok", equalTo(true));

        post(workspace, "/user_identities/list_acs_users", Map.of("user_identity_id", identity)).statusCode(200)
                .body("acs_users", hasSize(1))
                .body("acs_users[0].acs_user_id", equalTo(acsUser))
                .body("acs_users[0].acs_system_id", equalTo(system))
                .body("acs_users[0].workspace_id", equalTo(workspace.workspaceId().toString()))
                .body("acs_users[0].full_name", equalTo("Dana Diaz"))
                .body("acs_users[0].user_identity_id", equalTo(identity))
                .body("acs_users[0].user_identity_email_address", equalTo("dana@example.com"))
                .body("acs_users[0].is_managed", equalTo(true))
                .body("acs_users[0].errors", hasSize(0));
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.acs_user_ids", equalTo(List.of(acsUser)))
                .body("user_identity.warnings[0].warning_code", equalTo("acs_user_profile_does_not_match_user_identity"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as(workspace).queryParam("user_identity_id", identity).get("/user_identities/list_acs_systems").then()
                        .statusCode(200)
                        .body("acs_systems", hasSize(1))
                        .body("acs_systems[0].acs_system_id", equalTo(system))
                        .body("acs_systems[0].name", equalTo("Front desk"))
                        .body("acs_systems[0].is_credential_manager", equalTo(true))
                        .body("acs_systems[0].external_type", equalTo("assa_abloy_credential_service"))
                        .body("acs_systems[0].errors", hasSize(0)));

        EVENTS.publish(Topics.ACS_SYSTEM_EVENTS, system, AcsSystemDisconnected.newBuilder()
                .setEventId(uuid()).setEventType("acs_system.disconnected")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsSystemId(system).setConnectedAccountId(uuid())
                .setAcsSystemErrors(List.of(ResourceError.newBuilder().setErrorCode("seam_bridge_disconnected")
                        .setMessage("Seam Bridge is offline").setCreatedAt(Instant.now()).build()))
                .setAcsSystemWarnings(List.of()).setConnectedAccountErrors(List.of()).setConnectedAccountWarnings(List.of())
                .build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                post(workspace, "/user_identities/list_acs_systems", Map.of("user_identity_id", identity)).statusCode(200)
                        .body("acs_systems[0].errors[0].error_code", equalTo("seam_bridge_disconnected")));
    }

    @Test
    void removeAcsUserIsIdempotentAndAnAcsUserBelongsToOneIdentityAndOnePerSystem() {
        TestWorkspaces.Workspace workspace = workspace();
        String first = createIdentity(workspace);
        String second = createIdentity(workspace);
        String system = uuid();
        String acsUser = uuid();
        String sameSystemUser = uuid();
        acsUserCreated(workspace, acsUser, system, null, "Eve", null, null);
        acsUserCreated(workspace, sameSystemUser, system, null, "Eve again", null, null);
        addAcsUserOnceKnown(workspace, first, acsUser);
        await().atMost(Duration.ofSeconds(10)).until(() -> post(workspace, "/user_identities/add_acs_user",
                Map.of("user_identity_id", first, "acs_user_id", sameSystemUser)).extract().statusCode() == 409);
        post(workspace, "/user_identities/add_acs_user", Map.of("user_identity_id", first, "acs_user_id", sameSystemUser))
                .statusCode(409).body("error.type", equalTo("user_identity_already_has_acs_user_in_acs_system"));
        post(workspace, "/user_identities/add_acs_user", Map.of("user_identity_id", second, "acs_user_id", acsUser))
                .statusCode(409).body("error.type", equalTo("acs_user_already_linked"));

        as(workspace).queryParam("user_identity_id", first).queryParam("acs_user_id", acsUser)
                .delete("/user_identities/remove_acs_user").then().statusCode(200).body("ok", equalTo(true));
        as(workspace).queryParam("user_identity_id", first).queryParam("acs_user_id", acsUser)
                .delete("/user_identities/remove_acs_user").then().statusCode(200);
        assertThat(acsUserIdsOf(workspace, first)).isEmpty();
        post(workspace, "/user_identities/add_acs_user", Map.of("user_identity_id", second, "acs_user_id", acsUser)).statusCode(200);
        assertThat(acsUserIdsOf(workspace, second)).containsExactly(acsUser);
    }

    @Test
    void addAcsUserByANewKeyCreatesTheIdentityFromTheAcsUser() {
        TestWorkspaces.Workspace workspace = workspace();
        String acsUser = uuid();
        acsUserCreated(workspace, acsUser, uuid(), null, "Finn Fox", "finn@example.com", "+15555550555");
        await().atMost(Duration.ofSeconds(10)).until(() -> post(workspace, "/user_identities/add_acs_user",
                Map.of("user_identity_key", "finn", "acs_user_id", acsUser)).extract().statusCode() == 200);
        post(workspace, "/user_identities/get", Map.of("user_identity_key", "finn")).statusCode(200)
                .body("user_identity.full_name", equalTo("Finn Fox"))
                .body("user_identity.email_address", equalTo("finn@example.com"))
                .body("user_identity.phone_number", equalTo("+15555550555"))
                .body("user_identity.acs_user_ids", equalTo(List.of(acsUser)))
                .body("user_identity.warnings", hasSize(0));
        post(workspace, "/user_identities/add_acs_user", Map.of("user_identity_key", "finn", "acs_user_id", acsUser)).statusCode(200);
    }

    @Test
    void anAcsUserCreatedForAnIdentityIsLinkedAndUnlinkedWhenDeleted() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String system = uuid();
        String acsUser = uuid();
        acsUserCreated(workspace, acsUser, system, identity, "Gus", null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> acsUserIdsOf(workspace, identity).contains(acsUser));
        acsUserDeleted(workspace, acsUser, system);
        await().atMost(Duration.ofSeconds(10)).until(() -> acsUserIdsOf(workspace, identity).isEmpty());
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.acs_user_ids", hasSize(0));
    }

    /**
     * credential-service deletes an identity's ACS user and creates another for it on the same
     * system; each event is keyed by its own ACS user, so identity-service may apply the creation
     * first. The new ACS user is the identity's from then on, as credential-service answered.
     */
    @Test
    void anAcsUserCreatedForAnIdentityTakesThePlaceOfOneWhoseDeletionIsNotAppliedYet() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String system = uuid();
        String deleted = uuid();
        String created = uuid();
        acsSystemAdded(workspace, system, "Side door");
        acsUserCreated(workspace, deleted, system, identity, "Hal", null, null);
        assertThat(acsUserIdsOf(workspace, identity)).containsExactly(deleted);
        acsUserCreated(workspace, created, system, identity, "Hal", null, null);
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.acs_user_ids", equalTo(List.of(created)));
        post(workspace, "/user_identities/list_acs_systems", Map.of("user_identity_id", identity)).statusCode(200)
                .body("acs_systems.acs_system_id", equalTo(List.of(system)));
        acsUserDeleted(workspace, deleted, system);
        assertThat(acsUserIdsOf(workspace, identity)).containsExactly(created);
    }

    @Test
    void anAcsUserUpdatedShowsInListAcsUsersWithItsSuspensionAndAccessSchedule() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace, Map.of("full_name", "Ivy Imes", "email_address", "ivy@example.com"));
        String system = uuid();
        String acsUser = uuid();
        // No waiting after an event: the read fence waits until the projection has applied it.
        acsUserCreated(workspace, acsUser, system, identity, "Ivy Imes", "ivy@example.com", null);
        String createdAt = post(workspace, "/user_identities/list_acs_users", Map.of("user_identity_id", identity)).statusCode(200)
                .body("acs_users", hasSize(1))
                .body("acs_users[0].acs_user_id", equalTo(acsUser))
                .body("acs_users[0].is_suspended", equalTo(false))
                .body("acs_users[0].access_schedule", nullValue())
                .extract().path("acs_users[0].created_at");
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.warnings", hasSize(0));

        acsUserUpdated(workspace, acsUser, system, identity, "Ivy Renamed", "ivy.new@example.com", "+15555550777", true,
                Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-02-01T00:00:00Z"));
        post(workspace, "/user_identities/list_acs_users", Map.of("user_identity_id", identity)).statusCode(200)
                .body("acs_users", hasSize(1))
                .body("acs_users[0].acs_user_id", equalTo(acsUser))
                .body("acs_users[0].display_name", equalTo("Ivy Renamed"))
                .body("acs_users[0].full_name", equalTo("Ivy Renamed"))
                .body("acs_users[0].email_address", equalTo("ivy.new@example.com"))
                .body("acs_users[0].phone_number", equalTo("+15555550777"))
                .body("acs_users[0].is_suspended", equalTo(true))
                .body("acs_users[0].access_schedule.starts_at", equalTo("2027-01-01T00:00:00.000Z"))
                .body("acs_users[0].access_schedule.ends_at", equalTo("2027-02-01T00:00:00.000Z"))
                .body("acs_users[0].created_at", equalTo(createdAt))
                .body("acs_users[0].last_successful_sync_at", equalTo(createdAt))
                .body("acs_users[0].user_identity_id", equalTo(identity))
                .body("acs_users[0].user_identity_full_name", equalTo("Ivy Imes"));
        // The identity's warning compares it with the ACS user's fields as they are now.
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.warnings[0].warning_code", equalTo("acs_user_profile_does_not_match_user_identity"));

        acsUserUpdated(workspace, acsUser, system, identity, "Ivy Renamed", "ivy.new@example.com", null, false,
                Instant.parse("2027-01-01T00:00:00Z"), null);
        post(workspace, "/user_identities/list_acs_users", Map.of("user_identity_id", identity)).statusCode(200)
                .body("acs_users[0].is_suspended", equalTo(false))
                .body("acs_users[0].phone_number", nullValue())
                .body("acs_users[0].access_schedule.starts_at", equalTo("2027-01-01T00:00:00.000Z"))
                .body("acs_users[0].access_schedule.containsKey('ends_at')", equalTo(true))
                .body("acs_users[0].access_schedule.ends_at", nullValue());
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.acs_user_ids", equalTo(List.of(acsUser)));
    }

    @Test
    void createWithAcsSystemIdsLinksTheMatchingAcsUser() {
        TestWorkspaces.Workspace workspace = workspace();
        String matching = uuid();
        String empty = uuid();
        String acsUser = uuid();
        acsSystemAdded(workspace, matching, "Matching");
        acsSystemAdded(workspace, empty, "Empty");
        acsUserCreated(workspace, acsUser, matching, null, "Hana", "HANA@example.com", null);
        awaitProjected(dataSource, "acs_system", "acs_system_id", matching);
        awaitProjected(dataSource, "acs_system", "acs_system_id", empty);
        awaitProjected(dataSource, "acs_user", "acs_user_id", acsUser);

        post(workspace, "/user_identities/create", Map.of("acs_system_ids", List.of(matching, empty),
                "email_address", "hana@example.com", "full_name", "Hana")).statusCode(200)
                .body("user_identity.acs_user_ids", equalTo(List.of(acsUser)));
        post(workspace, "/user_identities/create", Map.of("acs_system_ids", List.of(uuid()))).statusCode(404)
                .body("error.type", equalTo("acs_system_not_found"));
    }

    @Test
    void grantsAreIdempotentAndListFullDeviceObjectsUnderBothKeys() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String frontDoor = uuid();
        String backDoor = uuid();
        deviceState(lock(workspace, frontDoor, "Front door"));
        deviceState(lock(workspace, backDoor, "Back door"));
        grantOnceDeviceIsKnown(workspace, identity, frontDoor);
        grantOnceDeviceIsKnown(workspace, identity, backDoor);
        as(workspace).body(Map.of("user_identity_id", identity, "device_id", frontDoor)).put("/user_identities/grant_access_to_device")
                .then().statusCode(200).body("ok", equalTo(true));

        var listed = as(workspace).queryParam("user_identity_id", identity).get("/user_identities/list_accessible_devices")
                .then().statusCode(200)
                .body("devices.device_id", equalTo(List.of(frontDoor, backDoor)))
                .body("accessible_devices.device_id", equalTo(List.of(frontDoor, backDoor)))
                .body("devices[0].display_name", equalTo("Front door"))
                .body("devices[0].device_type", equalTo("august_lock"))
                .body("devices[0].properties.locked", equalTo(true))
                .body("devices[0].properties.model.manufacturer_display_name", equalTo("August"))
                .body("devices[0].workspace_id", equalTo(workspace.workspaceId().toString()))
                .extract();
        assertThat(listed.<Object>path("devices")).isEqualTo(listed.path("accessible_devices"));

        deviceState(lock(workspace, frontDoor, "Front door (renamed)"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", identity))
                        .body("devices[0].display_name", equalTo("Front door (renamed)")));

        as(workspace).queryParam("user_identity_id", identity).queryParam("device_id", backDoor)
                .delete("/user_identities/revoke_access_to_device").then().statusCode(200).body("ok", equalTo(true));
        as(workspace).queryParam("user_identity_id", identity).queryParam("device_id", backDoor)
                .delete("/user_identities/revoke_access_to_device").then().statusCode(200);
        post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", identity))
                .body("devices.device_id", equalTo(List.of(frontDoor)));

        deviceRemoved(frontDoor);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", identity))
                        .body("devices", hasSize(0)).body("accessible_devices", hasSize(0)));
        post(workspace, "/user_identities/grant_access_to_device", Map.of("user_identity_id", identity, "device_id", frontDoor))
                .statusCode(404).body("error.type", equalTo("device_not_found"));
    }
}
