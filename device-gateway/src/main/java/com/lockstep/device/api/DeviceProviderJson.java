package com.lockstep.device.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.device.domain.DeviceProvider;

/** Seam's {@code device_provider} object: every capability flag, true or false. */
final class DeviceProviderJson {

    private DeviceProviderJson() {
    }

    static ObjectNode of(DeviceProvider provider) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("device_provider_name", provider.deviceProviderName());
        json.put("display_name", provider.displayName());
        json.put("image_url", provider.imageUrl());
        ArrayNode categories = json.putArray("provider_categories");
        provider.providerCategories().forEach(categories::add);
        for (String flag : SeamVocabulary.CAPABILITY_FLAGS) {
            json.put(flag, provider.capabilities().contains(flag));
        }
        return json;
    }
}
