package com.lockstep.phone.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.api.Params;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Makes the phone Seam's sandbox would register for {@code /phones/simulate/create_sandbox_phone}:
 * the request's phone and ASSA ABLOY metadata, with Seam's defaults where they are left out.
 */
public final class SandboxPhones {

    private SandboxPhones() {
    }

    /** Reads the request; problems are collected in {@code params}, which the caller validates. */
    public static Phone fromRequest(Params params, UUID workspaceId) {
        UUID owner = params.requiredUuid("user_identity_id");
        String installationId = params.optionalString("custom_sdk_installation_id");

        Params phoneMetadata = params.nested("phone_metadata");
        String operatingSystem = orDefault(phoneMetadata.optionalString("operating_system"), "android");
        if (!operatingSystem.equals("android") && !operatingSystem.equals("ios")) {
            phoneMetadata.problem("operating_system", "Invalid enum value. Expected 'android' | 'ios', received '" + operatingSystem + "'");
        }
        phoneMetadata.optionalString("device_manufacturer");
        String model = orDefault(phoneMetadata.optionalString("device_model"),
                operatingSystem.equals("ios") ? "iPhone 15" : "Samsung Galaxy S10");
        phoneMetadata.optionalString("os_version");
        phoneMetadata.validate();

        Params assaAbloy = params.nested("assa_abloy_metadata");
        assaAbloy.optionalString("application_version");
        assaAbloy.optionalBoolean("ble_capability");
        assaAbloy.optionalBoolean("hce_capability");
        assaAbloy.optionalBoolean("nfc_capability");
        assaAbloy.optionalString("seos_applet_version");
        assaAbloy.optionalInt("seos_tsm_endpoint_id", 0, Integer.MAX_VALUE);
        assaAbloy.validate();

        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        ObjectNode credentialService = properties.putObject("assa_abloy_credential_service_metadata");
        credentialService.put("has_active_endpoint", true);
        credentialService.putArray("endpoints").addObject()
                .put("endpoint_id", UUID.randomUUID().toString())
                .put("is_active", true);

        DeviceType type = operatingSystem.equals("ios") ? DeviceType.ios_phone : DeviceType.android_phone;
        return new Phone(UUID.randomUUID(), workspaceId, owner, type, null, model,
                JsonNodeFactory.instance.objectNode(), properties,
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.arrayNode(),
                installationId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
