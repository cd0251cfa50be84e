package com.lockstep.identity;

import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.lockstep.identity.IdentityTestSupport.acsSystemAdded;
import static com.lockstep.identity.IdentityTestSupport.acsUserCreated;
import static com.lockstep.identity.IdentityTestSupport.addAcsUserOnceKnown;
import static com.lockstep.identity.IdentityTestSupport.as;
import static com.lockstep.identity.IdentityTestSupport.createIdentity;
import static com.lockstep.identity.IdentityTestSupport.post;
import static com.lockstep.identity.IdentityTestSupport.uuid;
import static com.lockstep.identity.IdentityTestSupport.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Create, get, list (every filter, keyset pages), update, uniqueness and instant keys, on the real servers. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class UserIdentityApiTest {

    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void createReturnsEverySeamField() {
        TestWorkspaces.Workspace workspace = workspace();
        post(workspace, "/user_identities/create", Map.of(
                "user_identity_key", "jane_doe",
                "email_address", "jane@example.com",
                "phone_number", "+15555550100",
                "full_name", "Jane Doe"))
                .statusCode(200)
                .header("seam-request-id", notNullValue())
                .body("ok", equalTo(true))
                .body("user_identity.user_identity_id", matchesPattern("[0-9a-f-]{36}"))
                .body("user_identity.workspace_id", equalTo(workspace.workspaceId().toString()))
                .body("user_identity.user_identity_key", equalTo("jane_doe"))
                .body("user_identity.email_address", equalTo("jane@example.com"))
                .body("user_identity.phone_number", equalTo("+15555550100"))
                .body("user_identity.full_name", equalTo("Jane Doe"))
                .body("user_identity.display_name", equalTo("Jane Doe"))
                .body("user_identity.created_at", matchesPattern(TIMESTAMP))
                .body("user_identity.acs_user_ids", hasSize(0))
                .body("user_identity.errors", hasSize(0))
                .body("user_identity.warnings", hasSize(0));
    }

    @Test
    void anEmptyCreateGivesNullsAndADisplayName() {
        TestWorkspaces.Workspace workspace = workspace();
        post(workspace, "/user_identities/create", Map.of()).statusCode(200)
                .body("user_identity.user_identity_key", nullValue())
                .body("user_identity.email_address", nullValue())
                .body("user_identity.phone_number", nullValue())
                .body("user_identity.full_name", nullValue())
                .body("user_identity.display_name", equalTo("Unnamed user identity"));
        post(workspace, "/user_identities/create", Map.of("email_address", "only@example.com")).statusCode(200)
                .body("user_identity.display_name", equalTo("only@example.com"));
    }

    @Test
    void getFindsByIdByKeyOrByBothWithPostAndTheSdksGet() {
        TestWorkspaces.Workspace workspace = workspace();
        String id = createIdentity(workspace, Map.of("user_identity_key", "key-1", "full_name", "Key One"));
        post(workspace, "/user_identities/get", Map.of("user_identity_id", id)).statusCode(200)
                .body("user_identity.user_identity_key", equalTo("key-1"));
        as(workspace).queryParam("user_identity_key", "key-1").queryParam("_strict", "true").get("/user_identities/get")
                .then().statusCode(200).body("user_identity.user_identity_id", equalTo(id));
        post(workspace, "/user_identities/get", Map.of("user_identity_id", id, "user_identity_key", "key-1")).statusCode(200);
        post(workspace, "/user_identities/get", Map.of("user_identity_id", id, "user_identity_key", "other")).statusCode(404)
                .body("error.type", equalTo("user_identity_not_found"));
        post(workspace, "/user_identities/get", Map.of("user_identity_key", "nobody")).statusCode(404)
                .body("error.type", equalTo("user_identity_not_found"));
    }

    @Test
    void listPagesNewestFirstWithKeysetCursorsAndTheSameFilters() {
        TestWorkspaces.Workspace workspace = workspace();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(createIdentity(workspace, Map.of("full_name", "Pager " + i)));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(workspace).queryParam("limit", 3).queryParam("search", "Pager");
            if (cursor != null) {
                request.queryParam("page_cursor", cursor);
            }
            var page = request.get("/user_identities/list").then().statusCode(200).extract();
            seen.addAll(page.path("user_identities.user_identity_id"));
            cursor = page.path("pagination.next_page_cursor");
            boolean hasNext = page.path("pagination.has_next_page");
            assertThat(cursor != null).isEqualTo(hasNext);
            if (hasNext) {
                assertThat((String) page.path("pagination.next_page_url")).contains("page_cursor=").contains("search=Pager");
            } else {
                assertThat((String) page.path("pagination.next_page_url")).isNull();
            }
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        Collections.reverse(created);
        assertThat(seen).containsExactlyElementsOf(created);
        post(workspace, "/user_identities/list", Map.of()).statusCode(200).body("user_identities", hasSize(7))
                .body("pagination.has_next_page", equalTo(false));
    }

    @Test
    void listFiltersBySearchIdsCreatedBeforeAndCredentialManager() throws InterruptedException {
        TestWorkspaces.Workspace workspace = workspace();
        String ann = createIdentity(workspace, Map.of("full_name", "Ann Archer", "email_address", "ann@harbor.example",
                "phone_number", "+15555550111"));
        Thread.sleep(5);
        String between = Instant.now().toString();
        Thread.sleep(5);
        String bob = createIdentity(workspace, Map.of("full_name", "Bob Baker", "email_address", "bob@dock.example",
                "phone_number", "+15555550222"));
        String cid = createIdentity(workspace, Map.of("user_identity_key", "carol"));
        String dee = createIdentity(workspace, Map.of("full_name", "Dee! 100%_ sure"));

        assertThat(idsOf(workspace, Map.of("search", "archer"))).containsExactly(ann);
        assertThat(idsOf(workspace, Map.of("search", "DOCK.example"))).containsExactly(bob);
        assertThat(idsOf(workspace, Map.of("search", "550222"))).containsExactly(bob);
        assertThat(idsOf(workspace, Map.of("search", cid.substring(0, 13)))).containsExactly(cid);
        // The search's own wildcards and LIKE's escape character match themselves.
        assertThat(idsOf(workspace, Map.of("search", "%"))).containsExactly(dee);
        assertThat(idsOf(workspace, Map.of("search", "! 100%_"))).containsExactly(dee);
        assertThat(idsOf(workspace, Map.of("search", "!%"))).isEmpty();
        assertThat(idsOf(workspace, Map.of("search", "n_A"))).isEmpty();
        assertThat(idsOf(workspace, Map.of("user_identity_ids", List.of(ann, cid)))).containsExactly(cid, ann);
        assertThat(idsOf(workspace, Map.of("user_identity_ids", List.of()))).isEmpty();
        assertThat(idsOf(workspace, Map.of("created_before", between))).containsExactly(ann);

        String credentialManager = uuid();
        String acsUser = uuid();
        acsSystemAdded(workspace, credentialManager, "Mobile keys");
        acsUserCreated(workspace, acsUser, credentialManager, null, "Bob Baker", null, null);
        addAcsUserOnceKnown(workspace, bob, acsUser);
        assertThat(idsOf(workspace, Map.of("credential_manager_acs_system_id", credentialManager))).containsExactly(bob);
        assertThat(idsOf(workspace, Map.of("credential_manager_acs_system_id", uuid()))).isEmpty();

        var viaGet = as(workspace).queryParam("user_identity_ids", ann).queryParam("user_identity_ids", bob)
                .queryParam("search", "a").get("/user_identities/list").then().statusCode(200).extract();
        assertThat(viaGet.<List<String>>path("user_identities.user_identity_id")).containsExactly(bob, ann);
    }

    @Test
    void updateChangesOnlyTheFieldsSentAndNullClears() {
        TestWorkspaces.Workspace workspace = workspace();
        String id = createIdentity(workspace, Map.of("user_identity_key", "k", "email_address", "a@example.com",
                "phone_number", "+15555550123", "full_name", "Before"));
        as(workspace).body(Map.of("user_identity_id", id, "full_name", "After", "email_address", "b@example.com"))
                .patch("/user_identities/update").then().statusCode(200).body("ok", equalTo(true));
        post(workspace, "/user_identities/get", Map.of("user_identity_id", id)).statusCode(200)
                .body("user_identity.full_name", equalTo("After"))
                .body("user_identity.email_address", equalTo("b@example.com"))
                .body("user_identity.phone_number", equalTo("+15555550123"))
                .body("user_identity.user_identity_key", equalTo("k"));

        Map<String, Object> clear = new HashMap<>();
        clear.put("user_identity_id", id);
        clear.put("phone_number", null);
        clear.put("user_identity_key", null);
        post(workspace, "/user_identities/update", clear).statusCode(200);
        post(workspace, "/user_identities/get", Map.of("user_identity_id", id)).statusCode(200)
                .body("user_identity.phone_number", nullValue())
                .body("user_identity.user_identity_key", nullValue())
                .body("user_identity.email_address", equalTo("b@example.com"));
        post(workspace, "/user_identities/update", Map.of("user_identity_id", id)).statusCode(200);
    }

    @Test
    void keyEmailAndPhoneAreUniqueInAWorkspaceButNotAcrossWorkspaces() {
        TestWorkspaces.Workspace workspace = workspace();
        createIdentity(workspace, Map.of("user_identity_key", "unique-key", "email_address", "Taken@Example.com",
                "phone_number", "+15555550999"));
        post(workspace, "/user_identities/create", Map.of("user_identity_key", "unique-key")).statusCode(409)
                .body("ok", equalTo(false))
                .body("error.type", equalTo("user_identity_key_taken"))
                .body("error.message", startsWith("Another user identity"))
                .body("error.request_id", notNullValue());
        post(workspace, "/user_identities/create", Map.of("email_address", "taken@example.COM")).statusCode(409)
                .body("error.type", equalTo("user_identity_email_address_taken"));
        post(workspace, "/user_identities/create", Map.of("phone_number", "+15555550999")).statusCode(409)
                .body("error.type", equalTo("user_identity_phone_number_taken"));

        String other = createIdentity(workspace, Map.of("full_name", "Other"));
        post(workspace, "/user_identities/update", Map.of("user_identity_id", other, "user_identity_key", "unique-key"))
                .statusCode(409).body("error.type", equalTo("user_identity_key_taken"));
        post(workspace, "/user_identities/update", Map.of("user_identity_id", other, "email_address", "TAKEN@example.com"))
                .statusCode(409).body("error.type", equalTo("user_identity_email_address_taken"));
        post(workspace, "/user_identities/update", Map.of("user_identity_id", other, "phone_number", "+15555550999"))
                .statusCode(409).body("error.type", equalTo("user_identity_phone_number_taken"));
        post(workspace, "/user_identities/get", Map.of("user_identity_id", other)).statusCode(200)
                .body("user_identity.user_identity_key", nullValue());

        TestWorkspaces.Workspace elsewhere = workspace();
        createIdentity(elsewhere, Map.of("user_identity_key", "unique-key", "email_address", "taken@example.com",
                "phone_number", "+15555550999"));
    }

    @Test
    void generateInstantKeyIssuesAKeyForTwoDays() {
        TestWorkspaces.Workspace workspace = workspace();
        String id = createIdentity(workspace);
        var key = post(workspace, "/user_identities/generate_instant_key", Map.of("user_identity_id", id, "max_use_count", 10))
                .statusCode(200)
                .body("ok", equalTo(true))
                .body("instant_key.instant_key_id", matchesPattern("[0-9a-f-]{36}"))
                .body("instant_key.client_session_id", matchesPattern("[0-9a-f-]{36}"))
                .body("instant_key.instant_key_url", startsWith("https://"))
                .body("instant_key.user_identity_id", equalTo(id))
                .body("instant_key.workspace_id", equalTo(workspace.workspaceId().toString()))
                .body("instant_key.created_at", matchesPattern(TIMESTAMP))
                .body("instant_key.expires_at", matchesPattern(TIMESTAMP))
                .extract();
        Instant created = Instant.parse(key.path("instant_key.created_at"));
        Instant expires = Instant.parse(key.path("instant_key.expires_at"));
        assertThat(Duration.between(created, expires)).isEqualTo(Duration.ofHours(48));
        String second = post(workspace, "/user_identities/generate_instant_key", Map.of("user_identity_id", id))
                .statusCode(200).extract().path("instant_key.instant_key_url");
        assertThat(second).isNotEqualTo(key.path("instant_key.instant_key_url"));
    }

    @Test
    void deleteRemovesAnIdentityWithNothingLeft() {
        TestWorkspaces.Workspace workspace = workspace();
        String id = createIdentity(workspace, Map.of("user_identity_key", "gone"));
        post(workspace, "/user_identities/generate_instant_key", Map.of("user_identity_id", id)).statusCode(200);
        as(workspace).queryParam("user_identity_id", id).delete("/user_identities/delete").then().statusCode(200)
                .body("ok", equalTo(true));
        post(workspace, "/user_identities/get", Map.of("user_identity_id", id)).statusCode(404)
                .body("error.type", equalTo("user_identity_not_found"));
        as(workspace).queryParam("user_identity_id", id).delete("/user_identities/delete").then().statusCode(404);
        createIdentity(workspace, Map.of("user_identity_key", "gone"));
    }

    private static List<String> idsOf(TestWorkspaces.Workspace workspace, Map<String, ?> filters) {
        return post(workspace, "/user_identities/list", filters).statusCode(200).extract().path("user_identities.user_identity_id");
    }
}
