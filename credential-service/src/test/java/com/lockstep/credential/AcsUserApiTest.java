package com.lockstep.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.credential.CredentialTestSupport.Sandbox;
import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.acs_user.AcsUserDeleted;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.SeamOpenApi;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.lockstep.credential.CredentialTestSupport.EVENTS;
import static com.lockstep.credential.CredentialTestSupport.SOON;
import static com.lockstep.credential.CredentialTestSupport.acsUserCreated;
import static com.lockstep.credential.CredentialTestSupport.as;
import static com.lockstep.credential.CredentialTestSupport.createAcsUser;
import static com.lockstep.credential.CredentialTestSupport.post;
import static com.lockstep.credential.CredentialTestSupport.sandbox;
import static com.lockstep.credential.CredentialTestSupport.userIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "credential_service"))
class AcsUserApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void createReturnsEverySeamFieldAndPublishesAcsUserCreated() throws Exception {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Jane Identity", "jane.identity@example.com", List.of());
        String body = post(sandbox.workspace(), "/acs/users/create", Map.of("acs_system_id", sandbox.acsSystemId(),
                "full_name", "Jane Doe", "email_address", "jane@example.com", "phone_number", "+15555550100",
                "user_identity_id", identity, "access_schedule",
                Map.of("starts_at", "2026-12-01T10:00:00.000Z", "ends_at", "2026-12-24T10:00:00.000Z")))
                .statusCode(200).body("ok", equalTo(true)).extract().asString();
        JsonNode user = MAPPER.readTree(body).get("acs_user");
        SeamOpenApi.assertMatches("acs_user", user);
        assertThat(user.get("full_name").asText()).isEqualTo("Jane Doe");
        assertThat(user.get("display_name").asText()).isEqualTo("Jane Doe");
        assertThat(user.get("email_address").asText()).isEqualTo("jane@example.com");
        assertThat(user.get("phone_number").asText()).isEqualTo("+15555550100");
        assertThat(user.get("acs_system_id").asText()).isEqualTo(sandbox.acsSystemId());
        assertThat(user.get("workspace_id").asText()).isEqualTo(sandbox.workspace().workspaceId().toString());
        assertThat(user.get("user_identity_id").asText()).isEqualTo(identity);
        assertThat(user.get("user_identity_full_name").asText()).isEqualTo("Jane Identity");
        assertThat(user.get("user_identity_email_address").asText()).isEqualTo("jane.identity@example.com");
        assertThat(user.get("access_schedule").get("starts_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(user.get("access_schedule").get("ends_at").asText()).isEqualTo("2026-12-24T10:00:00.000Z");
        assertThat(user.get("is_suspended").asBoolean()).isFalse();
        assertThat(user.get("is_managed").asBoolean()).isTrue();

        AcsUserCreated created = acsUserCreated(user.get("acs_user_id").asText());
        assertThat(created.getEventType()).isEqualTo("acs_user.created");
        assertThat(created.getUserIdentityId()).isEqualTo(identity);
        assertThat(created.getAcsSystemId()).isEqualTo(sandbox.acsSystemId());
        assertThat(created.getFullName()).isEqualTo("Jane Doe");
        assertThat(created.getEmailAddress()).isEqualTo("jane@example.com");
        assertThat(created.getConnectedAccountId()).isEqualTo(user.get("connected_account_id").asText());

        // acs_user.created has no access schedule: acs_user.updated follows it with the full state.
        String acsUserId = user.get("acs_user_id").asText();
        List<Object> events = eventsOf(acsUserId, 2);
        assertThat(events).map(e -> e.getClass().getSimpleName()).containsExactly("AcsUserCreated", "AcsUserUpdated");
        AcsUserUpdated updated = (AcsUserUpdated) events.get(1);
        assertThat(updated.getEventType()).isEqualTo("acs_user.updated");
        assertThat(updated.getUserIdentityId()).isEqualTo(identity);
        assertThat(updated.getFullName()).isEqualTo("Jane Doe");
        assertThat(updated.getIsSuspended()).isFalse();
        assertThat(updated.getAccessScheduleStartsAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00.000Z"));
        assertThat(updated.getAccessScheduleEndsAt()).isEqualTo(Instant.parse("2026-12-24T10:00:00.000Z"));
    }

    @Test
    void getFindsAnAcsUserByIdOrByItsIdentityAndSystem() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        as(sandbox.workspace()).queryParam("acs_user_id", acsUser).get("/acs/users/get").then().statusCode(200)
                .body("acs_user.acs_user_id", equalTo(acsUser));
        as(sandbox.workspace()).queryParam("user_identity_id", identity).queryParam("acs_system_id", sandbox.acsSystemId())
                .get("/acs/users/get").then().statusCode(200).body("acs_user.acs_user_id", equalTo(acsUser));
    }

    @Test
    void anIdentityHasOneAcsUserPerSystem() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        createAcsUser(sandbox, Map.of("user_identity_id", identity));
        post(sandbox.workspace(), "/acs/users/create", Map.of("acs_system_id", sandbox.acsSystemId(), "full_name", "Twice",
                "user_identity_id", identity)).statusCode(409).body("error.type", equalTo("user_identity_already_has_acs_user"));
        assertThat(ids(list(sandbox, Map.of("user_identity_id", identity)))).hasSize(1);
    }

    @Test
    void listFiltersAndPages() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Ann Identity", "ann.identity@example.com", List.of());
        String other = CredentialTestSupport.acsSystem(sandbox.workspace(), "salto_space_system", false);
        String ann = createAcsUser(sandbox, Map.of("full_name", "Ann Archer", "user_identity_id", identity));
        String bob = createAcsUser(sandbox, Map.of("full_name", "Bob Baker", "email_address", "bob@example.com"));
        Instant between = Instant.now();
        String cat = createAcsUser(sandbox, Map.of("full_name", "Cat Cole", "acs_system_id", other));

        assertThat(ids(list(sandbox, Map.of()))).containsExactly(cat, bob, ann);
        assertThat(ids(list(sandbox, Map.of("acs_system_id", sandbox.acsSystemId())))).containsExactly(bob, ann);
        assertThat(ids(list(sandbox, Map.of("acs_system_id", other)))).containsExactly(cat);
        assertThat(ids(list(sandbox, Map.of("user_identity_id", identity)))).containsExactly(ann);
        assertThat(ids(list(sandbox, Map.of("user_identity_email_address", "ann.identity@example.com")))).containsExactly(ann);
        assertThat(ids(list(sandbox, Map.of("search", "bob@")))).containsExactly(bob);
        assertThat(ids(list(sandbox, Map.of("search", "baker")))).containsExactly(bob);
        assertThat(ids(list(sandbox, Map.of("created_before", between.toString())))).containsExactly(bob, ann);
        JsonPath cat2 = list(sandbox, Map.of("acs_system_id", other));
        assertThat(cat2.getString("acs_users[0].external_type")).isEqualTo("salto_space_user");

        List<String> paged = new ArrayList<>();
        Map<String, Object> request = new HashMap<>(Map.of("limit", 2));
        while (true) {
            JsonPath page = list(sandbox, request);
            paged.addAll(ids(page));
            if (!page.getBoolean("pagination.has_next_page")) {
                assertThat(page.getString("pagination.next_page_cursor")).isNull();
                break;
            }
            request.put("page_cursor", page.getString("pagination.next_page_cursor"));
        }
        assertThat(paged).containsExactly(cat, bob, ann);
    }

    @Test
    void updateChangesWhatItNamesAndKeepsTheRest() {
        Sandbox sandbox = sandbox();
        String acsUser = createAcsUser(sandbox, Map.of("email_address", "old@example.com", "phone_number", "+15555550100"));
        as(sandbox.workspace()).body(Map.of("acs_user_id", acsUser, "full_name", "Jane Renamed", "email_address", "new@example.com",
                        "access_schedule", Map.of("starts_at", "2027-01-01T00:00:00.000Z", "ends_at", "2027-02-01T00:00:00.000Z")))
                .patch("/acs/users/update").then().statusCode(200).body("ok", equalTo(true));
        JsonPath user = post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser)).statusCode(200).extract().jsonPath();
        assertThat(user.getString("acs_user.full_name")).isEqualTo("Jane Renamed");
        assertThat(user.getString("acs_user.email_address")).isEqualTo("new@example.com");
        assertThat(user.getString("acs_user.phone_number")).isEqualTo("+15555550100");
        assertThat(user.getString("acs_user.access_schedule.ends_at")).isEqualTo("2027-02-01T00:00:00.000Z");
    }

    @Test
    void updateSuspendAndUnsuspendEachPublishAcsUserUpdatedWithEveryField() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity, "email_address", "old@example.com",
                "phone_number", "+15555550100"));
        as(sandbox.workspace()).body(Map.of("acs_user_id", acsUser, "full_name", "Jane Renamed", "email_address", "new@example.com",
                        "phone_number", "+15555550111",
                        "access_schedule", Map.of("starts_at", "2027-01-01T00:00:00.000Z", "ends_at", "2027-02-01T00:00:00.000Z")))
                .patch("/acs/users/update").then().statusCode(200);
        // Changes of nothing publish nothing: the same name again, a second suspend.
        as(sandbox.workspace()).body(Map.of("acs_user_id", acsUser, "full_name", "Jane Renamed")).patch("/acs/users/update")
                .then().statusCode(200);
        post(sandbox.workspace(), "/acs/users/suspend", Map.of("acs_user_id", acsUser)).statusCode(200);
        post(sandbox.workspace(), "/acs/users/suspend", Map.of("acs_user_id", acsUser)).statusCode(200);
        post(sandbox.workspace(), "/acs/users/unsuspend", Map.of("acs_user_id", acsUser)).statusCode(200);
        as(sandbox.workspace()).body(Map.of("acs_user_id", acsUser, "phone_number", "+15555550122")).patch("/acs/users/update")
                .then().statusCode(200);
        as(sandbox.workspace()).queryParam("acs_user_id", acsUser).delete("/acs/users/delete").then().statusCode(200);

        List<Object> events = eventsOf(acsUser, 6);
        assertThat(events).map(e -> e.getClass().getSimpleName()).containsExactly("AcsUserCreated", "AcsUserUpdated",
                "AcsUserUpdated", "AcsUserUpdated", "AcsUserUpdated", "AcsUserDeleted");
        AcsUserUpdated renamed = (AcsUserUpdated) events.get(1);
        assertThat(renamed.getEventType()).isEqualTo("acs_user.updated");
        assertThat(renamed.getWorkspaceId()).isEqualTo(sandbox.workspace().workspaceId().toString());
        assertThat(renamed.getAcsUserId()).isEqualTo(acsUser);
        assertThat(renamed.getAcsSystemId()).isEqualTo(sandbox.acsSystemId());
        assertThat(renamed.getUserIdentityId()).isEqualTo(identity);
        assertThat(renamed.getDisplayName()).isEqualTo("Jane Renamed");
        assertThat(renamed.getFullName()).isEqualTo("Jane Renamed");
        assertThat(renamed.getEmailAddress()).isEqualTo("new@example.com");
        assertThat(renamed.getPhoneNumber()).isEqualTo("+15555550111");
        assertThat(renamed.getIsSuspended()).isFalse();
        assertThat(renamed.getAccessScheduleStartsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00.000Z"));
        assertThat(renamed.getAccessScheduleEndsAt()).isEqualTo(Instant.parse("2027-02-01T00:00:00.000Z"));

        AcsUserUpdated suspended = (AcsUserUpdated) events.get(2);
        AcsUserUpdated unsuspended = (AcsUserUpdated) events.get(3);
        assertThat(suspended.getIsSuspended()).isTrue();
        assertThat(unsuspended.getIsSuspended()).isFalse();
        for (AcsUserUpdated state : List.of(suspended, unsuspended)) {
            assertThat(state.getFullName()).isEqualTo("Jane Renamed");
            assertThat(state.getEmailAddress()).isEqualTo("new@example.com");
            assertThat(state.getPhoneNumber()).isEqualTo("+15555550111");
            assertThat(state.getUserIdentityId()).isEqualTo(identity);
            assertThat(state.getAccessScheduleEndsAt()).isEqualTo(Instant.parse("2027-02-01T00:00:00.000Z"));
        }
        AcsUserUpdated newPhone = (AcsUserUpdated) events.get(4);
        assertThat(newPhone.getPhoneNumber()).isEqualTo("+15555550122");
        assertThat(newPhone.getFullName()).isEqualTo("Jane Renamed");
        assertThat(newPhone.getEmailAddress()).isEqualTo("new@example.com");
        assertThat(newPhone.getIsSuspended()).isFalse();
        assertThat(newPhone.getAccessScheduleStartsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00.000Z"));
    }

    @Test
    void suspendInvalidatesTheUsersCredentialsAndUnsuspendIssuesThemAgain() {
        Sandbox sandbox = sandbox();
        String acsUser = createAcsUser(sandbox, Map.of());
        String credential = post(sandbox.workspace(), "/acs/credentials/create", Map.of("acs_user_id", acsUser,
                "access_method", "code", "code", "123456")).statusCode(200).extract().path("acs_credential.acs_credential_id");

        post(sandbox.workspace(), "/acs/users/suspend", Map.of("acs_user_id", acsUser)).statusCode(200);
        post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser)).body("acs_user.is_suspended", equalTo(true));
        post(sandbox.workspace(), "/acs/users/unsuspend", Map.of("acs_user_id", acsUser)).statusCode(200);
        post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser)).body("acs_user.is_suspended", equalTo(false));

        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.ACS_CREDENTIAL_EVENTS,
                read -> read.stream().filter(r -> credential.equals(r.key())).count() == 3, SOON);
        assertThat(records.stream().filter(r -> credential.equals(r.key())).map(r -> r.value().getClass().getSimpleName()).toList())
                .containsExactly("AcsCredentialIssued", "AcsCredentialInvalidated", "AcsCredentialIssued");
    }

    @Test
    void deleteRemovesTheUserAndPublishesAcsUserDeleted() {
        Sandbox sandbox = sandbox();
        String acsUser = createAcsUser(sandbox, Map.of());
        as(sandbox.workspace()).queryParam("acs_user_id", acsUser).delete("/acs/users/delete").then().statusCode(200);
        post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser)).statusCode(404)
                .body("error.type", equalTo("acs_user_not_found"));
        assertThat(ids(list(sandbox, Map.of()))).doesNotContain(acsUser);
        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.ACS_USER_EVENTS,
                read -> read.stream().anyMatch(r -> acsUser.equals(r.key()) && r.value() instanceof AcsUserDeleted), SOON);
        assertThat(records.stream().filter(r -> acsUser.equals(r.key())).map(r -> r.value().getClass().getSimpleName()).toList())
                .containsExactly("AcsUserCreated", "AcsUserDeleted");
    }

    @Test
    void anIdentityCreatedWithAcsSystemIdsGetsAnAcsUserInEach() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Dan Doe", "dan@example.com", List.of(sandbox.acsSystemId()));
        await().atMost(SOON).until(() -> ids(list(sandbox, Map.of("user_identity_id", identity))).size() == 1);
        JsonPath user = list(sandbox, Map.of("user_identity_id", identity));
        assertThat(user.getString("acs_users[0].full_name")).isEqualTo("Dan Doe");
        assertThat(user.getString("acs_users[0].email_address")).isEqualTo("dan@example.com");
        assertThat(user.getString("acs_users[0].acs_system_id")).isEqualTo(sandbox.acsSystemId());
    }

    /** The events published for the ACS user (keyed by its id), in order, once its {@code count}th is on Kafka. */
    private static List<Object> eventsOf(String acsUserId, int count) {
        return EVENTS.readUntil(Topics.ACS_USER_EVENTS,
                        read -> read.stream().filter(r -> acsUserId.equals(r.key())).count() >= count, SOON)
                .stream().filter(r -> acsUserId.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    private static JsonPath list(Sandbox sandbox, Map<String, ?> filters) {
        return post(sandbox.workspace(), "/acs/users/list", filters).statusCode(200).extract().jsonPath();
    }

    private static List<String> ids(JsonPath page) {
        return page.getList("acs_users.acs_user_id");
    }
}
