package com.lockstep.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.credential.CredentialTestSupport.Sandbox;
import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.user_identity.UserIdentityUpdated;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.SeamOpenApi;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.lockstep.credential.CredentialTestSupport.EVENTS;
import static com.lockstep.credential.CredentialTestSupport.SOON;
import static com.lockstep.credential.CredentialTestSupport.acsUserCreated;
import static com.lockstep.credential.CredentialTestSupport.as;
import static com.lockstep.credential.CredentialTestSupport.createAcsUser;
import static com.lockstep.credential.CredentialTestSupport.post;
import static com.lockstep.credential.CredentialTestSupport.registerPhone;
import static com.lockstep.credential.CredentialTestSupport.sandbox;
import static com.lockstep.credential.CredentialTestSupport.userIdentity;
import static com.lockstep.credential.PhoneFlowsTest.childrenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "credential_service"))
class AcsCredentialApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void createReturnsEverySeamFieldForEachAccessMethod() throws Exception {
        Sandbox sandbox = sandbox();
        String acsUser = createAcsUser(sandbox, Map.of());
        JsonNode code = create(sandbox, Map.of("acs_user_id", acsUser, "access_method", "code", "code", "824617",
                "starts_at", "2026-12-01T15:00:00.000Z", "ends_at", "2026-12-05T11:00:00.000Z"));
        assertThat(code.get("code").asText()).isEqualTo("824617");
        assertThat(code.get("access_method").asText()).isEqualTo("code");
        assertThat(code.get("starts_at").asText()).isEqualTo("2026-12-01T15:00:00.000Z");
        assertThat(code.get("ends_at").asText()).isEqualTo("2026-12-05T11:00:00.000Z");
        assertThat(code.get("acs_user_id").asText()).isEqualTo(acsUser);
        assertThat(code.get("acs_system_id").asText()).isEqualTo(sandbox.acsSystemId());
        assertThat(code.get("is_issued").asBoolean()).isTrue();
        assertThat(code.get("issued_at").asText()).isNotBlank();
        assertThat(code.get("is_multi_phone_sync_credential").asBoolean()).isFalse();
        assertThat(code.has("parent_acs_credential_id")).isFalse();

        JsonNode generated = create(sandbox, Map.of("acs_user_id", acsUser, "access_method", "code"));
        assertThat(generated.get("code").asText()).matches("\\d{6}");

        JsonNode card = create(sandbox, Map.of("acs_user_id", acsUser, "access_method", "card",
                "visionline_metadata", Map.of("card_function_type", "guest", "is_valid", true)));
        assertThat(card.get("code").isNull()).isTrue();
        assertThat(card.get("visionline_metadata").get("card_function_type").asText()).isEqualTo("guest");

        JsonNode key = create(sandbox, Map.of("acs_user_id", acsUser, "access_method", "mobile_key",
                "is_multi_phone_sync_credential", true, "allowed_acs_entrance_ids", List.of("6d1c1ca4-3b4d-4e36-8c57-4c0a9a6e2f52"),
                "credential_manager_acs_system_id", sandbox.acsSystemId()));
        assertThat(key.get("is_multi_phone_sync_credential").asBoolean()).isTrue();
        assertThat(key.get("display_name").asText()).isEqualTo("Multi Phone Sync Credential");
        assertThat(key.get("allowed_acs_entrance_ids").get(0).asText()).isEqualTo("6d1c1ca4-3b4d-4e36-8c57-4c0a9a6e2f52");
    }

    @Test
    void aCredentialForAUserIdentityGoesToItsAcsUserOnTheSystem() throws Exception {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        JsonNode onUser = create(sandbox, Map.of("user_identity_id", identity, "acs_system_id", sandbox.acsSystemId(),
                "access_method", "mobile_key", "is_multi_phone_sync_credential", true));
        assertThat(onUser.get("acs_user_id").asText()).isEqualTo(acsUser);
        assertThat(onUser.get("user_identity_id").asText()).isEqualTo(identity);
        assertThat(acsUsersOf(sandbox, identity)).containsExactly(acsUser);
    }

    @Test
    void anIdentityWithoutAnAcsUserOnTheSystemGetsOneWithTheCredential() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Cat Cole", "cat@example.com", List.of());
        JsonNode first = create(sandbox, Map.of("user_identity_id", identity,
                "credential_manager_acs_system_id", sandbox.acsSystemId(), "access_method", "mobile_key",
                "is_multi_phone_sync_credential", true));
        String acsUser = first.get("acs_user_id").asText();
        assertThat(first.get("user_identity_id").asText()).isEqualTo(identity);
        assertCreatedFor(sandbox, acsUser, identity, "Cat Cole", "cat@example.com");

        JsonNode second = create(sandbox, Map.of("user_identity_id", identity, "acs_system_id", sandbox.acsSystemId(),
                "access_method", "code"));
        assertThat(second.get("acs_user_id").asText()).isEqualTo(acsUser);
        assertThat(acsUsersOf(sandbox, identity)).containsExactly(acsUser);

        String phone = registerPhone(sandbox, identity);
        String parent = first.get("acs_credential_id").asText();
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).containsKey(phone));
    }

    /**
     * identity-service announces a deletion before its last look at the identity's credentials; from
     * the announcement on, and with no wait after it is on Kafka (the read fence), no credential is made.
     */
    @Test
    void anIdentityWhoseDeletionIsAnnouncedGetsNoCredentialUntilItIsWithdrawn() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Dee Parting", "dee@example.com", List.of());
        Map<String, Object> card = Map.of("user_identity_id", identity, "acs_system_id", sandbox.acsSystemId(),
                "access_method", "card");
        identityDeletionPending(sandbox, identity, true);
        post(sandbox.workspace(), "/acs/credentials/create", card).statusCode(409)
                .body("error.type", equalTo("user_identity_being_deleted"));
        assertThat(acsUsersOf(sandbox, identity)).isEmpty();

        identityDeletionPending(sandbox, identity, false);
        JsonNode created = create(sandbox, card);
        assertThat(created.get("user_identity_id").asText()).isEqualTo(identity);
    }

    private static void identityDeletionPending(Sandbox sandbox, String identity, boolean pending) {
        EVENTS.publish(Topics.USER_IDENTITY_EVENTS, identity, UserIdentityUpdated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("user_identity.updated")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setUserIdentityId(identity)
                .setEmailAddress("dee@example.com")
                .setFullName("Dee Parting")
                .setDeletionPending(pending)
                .build());
    }

    @Test
    void assigningToAnIdentityWithoutAnAcsUserOnTheSystemCreatesOne() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Dan Doe", "dan@example.com", List.of());
        String card = id(create(sandbox, Map.of("acs_user_id", createAcsUser(sandbox, Map.of()), "access_method", "card")));

        JsonPath assigned = as(sandbox.workspace()).body(Map.of("acs_credential_id", card, "user_identity_id", identity))
                .patch("/acs/credentials/assign").then().statusCode(200).extract().jsonPath();
        String acsUser = assigned.getString("acs_credential.acs_user_id");
        assertThat(assigned.getString("acs_credential.user_identity_id")).isEqualTo(identity);
        assertCreatedFor(sandbox, acsUser, identity, "Dan Doe", "dan@example.com");
        assertThat(credential(sandbox, card).getString("acs_credential.acs_user_id")).isEqualTo(acsUser);
    }

    @Test
    void listTakesEachOfSeamsFilterCombinationsAndPages() {
        Sandbox sandbox = sandbox();
        String other = CredentialTestSupport.acsSystem(sandbox.workspace(), "visionline_system", false);
        String identity = userIdentity(sandbox);
        String ann = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String bob = createAcsUser(sandbox, Map.of("acs_system_id", other));
        String annCode = id(create(sandbox, Map.of("acs_user_id", ann, "access_method", "code", "code", "1111")));
        String annKey = id(create(sandbox, Map.of("acs_user_id", ann, "access_method", "mobile_key", "is_multi_phone_sync_credential", true)));
        Instant between = Instant.now();
        String bobCard = id(create(sandbox, Map.of("acs_user_id", bob, "access_method", "card")));

        assertThat(ids(list(sandbox, Map.of()))).containsExactly(bobCard, annKey, annCode);
        assertThat(ids(list(sandbox, Map.of("acs_user_id", ann)))).containsExactly(annKey, annCode);
        assertThat(ids(list(sandbox, Map.of("acs_system_id", other)))).containsExactly(bobCard);
        assertThat(ids(list(sandbox, Map.of("acs_system_id", sandbox.acsSystemId(), "acs_user_id", ann)))).containsExactly(annKey, annCode);
        assertThat(ids(list(sandbox, Map.of("acs_system_id", other, "acs_user_id", ann)))).isEmpty();
        assertThat(ids(list(sandbox, Map.of("user_identity_id", identity)))).containsExactly(annKey, annCode);
        assertThat(ids(list(sandbox, Map.of("is_multi_phone_sync_credential", true)))).containsExactly(annKey);
        assertThat(ids(list(sandbox, Map.of("created_before", between.toString())))).containsExactly(annKey, annCode);
        assertThat(ids(list(sandbox, Map.of("search", "1111")))).containsExactly(annCode);
        assertThat(list(sandbox, Map.of("acs_system_id", other)).getString("acs_credentials[0].external_type")).isEqualTo("visionline_card");
        assertThat(ids(new JsonPath(as(sandbox.workspace()).queryParam("acs_user_id", ann).queryParam("is_multi_phone_sync_credential", "false")
                .get("/acs/credentials/list").then().statusCode(200).extract().asString()))).containsExactly(annCode);

        List<String> paged = new ArrayList<>();
        Map<String, Object> request = new HashMap<>(Map.of("limit", 1));
        int pages = 0;
        while (true) {
            JsonPath page = list(sandbox, request);
            pages++;
            paged.addAll(ids(page));
            if (!page.getBoolean("pagination.has_next_page")) {
                break;
            }
            request.put("page_cursor", page.getString("pagination.next_page_cursor"));
        }
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactly(bobCard, annKey, annCode);
    }

    @Test
    void assignUnassignUpdateAndDelete() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String ann = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String bob = createAcsUser(sandbox, Map.of());
        String card = id(create(sandbox, Map.of("acs_user_id", ann, "access_method", "card")));

        as(sandbox.workspace()).body(Map.of("acs_credential_id", card, "acs_user_id", ann)).patch("/acs/credentials/unassign")
                .then().statusCode(200).body("acs_credential.acs_credential_id", equalTo(card));
        assertThat(credential(sandbox, card).getString("acs_credential.acs_user_id")).isNull();
        as(sandbox.workspace()).body(Map.of("acs_credential_id", card, "acs_user_id", bob)).patch("/acs/credentials/assign")
                .then().statusCode(200).body("acs_credential.acs_user_id", equalTo(bob));
        as(sandbox.workspace()).body(Map.of("acs_credential_id", card, "acs_user_id", ann)).patch("/acs/credentials/unassign")
                .then().statusCode(400).body("error.type", equalTo("credential_not_assigned_to_acs_user"));
        as(sandbox.workspace()).body(Map.of("acs_credential_id", card, "acs_user_id", bob)).patch("/acs/credentials/unassign")
                .then().statusCode(200);
        as(sandbox.workspace()).body(Map.of("acs_credential_id", card, "user_identity_id", identity)).patch("/acs/credentials/assign")
                .then().statusCode(200).body("acs_credential.acs_user_id", equalTo(ann))
                .body("acs_credential.user_identity_id", equalTo(identity));

        String code = id(create(sandbox, Map.of("acs_user_id", ann, "access_method", "code", "code", "1234")));
        as(sandbox.workspace()).body(Map.of("acs_credential_id", code, "code", "98765", "ends_at", "2030-01-01T00:00:00.000Z"))
                .patch("/acs/credentials/update").then().statusCode(200).body("acs_credential.code", equalTo("98765"));
        JsonPath updated = credential(sandbox, code);
        assertThat(updated.getString("acs_credential.code")).isEqualTo("98765");
        assertThat(updated.getString("acs_credential.ends_at")).isEqualTo("2030-01-01T00:00:00.000Z");

        as(sandbox.workspace()).queryParam("acs_credential_id", code).delete("/acs/credentials/delete").then().statusCode(200);
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", code)).statusCode(404)
                .body("error.type", equalTo("acs_credential_not_found"));
        post(sandbox.workspace(), "/acs/credentials/delete", Map.of("acs_credential_id", code)).statusCode(404);
    }

    /** An ACS user created for the identity on the sandbox's system, named after it, and its acs_user.created, which links it. */
    private static void assertCreatedFor(Sandbox sandbox, String acsUser, String identity, String fullName, String email) {
        assertThat(acsUsersOf(sandbox, identity)).containsExactly(acsUser);
        post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser)).statusCode(200)
                .body("acs_user.user_identity_id", equalTo(identity))
                .body("acs_user.acs_system_id", equalTo(sandbox.acsSystemId()))
                .body("acs_user.full_name", equalTo(fullName))
                .body("acs_user.email_address", equalTo(email));
        AcsUserCreated created = acsUserCreated(acsUser);
        assertThat(created.getUserIdentityId()).isEqualTo(identity);
        assertThat(created.getAcsSystemId()).isEqualTo(sandbox.acsSystemId());
        assertThat(created.getFullName()).isEqualTo(fullName);
    }

    private static List<String> acsUsersOf(Sandbox sandbox, String identity) {
        return post(sandbox.workspace(), "/acs/users/list", Map.of("user_identity_id", identity)).statusCode(200)
                .extract().jsonPath().getList("acs_users.acs_user_id");
    }

    private static JsonNode create(Sandbox sandbox, Map<String, ?> body) {
        try {
            JsonNode credential = MAPPER.readTree(post(sandbox.workspace(), "/acs/credentials/create", body)
                    .statusCode(200).extract().asString()).get("acs_credential");
            SeamOpenApi.assertMatches("acs_credential", credential);
            JsonNode fetched = MAPPER.readTree(credential(sandbox, credential.get("acs_credential_id").asText()).prettify())
                    .get("acs_credential");
            assertThat(fetched).isEqualTo(credential);
            return credential;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonPath credential(Sandbox sandbox, String id) {
        return post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", id)).statusCode(200).extract().jsonPath();
    }

    private static JsonPath list(Sandbox sandbox, Map<String, ?> filters) {
        return post(sandbox.workspace(), "/acs/credentials/list", filters).statusCode(200).extract().jsonPath();
    }

    private static String id(JsonNode credential) {
        return credential.get("acs_credential_id").asText();
    }

    private static List<String> ids(JsonPath page) {
        return page.getList("acs_credentials.acs_credential_id");
    }
}
