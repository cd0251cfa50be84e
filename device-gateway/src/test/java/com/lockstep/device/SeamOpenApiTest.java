package com.lockstep.device;

import com.lockstep.testkit.SeamOpenApi;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema check the API tests rely on does reject what Seam's schema rejects. */
class SeamOpenApiTest {

    private static ObjectNode device() throws Exception {
        return (ObjectNode) DeviceTestSupport.JSON.readTree("""
                {"device_id": "9b4ab2b3-7d59-4e23-9f6b-0c0e7c3c1f11", "device_type": "august_lock", "display_name": "Front Door",
                 "space_ids": [], "capabilities_supported": ["lock"], "connected_account_id": "0d5a9c3e-8f1b-4f0a-a5e5-2d1c0b7a6f22",
                 "workspace_id": "5c5f5a0e-4ad4-4bd2-9a8f-3f1b8b7b1c11", "errors": [], "warnings": [],
                 "created_at": "2026-11-22T10:15:30.123Z", "is_managed": true, "custom_metadata": {},
                 "properties": {"online": true, "name": "Front Door", "appearance": {"name": "Front Door"},
                   "model": {"display_name": "Wi-Fi Smart Lock", "manufacturer_display_name": "August"}}}
                """);
    }

    @Test
    void acceptsAMinimalDevice() throws Exception {
        SeamOpenApi.assertMatches("device", device());
    }

    @Test
    void rejectsMissingFieldsWrongTypesAndValuesOutsideTheirEnum() throws Exception {
        ObjectNode missing = device();
        missing.remove("workspace_id");
        assertThatThrownBy(() -> SeamOpenApi.assertMatches("device", missing)).hasMessageContaining("workspace_id");

        ObjectNode wrongType = device();
        ((ObjectNode) wrongType.get("properties")).put("online", "yes");
        assertThatThrownBy(() -> SeamOpenApi.assertMatches("device", wrongType)).hasMessageContaining("online");

        ObjectNode unknownType = device();
        unknownType.put("device_type", "time_machine");
        assertThatThrownBy(() -> SeamOpenApi.assertMatches("device", unknownType)).hasMessageContaining("device_type");

        ObjectNode outOfRange = device();
        ((ObjectNode) outOfRange.get("properties")).put("battery_level", 1.5);
        assertThatThrownBy(() -> SeamOpenApi.assertMatches("device", outOfRange)).hasMessageContaining("battery_level");
    }
}
