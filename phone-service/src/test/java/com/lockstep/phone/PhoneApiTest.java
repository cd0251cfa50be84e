package com.lockstep.phone;

import com.lockstep.phone.events.incoming.AcsCredentialsConsumer;
import com.lockstep.phone.events.incoming.UserIdentitiesConsumer;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.lockstep.phone.PhoneTestSupport.as;
import static com.lockstep.phone.PhoneTestSupport.createPhone;
import static com.lockstep.phone.PhoneTestSupport.post;
import static com.lockstep.phone.PhoneTestSupport.userIdentity;
import static com.lockstep.phone.PhoneTestSupport.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class PhoneApiTest {

    @Test
    void sandboxPhoneHasEverySeamField() {
        TestWorkspaces.Workspace workspace = workspace();
        String owner = userIdentity(workspace);
        post(workspace, "/phones/simulate/create_sandbox_phone", Map.of(
                "user_identity_id", owner,
                "custom_sdk_installation_id", "install-1",
                "phone_metadata", Map.of("operating_system", "ios", "device_model", "iPhone 14"),
                "assa_abloy_metadata", Map.of("ble_capability", true, "seos_tsm_endpoint_id", 3)))
                .statusCode(200)
                .header("seam-request-id", notNullValue())
                .body("ok", equalTo(true))
                .body("phone.device_type", equalTo("ios_phone"))
                .body("phone.display_name", equalTo("iPhone 14"))
                .body("phone.workspace_id", equalTo(workspace.workspaceId().toString()))
                .body("phone.created_at", matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"))
                .body("phone.custom_metadata", equalTo(Map.of()))
                .body("phone.errors", hasSize(0))
                .body("phone.warnings", hasSize(0))
                .body("phone.properties.assa_abloy_credential_service_metadata.has_active_endpoint", equalTo(true))
                .body("phone.properties.assa_abloy_credential_service_metadata.endpoints", hasSize(1));
    }

    @Test
    void getAnswersPostAndTheSdksGet() {
        TestWorkspaces.Workspace workspace = workspace();
        String deviceId = createPhone(workspace, userIdentity(workspace));
        post(workspace, "/phones/get", Map.of("device_id", deviceId)).statusCode(200).body("phone.device_id", equalTo(deviceId));
        as(workspace).queryParam("device_id", deviceId).queryParam("_strict", "true").get("/phones/get")
                .then().statusCode(200).body("phone.device_id", equalTo(deviceId));
    }

    @Test
    void listFiltersByOwnerAndPagesWithKeysetCursors() {
        TestWorkspaces.Workspace workspace = workspace();
        String owner = userIdentity(workspace);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createPhone(workspace, owner));
        }
        createPhone(workspace, userIdentity(workspace));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(workspace).queryParam("owner_user_identity_id", owner).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("page_cursor", cursor);
            }
            var page = request.get("/phones/list").then().statusCode(200).extract();
            seen.addAll(page.path("phones.device_id"));
            cursor = page.path("pagination.next_page_cursor");
            boolean hasNext = page.path("pagination.has_next_page");
            assertThat(cursor != null).isEqualTo(hasNext);
            if (hasNext) {
                assertThat((String) page.path("pagination.next_page_url")).contains("page_cursor=").contains("owner_user_identity_id=" + owner);
            }
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        Collections.reverse(created);
        assertThat(seen).containsExactlyElementsOf(created);
        post(workspace, "/phones/list", Map.of()).statusCode(200).body("phones", hasSize(6));
    }

    @Test
    void deactivatedPhoneLeavesListAndGetAndDeactivatingAgainSucceeds() {
        TestWorkspaces.Workspace workspace = workspace();
        String owner = userIdentity(workspace);
        String lost = createPhone(workspace, owner);
        String kept = createPhone(workspace, owner);

        as(workspace).queryParam("device_id", lost).delete("/phones/deactivate").then().statusCode(200).body("ok", equalTo(true));
        as(workspace).queryParam("device_id", lost).delete("/phones/deactivate").then().statusCode(200).body("ok", equalTo(true));

        post(workspace, "/phones/get", Map.of("device_id", lost)).statusCode(404).body("error.type", equalTo("phone_not_found"));
        post(workspace, "/phones/list", Map.of("owner_user_identity_id", owner)).statusCode(200)
                .body("phones.device_id", equalTo(List.of(kept)));
    }

    @Test
    void metricsShowEachEndpointsLatencyAndWaitsTheConsumersLagAndTheOutbox() {
        TestWorkspaces.Workspace workspace = workspace();
        String owner = userIdentity(workspace);
        String deviceId = createPhone(workspace, owner);
        post(workspace, "/phones/get", Map.of("device_id", deviceId)).statusCode(200);
        post(workspace, "/phones/list", Map.of("owner_user_identity_id", owner)).statusCode(200);

        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/phones/get\"")
                .containsPattern("lockstep_fence_wait_seconds_count\\{endpoint=\"/phones/list\",?} [1-9]")
                .containsPattern("lockstep_publication_wait_seconds_count\\{endpoint=\"/phones/simulate/create_sandbox_phone\",?} [1-9]")
                .containsPattern("lockstep_consumer_lag\\{consumer_group=\"" + AcsCredentialsConsumer.CONSUMER_GROUP + "\",?} \\d")
                .containsPattern("lockstep_consumer_lag\\{consumer_group=\"" + UserIdentitiesConsumer.CONSUMER_GROUP + "\",?} \\d")
                .containsPattern("lockstep_outbox_backlog \\d")
                .containsPattern("lockstep_outbox_oldest_age_seconds \\d");
    }

    @Test
    void anotherWorkspaceSeesNothingAndChangesNothing() {
        TestWorkspaces.Workspace owner = workspace();
        TestWorkspaces.Workspace stranger = workspace();
        String identity = userIdentity(owner);
        String deviceId = createPhone(owner, identity);

        post(stranger, "/phones/get", Map.of("device_id", deviceId)).statusCode(404).body("error.type", equalTo("phone_not_found"));
        post(stranger, "/phones/deactivate", Map.of("device_id", deviceId)).statusCode(404).body("error.type", equalTo("phone_not_found"));
        post(stranger, "/phones/simulate/create_sandbox_phone", Map.of("user_identity_id", identity)).statusCode(404)
                .body("error.type", equalTo("user_identity_not_found"));
        post(stranger, "/phones/list", Map.of()).statusCode(200).body("phones", hasSize(0));
        post(owner, "/phones/get", Map.of("device_id", deviceId)).statusCode(200);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }
}
