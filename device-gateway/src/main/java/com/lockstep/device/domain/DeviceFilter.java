package com.lockstep.device.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What {@code /devices/list} asks for; null means no condition. {@code matchesNothing} is set when
 * the request filters by something no Lockstep device has (a Connect Webview, a customer, a space).
 */
public record DeviceFilter(
        List<UUID> connectedAccountIds,
        List<String> deviceTypes,
        String manufacturer,
        List<UUID> deviceIds,
        Instant createdBefore,
        Map<String, Object> customMetadataHas,
        List<String> includeIf,
        List<String> excludeIf,
        String search,
        boolean matchesNothing) {
}
