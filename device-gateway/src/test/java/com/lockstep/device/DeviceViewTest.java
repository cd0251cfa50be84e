package com.lockstep.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.device.store.DeviceRepository;
import com.lockstep.device.view.DeviceView;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.api.SeamRequestFilters;
import com.lockstep.kit.db.Database;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.lockstep.device.DeviceTestSupport.as;
import static com.lockstep.device.DeviceTestSupport.device;
import static com.lockstep.device.DeviceTestSupport.post;
import static com.lockstep.device.DeviceTestSupport.read;
import static com.lockstep.device.DeviceTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/**
 * Reads served from the in-memory device view: the same answers as the database gives, changes
 * made by another process (another replica, an operator's SQL) reaching the view through the
 * database's notifications, and the view starting afresh after losing its connection.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class DeviceViewTest {

    private static final Duration NOTIFIED_WITHIN = Duration.ofSeconds(10);

    @Inject
    DeviceView view;

    @Inject
    Database database;

    @Inject
    DeviceRepository devices;

    /** A sandbox workspace whose devices the view holds. */
    private DeviceTestSupport.Sandbox heldSandbox() {
        await().atMost(NOTIFIED_WITHIN).until(view::listening);
        DeviceTestSupport.Sandbox sandbox = sandbox();
        hold(sandbox.workspace());
        return sandbox;
    }

    /** Reads until the view holds the workspace (a notification of an earlier change may drop it once more). */
    private void hold(TestWorkspaces.Workspace workspace) {
        await().atMost(NOTIFIED_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> {
            post(workspace, "/devices/list", Map.of()).statusCode(200);
            return view.current(workspace.workspaceId()) != null;
        });
    }

    /** A change committed by someone else than this process's writers: only the notification tells the view. */
    private void sql(String statement, Object... args) throws Exception {
        database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    update.setObject(i + 1, args[i]);
                }
                return update.executeUpdate();
            }
        });
    }

    private static void rename(UUID deviceId, String name, DeviceViewTest test) throws Exception {
        test.sql("UPDATE device SET display_name = ?, device = jsonb_set(jsonb_set(device, '{display_name}', to_jsonb(?::text)),"
                + " '{nickname}', to_jsonb(?::text)) WHERE device_id = ?", name, name, name, deviceId);
    }

    @Test
    void aChangeCommittedElsewhereReachesTheView() throws Exception {
        DeviceTestSupport.Sandbox sandbox = heldSandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String id = sandbox.deviceId("schlage_lock");
        assertThat(device(workspace, id).get("display_name").asText()).isNotEqualTo("Renamed by another replica");

        rename(UUID.fromString(id), "Renamed by another replica", this);

        await().atMost(NOTIFIED_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(device(workspace, id).get("display_name").asText()).isEqualTo("Renamed by another replica"));
        post(workspace, "/devices/get", Map.of("name", "Renamed by another replica")).statusCode(200).body("device.device_id", equalTo(id));
        assertThat(names(read(post(workspace, "/devices/list", Map.of()).statusCode(200)))).contains("Renamed by another replica");
        hold(workspace);
    }

    @Test
    void devicesRemovedOrUnmanagedElsewhereLeaveTheView() throws Exception {
        DeviceTestSupport.Sandbox sandbox = heldSandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String august = sandbox.deviceId("august_lock");
        String yale = sandbox.deviceId("yale_lock");

        sql("UPDATE device SET removed_at = now() WHERE device_id = ?", UUID.fromString(august));
        sql("UPDATE device SET is_managed = false WHERE device_id = ?", UUID.fromString(yale));

        await().atMost(NOTIFIED_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(ids(read(post(workspace, "/devices/list", Map.of()).statusCode(200))))
                        .containsExactly(sandbox.deviceId("ecobee_thermostat"), sandbox.deviceId("schlage_lock")));
        post(workspace, "/devices/get", Map.of("device_id", august)).statusCode(404).body("error.type", equalTo("device_not_found"));
        post(workspace, "/devices/get", Map.of("device_id", yale)).statusCode(404).body("error.type", equalTo("device_not_found"));
    }

    @Test
    void theViewStartsAfreshAfterLosingItsConnection() throws Exception {
        DeviceTestSupport.Sandbox sandbox = heldSandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String id = sandbox.deviceId("yale_lock");

        int terminated = database.read(c -> {
            try (PreparedStatement kill = c.prepareStatement(
                    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?) t")) {
                kill.setString(1, DeviceView.LISTENER_NAME);
                try (ResultSet rows = kill.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
        assertThat(terminated).isEqualTo(1);
        // Whether or not the view has noticed yet, this change must be read (from the database meanwhile).
        rename(UUID.fromString(id), "Renamed while the view was away", this);
        await().atMost(NOTIFIED_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(device(workspace, id).get("display_name").asText()).isEqualTo("Renamed while the view was away"));

        await().atMost(NOTIFIED_WITHIN).until(view::listening);
        hold(workspace);
        rename(UUID.fromString(id), "Renamed after it came back", this);
        await().atMost(NOTIFIED_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(device(workspace, id).get("display_name").asText()).isEqualTo("Renamed after it came back"));
    }

    @Test
    void aWriterReadsItsOwnWriteAtOnce() {
        DeviceTestSupport.Sandbox sandbox = heldSandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String id = sandbox.deviceId("august_lock");
        for (int i = 0; i < 20; i++) {
            post(workspace, "/devices/update", Map.of("device_id", id, "name", "Door " + i)).statusCode(200);
            assertThat(device(workspace, id).get("display_name").asText()).isEqualTo("Door " + i);
            as(workspace).queryParam("name", "Door " + i).get("/devices/get").then().statusCode(200).body("device.device_id", equalTo(id));
        }
        post(workspace, "/devices/simulate/disconnect", Map.of("device_id", id)).statusCode(200);
        assertThat(device(workspace, id).at("/properties/online").asBoolean()).isFalse();
    }

    /** Every filter the view answers gives what DeviceRepository's query gives, page by page. */
    @Test
    void theViewAnswersListsAsTheDatabaseDoes() throws Exception {
        DeviceTestSupport.Sandbox sandbox = heldSandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        UUID workspaceId = workspace.workspaceId();
        String yale = sandbox.deviceId("yale_lock");
        Instant createdAtOfYale = Instant.parse(device(workspace, yale).get("created_at").asText());
        UUID account = UUID.fromString(sandbox.connectedAccountId());

        List<Map<String, Object>> requests = List.of(
                Map.of(),
                Map.of("device_types", List.of("august_lock", "ecobee_thermostat", "yale_lock")),
                Map.of("manufacturer", "schlage"),
                Map.of("connected_account_id", account.toString()),
                Map.of("device_ids", List.of(yale, sandbox.deviceId("august_lock"))),
                Map.of("created_before", createdAtOfYale.toString()),
                Map.of("include_if", List.of("can_remotely_lock"), "exclude_if", List.of("can_configure_auto_lock")),
                Map.of("exclude_if", List.of("can_hvac_heat")));
        List<DeviceFilter> filters = List.of(
                filter(null, null, null, null, null, null),
                filter(null, List.of("august_lock", "ecobee_thermostat", "yale_lock"), null, null, null, null),
                filter(null, null, "schlage", null, null, null),
                filter(List.of(account), null, null, null, null, null),
                filter(null, null, null, List.of(UUID.fromString(yale), UUID.fromString(sandbox.deviceId("august_lock"))), null, null),
                filter(null, null, null, null, createdAtOfYale, null),
                new DeviceFilter(null, null, null, null, null, null, List.of("can_remotely_lock"), List.of("can_configure_auto_lock"), null, false),
                new DeviceFilter(null, null, null, null, null, null, null, List.of("can_hvac_heat"), null, false));
        for (int i = 0; i < requests.size(); i++) {
            for (int limit : new int[] {1, 2, 500}) {
                List<String> fromDatabase = new ArrayList<>();
                PageCursor cursor = null;
                while (true) {
                    PageCursor after = cursor;
                    DeviceFilter filter = filters.get(i);
                    List<DeviceRepository.StoredDevice> rows = database.read(() -> devices.listManaged(workspaceId, filter, after, limit));
                    rows.stream().limit(limit).forEach(row -> fromDatabase.add(row.deviceId().toString()));
                    if (rows.size() <= limit) {
                        break;
                    }
                    DeviceRepository.StoredDevice last = rows.get(limit - 1);
                    cursor = new PageCursor(last.createdAt(), last.deviceId());
                }
                List<String> fromView = new ArrayList<>();
                String pageCursor = null;
                while (true) {
                    Map<String, Object> body = new java.util.HashMap<>(requests.get(i));
                    body.put("limit", limit);
                    if (pageCursor != null) {
                        body.put("page_cursor", pageCursor);
                    }
                    JsonNode page = read(post(workspace, "/devices/list", body).statusCode(200));
                    fromView.addAll(ids(page));
                    if (!page.at("/pagination/has_next_page").asBoolean()) {
                        break;
                    }
                    pageCursor = page.at("/pagination/next_page_cursor").asText();
                }
                assertThat(fromView).as("%s, limit %d", requests.get(i), limit).containsExactlyElementsOf(fromDatabase);
            }
        }
    }

    @Test
    void errorsAnsweredOnTheEventLoopKeepSeamsShape() {
        DeviceTestSupport.Sandbox sandbox = heldSandbox();
        TestWorkspaces.Workspace workspace = sandbox.workspace();
        String requestId = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
        ValidatableResponse invalid = as(workspace).queryParam("device_id", "nope").get("/devices/get").then().statusCode(400)
                .header(SeamRequestFilters.REQUEST_ID_HEADER, matchesPattern(requestId))
                .body("error.type", equalTo("invalid_input"))
                .body("error.validation_errors.device_id._errors[0]", equalTo("Invalid uuid"))
                .body("ok", equalTo(false));
        assertThat(invalid.extract().path("error.request_id").toString()).isEqualTo(invalid.extract().header(SeamRequestFilters.REQUEST_ID_HEADER));
        as(workspace).queryParam("device_id", UUID.randomUUID()).get("/devices/get").then().statusCode(404)
                .body("error.type", equalTo("device_not_found"));
        as(workspace).queryParam("device_id", sandbox.deviceId("yale_lock")).get("/devices/get").then().statusCode(200)
                .header("Content-Type", startsWith("application/json"))
                .header(SeamRequestFilters.REQUEST_ID_HEADER, matchesPattern(requestId))
                .body("ok", equalTo(true))
                .body("device.device_id", equalTo(sandbox.deviceId("yale_lock")));
        io.restassured.RestAssured.given().header("Authorization", "Bearer seam_not_a_key").get("/devices/list").then()
                .statusCode(401).body("error.type", equalTo("unauthorized"));
        as(workspace).delete("/devices/list").then().statusCode(405).body("error.type", equalTo("method_not_allowed"));
    }

    private static DeviceFilter filter(List<UUID> accounts, List<String> types, String manufacturer, List<UUID> ids,
                                       Instant createdBefore, List<String> includeIf) {
        return new DeviceFilter(accounts, types, manufacturer, ids, createdBefore, null, includeIf, null, null, false);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("devices").forEach(device -> ids.add(device.get("device_id").asText()));
        return ids;
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("devices").forEach(device -> names.add(device.get("display_name").asText()));
        return names;
    }
}
