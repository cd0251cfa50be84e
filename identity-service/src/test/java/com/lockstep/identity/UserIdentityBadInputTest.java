package com.lockstep.identity;

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

import java.util.List;
import java.util.Map;

import static com.lockstep.identity.IdentityTestSupport.acsUserCreated;
import static com.lockstep.identity.IdentityTestSupport.addAcsUserOnceKnown;
import static com.lockstep.identity.IdentityTestSupport.as;
import static com.lockstep.identity.IdentityTestSupport.createIdentity;
import static com.lockstep.identity.IdentityTestSupport.deviceState;
import static com.lockstep.identity.IdentityTestSupport.grantOnceDeviceIsKnown;
import static com.lockstep.identity.IdentityTestSupport.lock;
import static com.lockstep.identity.IdentityTestSupport.post;
import static com.lockstep.identity.IdentityTestSupport.uuid;
import static com.lockstep.identity.IdentityTestSupport.workspace;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Every kind of bad request to every /user_identities endpoint gets the right Seam error: never a 5xx. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class UserIdentityBadInputTest {

    private static final List<String> PATHS = List.of("/user_identities/create", "/user_identities/get",
            "/user_identities/list", "/user_identities/update", "/user_identities/delete", "/user_identities/add_acs_user",
            "/user_identities/remove_acs_user", "/user_identities/list_acs_users", "/user_identities/list_acs_systems",
            "/user_identities/grant_access_to_device", "/user_identities/revoke_access_to_device",
            "/user_identities/list_accessible_devices", "/user_identities/generate_instant_key");

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
    void malformedJsonIsInvalidInputEverywhere() {
        for (String path : PATHS) {
            seamError(as(workspace).body("{\"user_identity_id\": ").post(path).then(), 400, "invalid_input");
            seamError(as(workspace).body("[1, 2]").post(path).then(), 400, "invalid_input");
            seamError(as(workspace).body("\"text\"").post(path).then(), 400, "invalid_input");
        }
    }

    @Test
    void missingRequiredIdsNameTheParameter() {
        for (String path : List.of("/user_identities/update", "/user_identities/delete", "/user_identities/list_acs_users",
                "/user_identities/list_acs_systems", "/user_identities/list_accessible_devices", "/user_identities/generate_instant_key")) {
            seamError(post(workspace, path, Map.of()), 400, "invalid_input")
                    .body("error.validation_errors.user_identity_id._errors", hasItem("Required"));
        }
        seamError(post(workspace, "/user_identities/get", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.user_identity_id._errors[0]", startsWith("Required"));
        seamError(post(workspace, "/user_identities/add_acs_user", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.acs_user_id._errors", hasItem("Required"))
                .body("error.validation_errors.user_identity_id._errors[0]", startsWith("Required"));
        seamError(post(workspace, "/user_identities/remove_acs_user", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.acs_user_id._errors", hasItem("Required"))
                .body("error.validation_errors.user_identity_id._errors", hasItem("Required"));
        for (String path : List.of("/user_identities/grant_access_to_device", "/user_identities/revoke_access_to_device")) {
            seamError(post(workspace, path, Map.of()), 400, "invalid_input")
                    .body("error.validation_errors.device_id._errors", hasItem("Required"))
                    .body("error.validation_errors.user_identity_id._errors", hasItem("Required"));
        }
    }

    @Test
    void wrongTypesAreInvalidInput() {
        String id = createIdentity(workspace);
        seamError(post(workspace, "/user_identities/create", Map.of("full_name", 42, "email_address", true,
                "phone_number", List.of("+1"), "user_identity_key", Map.of(), "acs_system_ids", "not-a-uuid")), 400, "invalid_input")
                .body("error.validation_errors.full_name._errors", hasItem("Expected string, received number"))
                .body("error.validation_errors.email_address._errors", hasItem("Expected string, received boolean"))
                .body("error.validation_errors.phone_number._errors", hasItem("Expected string, received array"))
                .body("error.validation_errors.user_identity_key._errors", hasItem("Expected string, received object"))
                .body("error.validation_errors.acs_system_ids._errors", hasItem("Invalid uuid"));
        seamError(post(workspace, "/user_identities/get", Map.of("user_identity_id", 7)), 400, "invalid_input")
                .body("error.validation_errors.user_identity_id._errors", hasItem("Expected string, received number"));
        seamError(post(workspace, "/user_identities/list", Map.of("limit", "many", "created_before", "yesterday",
                "user_identity_ids", List.of("x"), "credential_manager_acs_system_id", "nope", "search", 5,
                "page_cursor", "garbage!")), 400, "invalid_input")
                .body("error.validation_errors.limit._errors", notNullValue())
                .body("error.validation_errors.created_before._errors", hasItem("Invalid datetime"))
                .body("error.validation_errors.user_identity_ids._errors", hasItem("Invalid uuid"))
                .body("error.validation_errors.credential_manager_acs_system_id._errors", hasItem("Invalid uuid"))
                .body("error.validation_errors.search._errors", hasItem("Expected string, received number"))
                .body("error.validation_errors.page_cursor._errors", hasItem("Invalid page cursor"));
        seamError(post(workspace, "/user_identities/list", Map.of("limit", 0)), 400, "invalid_input");
        seamError(post(workspace, "/user_identities/update", Map.of("user_identity_id", id, "full_name", false)), 400, "invalid_input")
                .body("error.validation_errors.full_name._errors", hasItem("Expected string, received boolean"));
        seamError(post(workspace, "/user_identities/update", Map.of("user_identity_id", id, "full_name", "")), 400, "invalid_input")
                .body("error.validation_errors.full_name._errors", hasItem("String must contain at least 1 character(s)"));
        seamError(post(workspace, "/user_identities/create", Map.of("user_identity_key", "")), 400, "invalid_input")
                .body("error.validation_errors.user_identity_key._errors", hasItem("String must contain at least 1 character(s)"));
        seamError(as(workspace).queryParam("user_identity_id", "nope").delete("/user_identities/delete").then(), 400, "invalid_input");
        seamError(post(workspace, "/user_identities/add_acs_user", Map.of("user_identity_id", id, "acs_user_id", 1)), 400, "invalid_input");
        seamError(post(workspace, "/user_identities/remove_acs_user", Map.of("user_identity_id", id, "acs_user_id", "x")), 400, "invalid_input");
        seamError(as(workspace).queryParam("user_identity_id", "x").get("/user_identities/list_acs_users").then(), 400, "invalid_input");
        seamError(as(workspace).queryParam("user_identity_id", "x").get("/user_identities/list_acs_systems").then(), 400, "invalid_input");
        seamError(as(workspace).queryParam("user_identity_id", "x").get("/user_identities/list_accessible_devices").then(), 400, "invalid_input");
        seamError(post(workspace, "/user_identities/grant_access_to_device", Map.of("user_identity_id", id, "device_id", List.of())),
                400, "invalid_input");
        seamError(as(workspace).queryParam("user_identity_id", id).queryParam("device_id", "x")
                .delete("/user_identities/revoke_access_to_device").then(), 400, "invalid_input");
        seamError(post(workspace, "/user_identities/generate_instant_key", Map.of("user_identity_id", id, "max_use_count", "often",
                "customization_profile_id", 3)), 400, "invalid_input")
                .body("error.validation_errors.max_use_count._errors", notNullValue())
                .body("error.validation_errors.customization_profile_id._errors", notNullValue());
    }

    @Test
    void invalidEmailAddressesAndPhoneNumbersAreInvalidInput() {
        String id = createIdentity(workspace);
        for (String email : List.of("plain", "a@b", "@example.com", "a..b@example.com", "a b@example.com", "jane@example.c")) {
            seamError(post(workspace, "/user_identities/create", Map.of("email_address", email)), 400, "invalid_input")
                    .body("error.validation_errors.email_address._errors", hasItem("Invalid email"));
            seamError(post(workspace, "/user_identities/update", Map.of("user_identity_id", id, "email_address", email)), 400, "invalid_input")
                    .body("error.validation_errors.email_address._errors", hasItem("Invalid email"));
        }
        for (String phone : List.of("5555550100", "+0555550100", "+1 555 555 0100", "+1555555010012345", "+", "phone", "+1-555-555-0100")) {
            seamError(post(workspace, "/user_identities/create", Map.of("phone_number", phone)), 400, "invalid_input")
                    .body("error.validation_errors.phone_number._errors[0]", startsWith("Invalid phone number"));
            seamError(post(workspace, "/user_identities/update", Map.of("user_identity_id", id, "phone_number", phone)), 400, "invalid_input")
                    .body("error.validation_errors.phone_number._errors[0]", startsWith("Invalid phone number"));
        }
        post(workspace, "/user_identities/list", Map.of("user_identity_ids", List.of(id))).statusCode(200)
                .body("user_identities", hasSize(1));
    }

    @Test
    void unknownIdsAreNotFound() {
        String unknown = uuid();
        String identity = createIdentity(workspace);
        for (String path : List.of("/user_identities/get", "/user_identities/update", "/user_identities/delete",
                "/user_identities/list_acs_users", "/user_identities/list_acs_systems", "/user_identities/list_accessible_devices",
                "/user_identities/generate_instant_key")) {
            seamError(post(workspace, path, Map.of("user_identity_id", unknown)), 404, "user_identity_not_found");
        }
        seamError(post(workspace, "/user_identities/add_acs_user", Map.of("user_identity_id", identity, "acs_user_id", unknown)),
                404, "acs_user_not_found");
        seamError(post(workspace, "/user_identities/remove_acs_user", Map.of("user_identity_id", identity, "acs_user_id", unknown)),
                404, "acs_user_not_found");
        seamError(post(workspace, "/user_identities/remove_acs_user", Map.of("user_identity_id", unknown, "acs_user_id", unknown)),
                404, "user_identity_not_found");
        seamError(post(workspace, "/user_identities/grant_access_to_device", Map.of("user_identity_id", identity, "device_id", unknown)),
                404, "device_not_found");
        seamError(post(workspace, "/user_identities/revoke_access_to_device", Map.of("user_identity_id", identity, "device_id", unknown)),
                404, "device_not_found");
        seamError(post(workspace, "/user_identities/grant_access_to_device", Map.of("user_identity_id", unknown, "device_id", unknown)),
                404, "user_identity_not_found");
        seamError(post(workspace, "/user_identities/create", Map.of("acs_system_ids", List.of(unknown))), 404, "acs_system_not_found");
        seamError(post(workspace, "/user_identities/generate_instant_key", Map.of("user_identity_id", identity,
                "customization_profile_id", unknown)), 404, "customization_profile_not_found");
        post(workspace, "/user_identities/list", Map.of("user_identity_ids", List.of(unknown))).statusCode(200)
                .body("user_identities", hasSize(0));
    }

    @Test
    void anotherWorkspacesIdsAreNotFoundAndChangeNothing() {
        TestWorkspaces.Workspace stranger = workspace();
        String identity = createIdentity(workspace, Map.of("user_identity_key", "mine"));
        String acsUser = uuid();
        acsUserCreated(workspace, acsUser, uuid(), null, "Mine", null, null);
        addAcsUserOnceKnown(workspace, identity, acsUser);
        String device = uuid();
        deviceState(lock(workspace, device, "Mine"));
        grantOnceDeviceIsKnown(workspace, identity, device);
        String strangersIdentity = createIdentity(stranger);

        for (String path : List.of("/user_identities/get", "/user_identities/update", "/user_identities/delete",
                "/user_identities/list_acs_users", "/user_identities/list_acs_systems", "/user_identities/list_accessible_devices",
                "/user_identities/generate_instant_key")) {
            seamError(post(stranger, path, Map.of("user_identity_id", identity)), 404, "user_identity_not_found");
        }
        seamError(post(stranger, "/user_identities/get", Map.of("user_identity_key", "mine")), 404, "user_identity_not_found");
        seamError(post(stranger, "/user_identities/remove_acs_user", Map.of("user_identity_id", identity, "acs_user_id", acsUser)),
                404, "user_identity_not_found");
        seamError(post(stranger, "/user_identities/add_acs_user", Map.of("user_identity_id", strangersIdentity, "acs_user_id", acsUser)),
                404, "acs_user_not_found");
        seamError(post(stranger, "/user_identities/grant_access_to_device", Map.of("user_identity_id", strangersIdentity,
                "device_id", device)), 404, "device_not_found");
        seamError(post(stranger, "/user_identities/revoke_access_to_device", Map.of("user_identity_id", identity,
                "device_id", device)), 404, "user_identity_not_found");
        post(stranger, "/user_identities/list", Map.of()).statusCode(200).body("user_identities.user_identity_id",
                equalTo(List.of(strangersIdentity)));
        post(stranger, "/user_identities/list", Map.of("user_identity_ids", List.of(identity))).statusCode(200)
                .body("user_identities", hasSize(0));
        createIdentity(stranger, Map.of("user_identity_key", "mine"));

        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(200)
                .body("user_identity.acs_user_ids", equalTo(List.of(acsUser)));
        post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", identity)).statusCode(200)
                .body("devices", hasSize(1));
    }

    @Test
    void wrongMethodsAndAbsentKeysAreSeamErrors() {
        seamError(as(workspace).get("/user_identities/create").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").put("/user_identities/get").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").patch("/user_identities/add_acs_user").then(), 405, "method_not_allowed");
        seamError(as(workspace).get("/user_identities/generate_instant_key").then(), 405, "method_not_allowed");
        seamError(as(workspace).body("{}").post("/user_identities/nope").then(), 404, "endpoint_not_found");
        for (String path : PATHS) {
            seamError(RestAssured.given().contentType(ContentType.JSON).body("{}").post(path).then(), 401, "unauthorized");
        }
    }
}
