package com.lockstep.credential;

import com.lockstep.credential.CredentialTestSupport.Sandbox;
import com.lockstep.testkit.RealServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.lockstep.credential.CredentialTestSupport.as;
import static com.lockstep.credential.CredentialTestSupport.createAcsUser;
import static com.lockstep.credential.CredentialTestSupport.post;
import static com.lockstep.credential.CredentialTestSupport.sandbox;
import static com.lockstep.credential.CredentialTestSupport.userIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** Every kind of bad request to /acs/users/* and /acs/credentials/* gets the right Seam error: never a 5xx. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "credential_service"))
class CredentialBadInputTest {

    private static final List<String> PATHS = List.of("/acs/users/create", "/acs/users/get", "/acs/users/list",
            "/acs/users/update", "/acs/users/delete", "/acs/users/suspend", "/acs/users/unsuspend",
            "/acs/credentials/create", "/acs/credentials/get", "/acs/credentials/list", "/acs/credentials/assign",
            "/acs/credentials/unassign", "/acs/credentials/update", "/acs/credentials/delete");

    private Sandbox sandbox;
    private String acsUser;
    private String credential;

    @BeforeEach
    void sandboxWithAUserAndACredential() {
        sandbox = sandbox();
        acsUser = createAcsUser(sandbox, Map.of());
        credential = post(sandbox.workspace(), "/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "code",
                "code", "4242")).statusCode(200).extract().path("acs_credential.acs_credential_id");
    }

    private static ValidatableResponse seamError(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType(ContentType.JSON)
                .header("seam-request-id", notNullValue())
                .body("ok", equalTo(false))
                .body("error.type", equalTo(type))
                .body("error.message", notNullValue());
    }

    private ValidatableResponse call(String path, Map<String, ?> body) {
        return as(sandbox.workspace()).body(body).post(path).then();
    }

    @Test
    void malformedJsonAndNonObjectsAreInvalidInput() {
        for (String path : PATHS) {
            seamError(as(sandbox.workspace()).body("{\"acs_user_id\": ").post(path).then(), 400, "invalid_input");
            seamError(as(sandbox.workspace()).body("[1, 2]").post(path).then(), 400, "invalid_input");
        }
    }

    @Test
    void noKeyIsUnauthorizedEverywhere() {
        for (String path : PATHS) {
            seamError(RestAssured.given().contentType(ContentType.JSON).body("{}").post(path).then(), 401, "unauthorized");
        }
    }

    @Test
    void missingAndWronglyTypedParametersAreInvalidInputNamingTheParameter() {
        seamError(call("/acs/users/create", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.acs_system_id._errors", hasItem("Required"))
                .body("error.validation_errors.full_name._errors", hasItem("Required"));
        seamError(call("/acs/users/create", Map.of("acs_system_id", 42, "full_name", List.of("x"))), 400, "invalid_input")
                .body("error.validation_errors.acs_system_id._errors", hasItem("Expected string, received number"))
                .body("error.validation_errors.full_name._errors", hasItem("Expected string, received array"));
        seamError(call("/acs/users/create", Map.of("acs_system_id", sandbox.acsSystemId(), "full_name", "",
                "email_address", "not-an-email", "phone_number", "555", "user_identity_id", "nope",
                "access_schedule", Map.of("starts_at", "2027-01-02T00:00:00Z", "ends_at", "2027-01-01T00:00:00Z"))), 400, "invalid_input")
                .body("error.validation_errors.full_name._errors[0]", notNullValue())
                .body("error.validation_errors.email_address._errors", hasItem("Invalid email"))
                .body("error.validation_errors.phone_number._errors[0]", notNullValue())
                .body("error.validation_errors.user_identity_id._errors", hasItem("Invalid uuid"))
                .body("error.validation_errors.access_schedule.ends_at._errors[0]", notNullValue());
        for (String path : List.of("/acs/users/get", "/acs/users/delete", "/acs/users/suspend", "/acs/users/unsuspend", "/acs/users/update")) {
            seamError(call(path, Map.of()), 400, "invalid_input");
            seamError(call(path, Map.of("user_identity_id", UUID.randomUUID().toString())), 400, "invalid_input");
            seamError(call(path, Map.of("acs_user_id", "not-a-uuid")), 400, "invalid_input");
        }
        seamError(call("/acs/users/list", Map.of("limit", "many", "created_before", "yesterday", "page_cursor", "garbage")),
                400, "invalid_input")
                .body("error.validation_errors.limit._errors[0]", notNullValue())
                .body("error.validation_errors.created_before._errors", hasItem("Invalid datetime"))
                .body("error.validation_errors.page_cursor._errors", hasItem("Invalid page cursor"));

        seamError(call("/acs/credentials/create", Map.of()), 400, "invalid_input")
                .body("error.validation_errors.access_method._errors", hasItem("Required"));
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "pigeon")), 400, "invalid_input")
                .body("error.validation_errors.access_method._errors[0]", notNullValue());
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "code", "code", "12ab")),
                400, "invalid_input").body("error.validation_errors.code._errors[0]", notNullValue());
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "card", "code", "1234")),
                400, "invalid_input").body("error.validation_errors.code._errors[0]", notNullValue());
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "code",
                "is_multi_phone_sync_credential", true)), 400, "invalid_input")
                .body("error.validation_errors.is_multi_phone_sync_credential._errors[0]", notNullValue());
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "code",
                "starts_at", "2027-01-02T00:00:00Z", "ends_at", "2027-01-01T00:00:00Z")), 400, "invalid_input")
                .body("error.validation_errors.ends_at._errors[0]", notNullValue());
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "card",
                "allowed_acs_entrance_ids", List.of("x"), "visionline_metadata", "nope")), 400, "invalid_input")
                .body("error.validation_errors.allowed_acs_entrance_ids._errors", hasItem("Invalid uuid"))
                .body("error.validation_errors.visionline_metadata._errors", hasItem("Expected object, received string"));
        seamError(call("/acs/credentials/create", Map.of("access_method", "card")), 400, "invalid_input")
                .body("error.validation_errors.acs_user_id._errors[0]", notNullValue());
        seamError(call("/acs/credentials/update", Map.of("acs_credential_id", credential, "code", "x1", "ends_at", 5)), 400, "invalid_input");
    }

    @Test
    void listRefusesFilterCombinationsSeamRefuses() {
        String identity = UUID.randomUUID().toString();
        for (Map<String, String> filters : List.of(Map.of("user_identity_id", identity, "acs_user_id", acsUser),
                Map.of("user_identity_id", identity, "acs_system_id", sandbox.acsSystemId()))) {
            seamError(call("/acs/credentials/list", filters), 400, "invalid_input")
                    .body("error.validation_errors.user_identity_id._errors[0]", notNullValue());
            seamError(as(sandbox.workspace()).queryParams(filters).get("/acs/credentials/list").then(), 400, "invalid_input");
        }
        seamError(call("/acs/credentials/list", Map.of("is_multi_phone_sync_credential", "maybe")), 400, "invalid_input");
    }

    @Test
    void unknownIdsAreNotFound() {
        String unknown = UUID.randomUUID().toString();
        seamError(call("/acs/users/create", Map.of("acs_system_id", unknown, "full_name", "X")), 404, "acs_system_not_found");
        seamError(call("/acs/users/create", Map.of("acs_system_id", sandbox.acsSystemId(), "full_name", "X",
                "user_identity_id", unknown)), 404, "user_identity_not_found");
        for (String path : List.of("/acs/users/get", "/acs/users/delete", "/acs/users/suspend", "/acs/users/unsuspend", "/acs/users/update")) {
            seamError(call(path, Map.of("acs_user_id", unknown)), 404, "acs_user_not_found");
            seamError(call(path, Map.of("user_identity_id", unknown, "acs_system_id", sandbox.acsSystemId())), 404, "acs_user_not_found");
        }
        for (String path : List.of("/acs/credentials/get", "/acs/credentials/delete", "/acs/credentials/update")) {
            seamError(call(path, Map.of("acs_credential_id", unknown)), 404, "acs_credential_not_found");
        }
        seamError(call("/acs/credentials/assign", Map.of("acs_credential_id", unknown, "acs_user_id", acsUser)), 404, "acs_credential_not_found");
        seamError(call("/acs/credentials/assign", Map.of("acs_credential_id", credential, "acs_user_id", unknown)), 404, "acs_user_not_found");
        seamError(call("/acs/credentials/assign", Map.of("acs_credential_id", credential, "user_identity_id", unknown)), 404,
                "user_identity_not_found");
        seamError(call("/acs/credentials/unassign", Map.of("acs_credential_id", credential, "acs_user_id", unknown)), 404, "acs_user_not_found");
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", unknown, "access_method", "card")), 404, "acs_user_not_found");
        seamError(call("/acs/credentials/create", Map.of("user_identity_id", unknown, "acs_system_id", sandbox.acsSystemId(),
                "access_method", "card")), 404, "user_identity_not_found");
        seamError(call("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "card",
                "credential_manager_acs_system_id", unknown)), 404, "acs_system_not_found");
    }

    @Test
    void anotherWorkspacesIdsFindNothingAndChangeNothing() {
        Sandbox other = sandbox();
        String identity = userIdentity(sandbox);
        Map<String, Map<String, Object>> calls = new HashMap<>();
        calls.put("/acs/users/get", Map.of("acs_user_id", acsUser));
        calls.put("/acs/users/update", Map.of("acs_user_id", acsUser, "full_name", "Taken Over"));
        calls.put("/acs/users/suspend", Map.of("acs_user_id", acsUser));
        calls.put("/acs/users/unsuspend", Map.of("acs_user_id", acsUser));
        calls.put("/acs/users/delete", Map.of("acs_user_id", acsUser));
        calls.put("/acs/users/create", Map.of("acs_system_id", sandbox.acsSystemId(), "full_name", "X"));
        calls.put("/acs/credentials/get", Map.of("acs_credential_id", credential));
        calls.put("/acs/credentials/update", Map.of("acs_credential_id", credential, "code", "9999"));
        calls.put("/acs/credentials/delete", Map.of("acs_credential_id", credential));
        calls.put("/acs/credentials/assign", Map.of("acs_credential_id", credential, "acs_user_id", acsUser));
        calls.put("/acs/credentials/unassign", Map.of("acs_credential_id", credential, "acs_user_id", acsUser));
        calls.put("/acs/credentials/create", Map.of("acs_user_id", acsUser, "access_method", "card"));
        calls.forEach((path, body) -> assertThat(as(other.workspace()).body(body).post(path).then().extract().statusCode())
                .as(path).isEqualTo(404));
        seamError(as(other.workspace()).body(Map.of("user_identity_id", identity, "acs_system_id", other.acsSystemId(),
                "access_method", "card")).post("/acs/credentials/create").then(), 404, "user_identity_not_found");

        assertThat(as(other.workspace()).body(Map.of()).post("/acs/users/list").then().statusCode(200)
                .extract().jsonPath().getList("acs_users")).isEmpty();
        assertThat(as(other.workspace()).body(Map.of("acs_user_id", acsUser)).post("/acs/credentials/list").then().statusCode(200)
                .extract().jsonPath().getList("acs_credentials")).isEmpty();
        post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser)).statusCode(200)
                .body("acs_user.full_name", equalTo("Jane Doe")).body("acs_user.is_suspended", equalTo(false));
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", credential)).statusCode(200)
                .body("acs_credential.code", equalTo("4242")).body("acs_credential.acs_user_id", equalTo(acsUser));

        // Its own credential assigned to this workspace's identity: not found, and no ACS user is created for the identity.
        String othersCredential = post(other.workspace(), "/acs/credentials/create", Map.of("acs_user_id",
                createAcsUser(other, Map.of()), "access_method", "card")).statusCode(200).extract().path("acs_credential.acs_credential_id");
        seamError(as(other.workspace()).body(Map.of("acs_credential_id", othersCredential, "user_identity_id", identity))
                .patch("/acs/credentials/assign").then(), 404, "user_identity_not_found");
        assertThat(post(sandbox.workspace(), "/acs/users/list", Map.of("user_identity_id", identity)).statusCode(200)
                .extract().jsonPath().getList("acs_users")).isEmpty();
    }

    @Test
    void wrongMethodsAndHugeInputsGetSeamErrors() {
        seamError(as(sandbox.workspace()).get("/acs/users/create").then(), 405, "method_not_allowed");
        seamError(as(sandbox.workspace()).delete("/acs/credentials/list").then(), 405, "method_not_allowed");
        seamError(call("/acs/users/create", Map.of("acs_system_id", sandbox.acsSystemId(), "full_name", "x".repeat(20_000))),
                400, "invalid_input");
        seamError(as(sandbox.workspace()).body("{\"acs_user_id\": \"" + "a".repeat(2_000_000) + "\"}").post("/acs/users/get").then(),
                413, "payload_too_large");
    }
}
