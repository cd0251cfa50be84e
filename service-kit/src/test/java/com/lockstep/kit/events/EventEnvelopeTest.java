package com.lockstep.kit.events;

import com.lockstep.events.device.DeviceConnected;
import com.lockstep.kit.events.outbox.EventEnvelope;
import com.lockstep.state.api_key.ApiKeyState;
import org.apache.avro.AvroRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventEnvelopeTest {

    @Test
    void anEventBuiltFromAnEnvelopedRecordCarriesTheEnvelopeAndTheSchemasDefaults() {
        UUID workspace = UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        DeviceConnected event = DeviceConnected.newBuilder(
                        EventEnvelope.on(new DeviceConnected(), "device.connected", workspace, at))
                .setDeviceId(UUID.randomUUID().toString())
                .setConnectedAccountId(UUID.randomUUID().toString())
                .build();

        UUID.fromString(event.getEventId());
        assertEquals("device.connected", event.getEventType());
        assertEquals(workspace.toString(), event.getWorkspaceId());
        assertEquals(at, event.getOccurredAt());
        assertTrue(!event.getCreatedAt().isBefore(at), "created_at is when the event was made");
        assertEquals(Map.of(), event.getDeviceCustomMetadata());
    }

    @Test
    void everyEnvelopeHasItsOwnEventId() {
        UUID workspace = UUID.randomUUID();
        Instant at = Instant.now();
        assertNotEquals(EventEnvelope.on(new DeviceConnected(), "device.connected", workspace, at).getEventId(),
                EventEnvelope.on(new DeviceConnected(), "device.connected", workspace, at).getEventId());
    }

    @Test
    void anEventMissingOneOfItsOwnFieldsIsNotBuilt() {
        DeviceConnected.Builder builder = DeviceConnected.newBuilder(
                        EventEnvelope.on(new DeviceConnected(), "device.connected", UUID.randomUUID(), Instant.now()))
                .setDeviceId(UUID.randomUUID().toString());
        assertThrows(AvroRuntimeException.class, builder::build);
    }

    @Test
    void aRecordWithoutAnEnvelopeIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EventEnvelope.on(new ApiKeyState(), "api_key.created", UUID.randomUUID(), Instant.now()));
        assertTrue(refused.getMessage().contains("is not an event"), refused.getMessage());
    }
}
