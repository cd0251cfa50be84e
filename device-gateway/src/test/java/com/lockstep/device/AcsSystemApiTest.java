package com.lockstep.device;

import com.lockstep.testkit.SeamOpenApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.lockstep.device.provider.sandbox.SandboxProvider;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.lockstep.device.DeviceTestSupport.as;
import static com.lockstep.device.DeviceTestSupport.post;
import static com.lockstep.device.DeviceTestSupport.read;
import static com.lockstep.device.DeviceTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class AcsSystemApiTest {

    @Inject
    SandboxProvider sandboxProvider;

    @Test
    void getReturnsEverySeamFieldWithPostAndTheSdksGet() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String id = sandbox.acsSystemId();

        JsonNode system = read(post(sandbox.workspace(), "/acs/systems/get", Map.of("acs_system_id", id)).statusCode(200)
                .body("ok", equalTo(true))).get("acs_system");
        SeamOpenApi.assertMatches("acs_system", system);
        assertThat(system).isEqualTo(sandbox.provisioned().at("/acs_systems/0"));
        assertThat(system.get("workspace_id").asText()).isEqualTo(sandbox.workspace().workspaceId().toString());
        assertThat(system.get("connected_account_id").asText()).isEqualTo(sandbox.connectedAccountId());
        assertThat(system.get("connected_account_ids")).hasSize(1);
        assertThat(system.get("name").asText()).isEqualTo("ASSA ABLOY Credential Service");
        assertThat(system.get("external_type_display_name").asText()).isEqualTo("ASSA ABLOY Credential Service");
        assertThat(system.get("is_credential_manager").asBoolean()).isTrue();
        assertThat(system.get("errors").isEmpty()).isTrue();
        as(sandbox.workspace()).queryParam("acs_system_id", id).queryParam("_strict", "true").get("/acs/systems/get")
                .then().statusCode(200).body("acs_system.acs_system_id", equalTo(id));
    }

    @Test
    void listFiltersByConnectedAccountAndSearchesNameAndId() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String id = sandbox.acsSystemId();

        JsonNode all = read(as(workspace).get("/acs/systems/list").then().statusCode(200));
        assertThat(ids(all)).containsExactly(id);
        all.get("acs_systems").forEach(system -> SeamOpenApi.assertMatches("acs_system", system));
        assertThat(all.has("pagination")).isFalse();
        assertThat(list(workspace, Map.of("connected_account_id", sandbox.connectedAccountId()))).containsExactly(id);
        assertThat(list(workspace, Map.of("connected_account_id", "8a3c1b0e-2d3f-4a5b-9c6d-7e8f9a0b1c2d"))).isEmpty();
        assertThat(list(workspace, Map.of("search", "abloy"))).containsExactly(id);
        assertThat(list(workspace, Map.of("search", id.substring(0, 8)))).containsExactly(id);
        assertThat(list(workspace, Map.of("search", "Salto"))).isEmpty();
        assertThat(list(workspace, Map.of("customer_key", "acme"))).isEmpty();
        assertThat(ids(read(as(workspace).queryParam("search", "ASSA").get("/acs/systems/list").then().statusCode(200))))
                .containsExactly(id);
    }

    @Test
    void aDisconnectedSystemCarriesSeamsError() throws Exception {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String id = sandbox.acsSystemId();

        assertThat(sandboxProvider.reportAcsSystemConnectivity(sandbox.workspace().workspaceId(), UUID.fromString(id), false)).isTrue();
        JsonNode system = read(post(sandbox.workspace(), "/acs/systems/get", Map.of("acs_system_id", id)).statusCode(200)).get("acs_system");
        SeamOpenApi.assertMatches("acs_system", system);
        assertThat(system.at("/errors/0/error_code").asText()).isEqualTo("acs_system_disconnected");

        sandboxProvider.reportAcsSystemConnectivity(sandbox.workspace().workspaceId(), UUID.fromString(id), true);
        post(sandbox.workspace(), "/acs/systems/get", Map.of("acs_system_id", id)).statusCode(200).body("acs_system.errors", hasSize(0));
    }

    @Test
    void anotherWorkspaceSeesNone() {
        DeviceTestSupport.Sandbox owner = sandbox();
        TestWorkspaces.Workspace stranger = DeviceTestSupport.workspace();

        post(stranger, "/acs/systems/list", Map.of()).statusCode(200).body("acs_systems", hasSize(0));
        post(stranger, "/acs/systems/get", Map.of("acs_system_id", owner.acsSystemId())).statusCode(404)
                .body("error.type", equalTo("acs_system_not_found"));
        post(stranger, "/acs/systems/list", Map.of("connected_account_id", owner.connectedAccountId())).statusCode(200)
                .body("acs_systems", hasSize(0));
    }

    private static List<String> list(TestWorkspaces.Workspace workspace, Map<String, ?> filters) {
        return ids(read(post(workspace, "/acs/systems/list", filters).statusCode(200)));
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("acs_systems").forEach(system -> ids.add(system.get("acs_system_id").asText()));
        return ids;
    }
}
