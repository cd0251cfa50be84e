package com.lockstep.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.state.device.DeviceAppearance;
import com.lockstep.state.device.DeviceBattery;
import com.lockstep.state.device.DeviceError;
import com.lockstep.state.device.DeviceModel;
import com.lockstep.state.device.DeviceProperties;
import com.lockstep.state.device.DeviceState;

class SeamRecordJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static DeviceState lock() {
        Instant created = Instant.parse("2026-11-22T10:15:30.123Z");
        return DeviceState.newBuilder()
                .setDeviceId("9b4ab2b3-7d59-4e23-9f6b-0c0e7c3c1f11")
                .setWorkspaceId("5c5f5a0e-4ad4-4bd2-9a8f-3f1b8b7b1c11")
                .setConnectedAccountId("0d5a9c3e-8f1b-4f0a-a5e5-2d1c0b7a6f22")
                .setDeviceType("august_lock")
                .setDisplayName("Front Door")
                .setCapabilitiesSupported(List.of("access_code", "lock", "battery"))
                .setProperties(DeviceProperties.newBuilder()
                        .setOnline(false)
                        .setName("Front Door")
                        .setAppearance(new DeviceAppearance("Front Door"))
                        .setModel(DeviceModel.newBuilder().setDisplayName("Wi-Fi Smart Lock").setManufacturerDisplayName("August").build())
                        .setBatteryLevel(0.5)
                        .setBattery(new DeviceBattery(0.5, "good"))
                        .setLocked(true)
                        .setSupportedCodeLengths(List.of(4L, 6L))
                        .build())
                .setErrors(List.of(DeviceError.newBuilder().setErrorCode("device_disconnected").setMessage("Device disconnected")
                        .setCreatedAt(created).setIsDeviceError(true).build()))
                .setWarnings(List.of())
                .setCreatedAt(created)
                .setIsManaged(true)
                .setCustomMetadata(Map.of("unit", "4B", "vip", true))
                .setCanRemotelyUnlock(true)
                .build();
    }

    @Test
    void writesSeamsJsonLeavingNullsOut() throws Exception {
        ObjectNode json = SeamRecordJson.toJson(lock());

        JsonNode expected = MAPPER.readTree("""
                {"device_id": "9b4ab2b3-7d59-4e23-9f6b-0c0e7c3c1f11", "workspace_id": "5c5f5a0e-4ad4-4bd2-9a8f-3f1b8b7b1c11",
                 "connected_account_id": "0d5a9c3e-8f1b-4f0a-a5e5-2d1c0b7a6f22", "device_type": "august_lock",
                 "display_name": "Front Door", "capabilities_supported": ["access_code", "lock", "battery"],
                 "properties": {"online": false, "name": "Front Door", "appearance": {"name": "Front Door"},
                   "model": {"display_name": "Wi-Fi Smart Lock", "manufacturer_display_name": "August"},
                   "battery_level": 0.5, "battery": {"level": 0.5, "status": "good"}, "locked": true, "supported_code_lengths": [4, 6]},
                 "errors": [{"error_code": "device_disconnected", "message": "Device disconnected",
                   "created_at": "2026-11-22T10:15:30.123Z", "is_device_error": true}],
                 "warnings": [], "created_at": "2026-11-22T10:15:30.123Z", "is_managed": true,
                 "custom_metadata": {"unit": "4B", "vip": true}, "can_remotely_unlock": true, "space_ids": []}
                """);
        assertEquals(expected, MAPPER.readTree(json.toString()));
    }

    @Test
    void readsBackTheSameRecord() {
        DeviceState lock = lock();
        assertEquals(lock, SeamRecordJson.fromJson(SeamRecordJson.toJson(lock), DeviceState.class));
    }

    @Test
    void missingDefaultedFieldsTakeTheirDefault() {
        ObjectNode json = SeamRecordJson.toJson(lock());
        json.remove("space_ids");
        assertEquals(List.of(), SeamRecordJson.fromJson(json, DeviceState.class).getSpaceIds());
    }

    @Test
    void unknownFieldsMissingFieldsAndWrongTypesNameTheirPath() {
        ObjectNode unknown = SeamRecordJson.toJson(lock());
        ((ObjectNode) unknown.get("properties")).put("warp_drive", true);
        assertMessage("$.properties.warp_drive: not a field", () -> SeamRecordJson.fromJson(unknown, DeviceState.class));

        ObjectNode missing = SeamRecordJson.toJson(lock());
        missing.remove("workspace_id");
        assertMessage("$.workspace_id: required", () -> SeamRecordJson.fromJson(missing, DeviceState.class));

        ObjectNode wrongType = SeamRecordJson.toJson(lock());
        ((ObjectNode) wrongType.get("properties")).put("online", "yes");
        assertMessage("$.properties.online: expected a boolean", () -> SeamRecordJson.fromJson(wrongType, DeviceState.class));

        ObjectNode badTimestamp = SeamRecordJson.toJson(lock());
        badTimestamp.put("created_at", "yesterday");
        assertMessage("$.created_at: expected a timestamp", () -> SeamRecordJson.fromJson(badTimestamp, DeviceState.class));

        ObjectNode badMetadata = SeamRecordJson.toJson(lock());
        ((ObjectNode) badMetadata.get("custom_metadata")).put("floor", 4);
        assertMessage("$.custom_metadata.floor: expected a value of", () -> SeamRecordJson.fromJson(badMetadata, DeviceState.class));
    }

    @Test
    void integralNumbersStayIntegersAndMeasurementsStayDecimals() {
        ObjectNode json = SeamRecordJson.toJson(lock());
        assertTrue(json.at("/properties/supported_code_lengths/0").isIntegralNumber());
        assertFalse(json.at("/properties/battery_level").isIntegralNumber());
    }

    private static void assertMessage(String start, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
