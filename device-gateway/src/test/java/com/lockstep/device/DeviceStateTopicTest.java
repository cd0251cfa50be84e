package com.lockstep.device;

import com.lockstep.testkit.SeamOpenApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.lockstep.device.provider.sandbox.SandboxProvider;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.json.SeamRecordJson;
import com.lockstep.state.device.DeviceState;
import com.lockstep.testkit.RealServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.lockstep.device.DeviceTestSupport.EVENTS;
import static com.lockstep.device.DeviceTestSupport.JSON;
import static com.lockstep.device.DeviceTestSupport.device;
import static com.lockstep.device.DeviceTestSupport.post;
import static com.lockstep.device.DeviceTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the compacted device state topic as a consumer that materialises it would: from the
 * beginning, into an empty map, a tombstone removing its key.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class DeviceStateTopicTest {

    @Inject
    SandboxProvider sandboxProvider;

    @Test
    void eachDeviceIsItsFullCurrentObjectAndARemovedOneIsGone() throws Exception {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        UUID workspaceId = sandbox.workspace().workspaceId();
        String august = sandbox.deviceId("august_lock");
        String schlage = sandbox.deviceId("schlage_lock");
        String yale = sandbox.deviceId("yale_lock");
        String ecobee = sandbox.deviceId("ecobee_thermostat");

        sandboxProvider.reportBatteryLevel(workspaceId, UUID.fromString(august), 0.2);
        post(sandbox.workspace(), "/devices/simulate/disconnect", Map.of("device_id", schlage)).statusCode(200);
        sandboxProvider.reportBatteryLevel(workspaceId, UUID.fromString(schlage), 0.05);
        post(sandbox.workspace(), "/devices/update", Map.of("device_id", yale, "name", "Garage", "custom_metadata", Map.of("vip", true)))
                .statusCode(200);
        post(sandbox.workspace(), "/devices/simulate/remove", Map.of("device_id", ecobee)).statusCode(200);

        Map<String, DeviceState> state = new HashMap<>();
        EVENTS.readUntil(Topics.DEVICE_STATE, read -> {
            state.clear();
            read.forEach(record -> apply(state, record));
            return state.containsKey(yale) && state.get(yale).getDisplayName().equals("Garage")
                    && state.containsKey(schlage) && state.get(schlage).getProperties().getBatteryLevel() == 0.05
                    && state.containsKey(august) && state.get(august).getProperties().getBatteryLevel() == 0.2
                    && !state.containsKey(ecobee);
        }, Duration.ofSeconds(10));

        for (String id : List.of(august, schlage, yale)) {
            JsonNode fromTopic = JSON.readTree(SeamRecordJson.toJson(state.get(id)).toString());
            assertThat(fromTopic).as("device %s on the state topic", id).isEqualTo(device(sandbox.workspace(), id));
            SeamOpenApi.assertMatches("device", fromTopic);
        }
        assertThat(state.get(august).getProperties().getBattery().getStatus()).isEqualTo("low");
        assertThat(state.get(schlage).getProperties().getOnline()).isFalse();
        assertThat(state.get(schlage).getErrors()).singleElement().satisfies(error -> assertThat(error.getErrorCode()).isEqualTo("device_disconnected"));
        assertThat(state.get(schlage).getProperties().getBattery().getStatus()).isEqualTo("critical");
        assertThat(state.get(yale).getCustomMetadata()).isEqualTo(Map.of("vip", true));
        assertThat(state).doesNotContainKey(ecobee);
    }

    @Test
    void anUnmanagedDeviceStaysOnTheTopicMarkedUnmanaged() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String yale = sandbox.deviceId("yale_lock");
        post(sandbox.workspace(), "/devices/update", Map.of("device_id", yale, "is_managed", false)).statusCode(200);

        Map<String, DeviceState> state = new HashMap<>();
        EVENTS.readUntil(Topics.DEVICE_STATE, read -> {
            state.clear();
            read.forEach(record -> apply(state, record));
            return state.containsKey(yale) && !state.get(yale).getIsManaged();
        }, Duration.ofSeconds(10));
        assertThat(state.get(yale).getIsManaged()).isFalse();
    }

    private static void apply(Map<String, DeviceState> state, ConsumerRecord<String, Object> record) {
        if (record.value() == null) {
            state.remove(record.key());
        } else {
            state.put(record.key(), (DeviceState) record.value());
        }
    }
}
