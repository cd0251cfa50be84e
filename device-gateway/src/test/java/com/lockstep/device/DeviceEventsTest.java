package com.lockstep.device;

import com.lockstep.device.provider.sandbox.SandboxProvider;
import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.events.acs_system.AcsSystemConnected;
import com.lockstep.events.acs_system.AcsSystemDisconnected;
import com.lockstep.events.device.DeviceConnected;
import com.lockstep.events.device.DeviceDisconnected;
import com.lockstep.events.device.DeviceLowBattery;
import com.lockstep.events.device.DeviceRemoved;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static com.lockstep.device.DeviceTestSupport.EVENTS;
import static com.lockstep.device.DeviceTestSupport.post;
import static com.lockstep.device.DeviceTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class DeviceEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    SandboxProvider sandboxProvider;

    @Test
    void provisioningAnnouncesEveryDeviceAndTheAcsSystem() {
        Instant before = Instant.now().minusSeconds(1);
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String workspaceId = sandbox.workspace().workspaceId().toString();

        List<DeviceConnected> connected = events(Topics.DEVICE_EVENTS, DeviceConnected.class,
                e -> e.getWorkspaceId().equals(workspaceId), 4);
        assertThat(connected).extracting(DeviceConnected::getDeviceId).containsExactlyInAnyOrderElementsOf(sandbox.deviceIds().values());
        for (DeviceConnected event : connected) {
            assertThat(event.getEventType()).isEqualTo("device.connected");
            assertThat(UUID.fromString(event.getEventId())).isNotNull();
            assertThat(event.getConnectedAccountId()).isEqualTo(sandbox.connectedAccountId());
            assertThat(event.getOccurredAt()).isBetween(before, Instant.now());
            assertThat(event.getCreatedAt()).isAfterOrEqualTo(event.getOccurredAt());
            assertThat(event.getDeviceCustomMetadata()).isEmpty();
        }

        AcsSystemAdded added = events(Topics.ACS_SYSTEM_EVENTS, AcsSystemAdded.class, e -> e.getWorkspaceId().equals(workspaceId), 1).get(0);
        assertThat(added.getEventType()).isEqualTo("acs_system.added");
        assertThat(added.getAcsSystemId()).isEqualTo(sandbox.acsSystemId());
        assertThat(added.getConnectedAccountId()).isEqualTo(sandbox.connectedAccountId());
        assertThat(added.getName()).isEqualTo("ASSA ABLOY Credential Service");
        assertThat(added.getExternalType()).isEqualTo("assa_abloy_credential_service");
        assertThat(added.getIsCredentialManager()).isTrue();
        AcsSystemConnected systemConnected = events(Topics.ACS_SYSTEM_EVENTS, AcsSystemConnected.class,
                e -> e.getAcsSystemId().equals(sandbox.acsSystemId()), 1).get(0);
        assertThat(systemConnected.getEventType()).isEqualTo("acs_system.connected");
    }

    @Test
    void disconnectingConnectingAndRemovingADevicePublishSeamsEventsInOrder() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String id = sandbox.deviceId("yale_lock");
        post(sandbox.workspace(), "/devices/update", Map.of("device_id", id, "custom_metadata", Map.of("unit", "4B"))).statusCode(200);

        post(sandbox.workspace(), "/devices/simulate/disconnect", Map.of("device_id", id)).statusCode(200);
        post(sandbox.workspace(), "/devices/simulate/connect", Map.of("device_id", id)).statusCode(200);
        post(sandbox.workspace(), "/devices/simulate/remove", Map.of("device_id", id)).statusCode(200);

        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.DEVICE_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof DeviceRemoved removed && removed.getDeviceId().equals(id)), TIMEOUT);
        List<Object> ofThisDevice = records.stream().filter(r -> id.equals(r.key())).map(ConsumerRecord::value).toList();
        assertThat(ofThisDevice).hasExactlyElementsOfTypes(DeviceConnected.class, DeviceDisconnected.class, DeviceConnected.class,
                DeviceRemoved.class);

        DeviceDisconnected disconnected = (DeviceDisconnected) ofThisDevice.get(1);
        assertThat(disconnected.getEventType()).isEqualTo("device.disconnected");
        assertThat(disconnected.getErrorCode()).isEqualTo("device_disconnected");
        assertThat(disconnected.getDeviceErrors()).singleElement().satisfies(error -> {
            assertThat(error.getErrorCode()).isEqualTo("device_disconnected");
            assertThat(error.getMessage()).isNotBlank();
        });
        assertThat(disconnected.getDeviceWarnings()).isEmpty();
        assertThat(disconnected.getConnectedAccountErrors()).isEmpty();
        assertThat(disconnected.getDeviceCustomMetadata()).isEqualTo(Map.of("unit", "4B"));
        DeviceRemoved removed = (DeviceRemoved) ofThisDevice.get(3);
        assertThat(removed.getEventType()).isEqualTo("device.removed");
        assertThat(removed.getConnectedAccountId()).isEqualTo(sandbox.connectedAccountId());
        ConsumerRecord<String, Object> removal = records.stream().filter(r -> r.value() == ofThisDevice.get(3)).findFirst().orElseThrow();
        assertThat(header(removal, "event_type")).isEqualTo("device.removed");
        assertThat(header(removal, "event_id")).isEqualTo(removed.getEventId());
    }

    @Test
    void lowBatteryIsPublishedWhenTheLevelFallsBelowTheThreshold() throws Exception {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        UUID workspaceId = sandbox.workspace().workspaceId();
        String id = sandbox.deviceId("august_lock");

        for (double level : new double[] {0.5, 0.2, 0.15, 0.9, 0.1}) {
            assertThat(sandboxProvider.reportBatteryLevel(workspaceId, UUID.fromString(id), level)).isTrue();
        }
        post(sandbox.workspace(), "/devices/simulate/remove", Map.of("device_id", id)).statusCode(200);

        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.DEVICE_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof DeviceRemoved removed && removed.getDeviceId().equals(id)), TIMEOUT);
        List<DeviceLowBattery> lowBattery = records.stream().map(ConsumerRecord::value)
                .filter(v -> v instanceof DeviceLowBattery low && low.getDeviceId().equals(id)).map(DeviceLowBattery.class::cast).toList();
        assertThat(lowBattery).extracting(DeviceLowBattery::getBatteryLevel).containsExactly(0.2, 0.1);
        assertThat(lowBattery.get(0).getEventType()).isEqualTo("device.low_battery");
        assertThat(lowBattery.get(0).getConnectedAccountId()).isEqualTo(sandbox.connectedAccountId());
    }

    @Test
    void aDisconnectedAcsSystemIsAnnouncedWithItsErrors() throws Exception {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        UUID workspaceId = sandbox.workspace().workspaceId();
        UUID system = UUID.fromString(sandbox.acsSystemId());

        assertThat(sandboxProvider.reportAcsSystemConnectivity(workspaceId, system, false)).isTrue();
        assertThat(sandboxProvider.reportAcsSystemConnectivity(workspaceId, system, false)).isTrue();
        assertThat(sandboxProvider.reportAcsSystemConnectivity(workspaceId, system, true)).isTrue();

        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.ACS_SYSTEM_EVENTS,
                read -> read.stream().filter(r -> system.toString().equals(r.key())).count() >= 4, TIMEOUT);
        List<Object> ofThisSystem = records.stream().filter(r -> system.toString().equals(r.key())).map(ConsumerRecord::value).toList();
        assertThat(ofThisSystem).hasExactlyElementsOfTypes(AcsSystemAdded.class, AcsSystemConnected.class,
                AcsSystemDisconnected.class, AcsSystemConnected.class);
        AcsSystemDisconnected disconnected = (AcsSystemDisconnected) ofThisSystem.get(2);
        assertThat(disconnected.getEventType()).isEqualTo("acs_system.disconnected");
        assertThat(disconnected.getWorkspaceId()).isEqualTo(workspaceId.toString());
        assertThat(disconnected.getAcsSystemErrors()).singleElement()
                .satisfies(error -> assertThat(error.getErrorCode()).isEqualTo("acs_system_disconnected"));
        assertThat(disconnected.getAcsSystemWarnings()).isEmpty();
        assertThat(disconnected.getConnectedAccountErrors()).isEmpty();
        assertThat(disconnected.getConnectedAccountWarnings()).isEmpty();
    }

    /** Waits until {@code count} events of the type match, reading the topic from the beginning. */
    private static <T> List<T> events(String topic, Class<T> type, Predicate<T> matches, int count) {
        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(topic,
                read -> read.stream().filter(r -> type.isInstance(r.value()) && matches.test(type.cast(r.value()))).count() >= count, TIMEOUT);
        List<T> found = records.stream().map(ConsumerRecord::value).filter(type::isInstance).map(type::cast).filter(matches).toList();
        assertThat(found).hasSize(count);
        return found;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
