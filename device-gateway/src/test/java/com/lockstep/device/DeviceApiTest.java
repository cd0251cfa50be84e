package com.lockstep.device;

import com.lockstep.testkit.SeamOpenApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static com.lockstep.device.DeviceTestSupport.as;
import static com.lockstep.device.DeviceTestSupport.device;
import static com.lockstep.device.DeviceTestSupport.post;
import static com.lockstep.device.DeviceTestSupport.provision;
import static com.lockstep.device.DeviceTestSupport.read;
import static com.lockstep.device.DeviceTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class DeviceApiTest {

    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void aSandboxWorkspaceGetsThreeLocksAThermostatAndACredentialManager() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        JsonNode provisioned = sandbox.provisioned();

        assertThat(provisioned.get("created").asBoolean()).isTrue();
        SeamOpenApi.assertMatches("connected_account", provisioned.get("connected_account"));
        assertThat(sandbox.deviceIds().keySet()).containsExactlyInAnyOrder("august_lock", "schlage_lock", "yale_lock", "ecobee_thermostat");
        provisioned.get("devices").forEach(device -> SeamOpenApi.assertMatches("device", device));
        assertThat(provisioned.get("acs_systems")).hasSize(1);
        JsonNode acs = provisioned.at("/acs_systems/0");
        SeamOpenApi.assertMatches("acs_system", acs);
        assertThat(acs.get("is_credential_manager").asBoolean()).isTrue();
        assertThat(acs.get("external_type").asText()).isEqualTo("assa_abloy_credential_service");
    }

    @Test
    void lockAndThermostatCarryEverySeamFieldOfTheirType() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String workspaceId = sandbox.workspace().workspaceId().toString();

        JsonNode lock = device(sandbox.workspace(), sandbox.deviceId("august_lock"));
        SeamOpenApi.assertMatches("device", lock);
        assertThat(lock.get("workspace_id").asText()).isEqualTo(workspaceId);
        assertThat(lock.get("connected_account_id").asText()).isEqualTo(sandbox.connectedAccountId());
        assertThat(lock.get("display_name").asText()).isEqualTo("Front Door");
        assertThat(lock.get("created_at").asText()).matches(TIMESTAMP);
        assertThat(lock.get("is_managed").asBoolean()).isTrue();
        assertThat(lock.get("custom_metadata").isEmpty()).isTrue();
        assertThat(lock.get("errors").isEmpty()).isTrue();
        assertThat(lock.get("warnings").isEmpty()).isTrue();
        assertThat(texts(lock.get("capabilities_supported"))).containsExactly("access_code", "lock", "battery");
        assertThat(lock.at("/location/location_name").asText()).isEqualTo("Sandbox House");
        assertThat(lock.get("can_remotely_unlock").asBoolean()).isTrue();
        assertThat(lock.get("can_simulate_disconnection").asBoolean()).isTrue();
        assertThat(lock.get("can_hvac_heat")).isNull();
        JsonNode properties = lock.get("properties");
        assertThat(properties.get("online").asBoolean()).isTrue();
        assertThat(properties.get("locked").asBoolean()).isTrue();
        assertThat(properties.get("manufacturer").asText()).isEqualTo("august");
        assertThat(properties.at("/battery/status").asText()).isEqualTo("good");
        assertThat(properties.get("battery_level").asDouble()).isEqualTo(properties.at("/battery/level").asDouble());
        assertThat(properties.at("/august_metadata/lock_name").asText()).isEqualTo("Front Door");
        assertThat(properties.at("/model/manufacturer_display_name").asText()).isEqualTo("August");
        assertThat(properties.at("/appearance/name").asText()).isEqualTo("Front Door");
        assertThat(properties.get("supported_code_lengths").size()).isPositive();
        assertThat(properties.get("temperature_celsius")).isNull();
        assertThat(lock.at("/device_provider/device_provider_name").asText()).isEqualTo("august");
        assertThat(lock.at("/device_manufacturer/display_name").asText()).isEqualTo("August");

        JsonNode thermostat = device(sandbox.workspace(), sandbox.deviceId("ecobee_thermostat"));
        SeamOpenApi.assertMatches("device", thermostat);
        assertThat(texts(thermostat.get("capabilities_supported"))).containsExactly("thermostat");
        assertThat(thermostat.get("can_hvac_heat_cool").asBoolean()).isTrue();
        assertThat(thermostat.get("can_remotely_unlock")).isNull();
        JsonNode climate = thermostat.get("properties");
        assertThat(climate.get("has_direct_power").asBoolean()).isTrue();
        assertThat(climate.get("battery_level")).isNull();
        assertThat(climate.get("locked")).isNull();
        assertThat(climate.get("temperature_celsius").asDouble()).isEqualTo(21.5);
        assertThat(climate.at("/current_climate_setting/hvac_mode_setting").asText()).isEqualTo("heat_cool");
        assertThat(climate.get("available_climate_presets")).hasSize(3);
        assertThat(texts(climate.get("available_hvac_mode_settings"))).contains("heat", "cool", "heat_cool", "off");
        assertThat(climate.at("/ecobee_metadata/device_name").asText()).isEqualTo("Living Room");
    }

    @Test
    void provisioningTwiceGivesTheSameAccountAndDevices() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        JsonNode again = provision(sandbox.workspace());

        assertThat(again.get("created").asBoolean()).isFalse();
        assertThat(again.at("/connected_account/connected_account_id").asText()).isEqualTo(sandbox.connectedAccountId());
        assertThat(again.at("/acs_systems/0/acs_system_id").asText()).isEqualTo(sandbox.acsSystemId());
        List<String> ids = new ArrayList<>();
        again.get("devices").forEach(device -> ids.add(device.get("device_id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(sandbox.deviceIds().values());
        post(sandbox.workspace(), "/devices/list", Map.of()).statusCode(200).body("devices", hasSize(4));
    }

    @Test
    void getFindsByIdOrByNameWithPostAndTheSdksGet() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String id = sandbox.deviceId("schlage_lock");

        post(sandbox.workspace(), "/devices/get", Map.of("device_id", id)).statusCode(200)
                .header("seam-request-id", notNullValue()).body("ok", equalTo(true)).body("device.device_id", equalTo(id));
        as(sandbox.workspace()).queryParam("device_id", id).queryParam("_strict", "true").get("/devices/get")
                .then().statusCode(200).body("device.device_id", equalTo(id));
        post(sandbox.workspace(), "/devices/get", Map.of("name", "Back Door")).statusCode(200).body("device.device_id", equalTo(id));
        as(sandbox.workspace()).queryParam("name", "Back Door").get("/devices/get").then().statusCode(200).body("device.device_id", equalTo(id));
        assertThat(device(sandbox.workspace(), id)).isEqualTo(read(post(sandbox.workspace(), "/devices/get", Map.of("name", "Back Door"))).get("device"));
    }

    @Test
    void listReturnsTheWorkspacesDevicesNewestFirstAndPagesWithKeysetCursors() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        List<String> newestFirst = List.of(sandbox.deviceId("ecobee_thermostat"), sandbox.deviceId("yale_lock"),
                sandbox.deviceId("schlage_lock"), sandbox.deviceId("august_lock"));

        JsonNode all = read(post(sandbox.workspace(), "/devices/list", Map.of()).statusCode(200));
        assertThat(ids(all)).containsExactlyElementsOf(newestFirst);
        all.get("devices").forEach(device -> SeamOpenApi.assertMatches("device", device));
        SeamOpenApi.assertMatches("pagination", all.get("pagination"));
        assertThat(all.at("/pagination/has_next_page").asBoolean()).isFalse();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = as(sandbox.workspace()).queryParam("limit", 3).queryParam("device_types", "august_lock",
                    "schlage_lock", "yale_lock", "ecobee_thermostat");
            if (cursor != null) {
                request.queryParam("page_cursor", cursor);
            }
            JsonNode page = read(request.get("/devices/list").then().statusCode(200));
            SeamOpenApi.assertMatches("pagination", page.get("pagination"));
            seen.addAll(ids(page));
            boolean hasNext = page.at("/pagination/has_next_page").asBoolean();
            cursor = hasNext ? page.at("/pagination/next_page_cursor").asText() : null;
            if (hasNext) {
                assertThat(page.at("/pagination/next_page_url").asText()).contains("page_cursor=").contains("device_types=yale_lock");
                JsonNode viaUrl = read(as(sandbox.workspace()).get(page.at("/pagination/next_page_url").asText()).then().statusCode(200));
                assertThat(ids(viaUrl)).containsExactly(newestFirst.get(3));
            }
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void listFiltersAsSeamDoes() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String august = sandbox.deviceId("august_lock");
        String schlage = sandbox.deviceId("schlage_lock");
        String yale = sandbox.deviceId("yale_lock");
        String ecobee = sandbox.deviceId("ecobee_thermostat");
        post(workspace, "/devices/update", Map.of("device_id", yale, "custom_metadata", Map.of("unit", "4B", "vip", true))).statusCode(200);

        assertThat(list(workspace, Map.of("connected_account_id", sandbox.connectedAccountId()))).hasSize(4);
        assertThat(list(workspace, Map.of("connected_account_ids", List.of(sandbox.connectedAccountId())))).hasSize(4);
        assertThat(list(workspace, Map.of("connected_account_id", "8a3c1b0e-2d3f-4a5b-9c6d-7e8f9a0b1c2d"))).isEmpty();
        assertThat(list(workspace, Map.of("device_type", "schlage_lock"))).containsExactly(schlage);
        assertThat(list(workspace, Map.of("device_types", List.of("august_lock", "ecobee_thermostat")))).containsExactly(ecobee, august);
        assertThat(list(workspace, Map.of("device_type", "august_lock", "device_types", List.of("yale_lock")))).isEmpty();
        assertThat(list(workspace, Map.of("manufacturer", "yale"))).containsExactly(yale);
        assertThat(list(workspace, Map.of("device_ids", List.of(august, ecobee)))).containsExactly(ecobee, august);
        String createdAtOfYale = device(workspace, yale).get("created_at").asText();
        assertThat(list(workspace, Map.of("created_before", createdAtOfYale))).containsExactly(schlage, august);
        assertThat(list(workspace, Map.of("custom_metadata_has", Map.of("unit", "4B")))).containsExactly(yale);
        assertThat(list(workspace, Map.of("custom_metadata_has", Map.of("unit", "4B", "vip", true)))).containsExactly(yale);
        assertThat(list(workspace, Map.of("custom_metadata_has", Map.of("unit", "5C")))).isEmpty();
        assertThat(list(workspace, Map.of("include_if", List.of("can_hvac_heat")))).containsExactly(ecobee);
        assertThat(list(workspace, Map.of("include_if", List.of("can_program_offline_access_codes")))).containsExactly(yale);
        assertThat(list(workspace, Map.of("exclude_if", List.of("can_remotely_unlock")))).containsExactly(ecobee);
        assertThat(list(workspace, Map.of("include_if", List.of("can_remotely_lock"), "exclude_if", List.of("can_configure_auto_lock"))))
                .containsExactly(yale, august);
        assertThat(list(workspace, Map.of("search", "door"))).containsExactly(yale, schlage, august);
        assertThat(list(workspace, Map.of("search", "Living"))).containsExactly(ecobee);
        assertThat(list(workspace, Map.of("search", "Sandbox House"))).hasSize(4);
        assertThat(list(workspace, Map.of("search", "4b"))).containsExactly(yale);
        assertThat(list(workspace, Map.of("search", august.substring(0, 8)))).containsExactly(august);
        assertThat(list(workspace, Map.of("search", sandbox.connectedAccountId().substring(0, 6)))).hasSize(4);
        assertThat(list(workspace, Map.of("search", "100%_"))).isEmpty();
        for (Map<String, Object> nothing : List.<Map<String, Object>>of(Map.of("connect_webview_id", august), Map.of("customer_key", "acme"),
                Map.of("space_id", august), Map.of("unstable_location_id", august), Map.of("user_identifier_key", "jane"))) {
            assertThat(list(workspace, nothing)).as("filter %s", nothing).isEmpty();
        }
        assertThat(ids(read(as(workspace).queryParam("custom_metadata_has.vip", "true").queryParam("manufacturer", "yale")
                .get("/devices/list").then().statusCode(200)))).containsExactly(yale);
    }

    @Test
    void updateRenamesSetsCustomMetadataAndUnmanages() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String id = sandbox.deviceId("august_lock");

        as(workspace).body(Map.of("device_id", id, "name", "Main Entrance", "custom_metadata", Map.of("unit", "4B", "vip", true)))
                .patch("/devices/update").then().statusCode(200).body("ok", equalTo(true));
        JsonNode renamed = device(workspace, id);
        SeamOpenApi.assertMatches("device", renamed);
        assertThat(renamed.get("nickname").asText()).isEqualTo("Main Entrance");
        assertThat(renamed.get("display_name").asText()).isEqualTo("Main Entrance");
        assertThat(renamed.at("/properties/appearance/name").asText()).isEqualTo("Front Door");
        assertThat(renamed.get("custom_metadata")).isEqualTo(DeviceTestSupport.JSON.valueToTree(Map.of("unit", "4B", "vip", true)));
        post(workspace, "/devices/get", Map.of("name", "Main Entrance")).statusCode(200).body("device.device_id", equalTo(id));

        Map<String, Object> metadataChanges = new HashMap<>();
        metadataChanges.put("floor", "2");
        metadataChanges.put("vip", null);
        Map<String, Object> reset = new HashMap<>();
        reset.put("device_id", id);
        reset.put("name", null);
        reset.put("custom_metadata", metadataChanges);
        post(workspace, "/devices/update", reset).statusCode(200);
        JsonNode back = device(workspace, id);
        assertThat(back.get("nickname")).isNull();
        assertThat(back.get("display_name").asText()).isEqualTo("Front Door");
        assertThat(back.get("custom_metadata")).isEqualTo(DeviceTestSupport.JSON.valueToTree(Map.of("unit", "4B", "floor", "2")));

        post(workspace, "/devices/update", Map.of("device_id", id, "properties", Map.of("name", "Porch"))).statusCode(200);
        assertThat(device(workspace, id).get("display_name").asText()).isEqualTo("Porch");
        post(workspace, "/devices/update", Map.of("device_id", id, "backup_access_code_pool_enabled", true)).statusCode(200);
        assertThat(device(workspace, id).at("/properties/backup_access_code_pool_enabled").asBoolean()).isTrue();

        post(workspace, "/devices/update", Map.of("device_id", id, "is_managed", false)).statusCode(200);
        post(workspace, "/devices/get", Map.of("device_id", id)).statusCode(404).body("error.type", equalTo("device_not_found"));
        post(workspace, "/devices/update", Map.of("device_id", id, "name", "x")).statusCode(404).body("error.type", equalTo("device_not_found"));
        assertThat(list(workspace, Map.of())).hasSize(3).doesNotContain(id);
    }

    @Test
    void metadataIsLimitedTo50Pairs() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String id = sandbox.deviceId("yale_lock");
        Map<String, Object> forty = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            forty.put("key" + i, "value");
        }
        post(sandbox.workspace(), "/devices/update", Map.of("device_id", id, "custom_metadata", forty)).statusCode(200);
        Map<String, Object> elevenMore = new HashMap<>();
        for (int i = 40; i < 51; i++) {
            elevenMore.put("key" + i, true);
        }
        post(sandbox.workspace(), "/devices/update", Map.of("device_id", id, "custom_metadata", elevenMore)).statusCode(400)
                .body("error.type", equalTo("invalid_input"))
                .body("error.validation_errors.custom_metadata._errors", hasSize(1));
        assertThat(device(sandbox.workspace(), id).get("custom_metadata").size()).isEqualTo(40);
    }

    @Test
    void simulatedDisconnectionConnectionAndRemoval() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String id = sandbox.deviceId("schlage_lock");

        post(workspace, "/devices/simulate/disconnect", Map.of("device_id", id)).statusCode(200).body("ok", equalTo(true));
        JsonNode offline = device(workspace, id);
        SeamOpenApi.assertMatches("device", offline);
        assertThat(offline.at("/properties/online").asBoolean()).isFalse();
        assertThat(offline.at("/errors/0/error_code").asText()).isEqualTo("device_disconnected");
        assertThat(offline.at("/errors/0/is_device_error").asBoolean()).isTrue();
        post(workspace, "/devices/simulate/disconnect", Map.of("device_id", id)).statusCode(200);
        assertThat(device(workspace, id).get("errors")).hasSize(1);

        post(workspace, "/devices/simulate/connect", Map.of("device_id", id)).statusCode(200);
        JsonNode online = device(workspace, id);
        assertThat(online.at("/properties/online").asBoolean()).isTrue();
        assertThat(online.get("errors").isEmpty()).isTrue();

        post(workspace, "/devices/simulate/remove", Map.of("device_id", id)).statusCode(200);
        post(workspace, "/devices/get", Map.of("device_id", id)).statusCode(404).body("error.type", equalTo("device_not_found"));
        post(workspace, "/devices/simulate/connect", Map.of("device_id", id)).statusCode(404).body("error.type", equalTo("device_not_found"));
        post(workspace, "/devices/simulate/remove", Map.of("device_id", id)).statusCode(404).body("error.type", equalTo("device_not_found"));
        assertThat(list(workspace, Map.of())).hasSize(3).doesNotContain(id);
    }

    @Test
    void deviceProvidersAreTheBrandsTheAdaptersConnect() {
        TestWorkspaces.Workspace workspace = DeviceTestSupport.workspace();
        JsonNode all = read(as(workspace).get("/devices/list_device_providers").then().statusCode(200));
        all.get("device_providers").forEach(provider -> SeamOpenApi.assertMatches("device_provider", provider));
        assertThat(names(all)).containsExactly("august", "schlage", "yale", "ecobee", "assa_abloy_credential_service");

        JsonNode thermostats = read(post(workspace, "/devices/list_device_providers", Map.of("provider_category", "thermostats")).statusCode(200));
        assertThat(names(thermostats)).containsExactly("ecobee");
        assertThat(thermostats.at("/device_providers/0/can_hvac_cool").asBoolean()).isTrue();
        assertThat(thermostats.at("/device_providers/0/can_remotely_unlock").asBoolean()).isFalse();
        assertThat(names(read(post(workspace, "/devices/list_device_providers", Map.of("provider_category", "cameras")).statusCode(200)))).isEmpty();
    }

    @Test
    void anotherWorkspaceSeesAndChangesNothing() {
        DeviceTestSupport.Sandbox owner = sandbox();
        TestWorkspaces.Workspace stranger = DeviceTestSupport.workspace();
        String id = owner.deviceId("august_lock");

        post(stranger, "/devices/list", Map.of()).statusCode(200).body("devices", hasSize(0));
        post(stranger, "/devices/get", Map.of("device_id", id)).statusCode(404).body("error.type", equalTo("device_not_found"));
        post(stranger, "/devices/get", Map.of("name", "Front Door")).statusCode(404).body("error.type", equalTo("device_not_found"));
        post(stranger, "/devices/update", Map.of("device_id", id, "name", "Mine")).statusCode(404);
        post(stranger, "/devices/simulate/disconnect", Map.of("device_id", id)).statusCode(404);
        post(stranger, "/devices/simulate/remove", Map.of("device_id", id)).statusCode(404);
        JsonNode untouched = device(owner.workspace(), id);
        assertThat(untouched.get("display_name").asText()).isEqualTo("Front Door");
        assertThat(untouched.at("/properties/online").asBoolean()).isTrue();
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    private static List<String> list(TestWorkspaces.Workspace workspace, Map<String, ?> filters) {
        return ids(read(post(workspace, "/devices/list", filters).statusCode(200)));
    }

    private static List<String> ids(JsonNode list) {
        return values(list.get("devices"), device -> device.get("device_id"));
    }

    private static List<String> names(JsonNode providers) {
        return values(providers.get("device_providers"), provider -> provider.get("device_provider_name"));
    }

    private static List<String> texts(JsonNode array) {
        return values(array, UnaryOperator.identity());
    }

    private static List<String> values(JsonNode array, UnaryOperator<JsonNode> field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(field.apply(item).asText()));
        return values;
    }
}
