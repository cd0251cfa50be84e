package com.lockstep.device.view;

import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * One managed device as reads serve it, serialized once when it was loaded: {@code json} is Seam's
 * whole device object (every field the database holds), {@code getResponse} the whole
 * {@code /devices/get} body. The other fields are what the list's filters and order look at, read
 * from the same row.
 */
public record ViewedDevice(
        UUID deviceId,
        Instant createdAt,
        UUID connectedAccountId,
        String deviceType,
        String displayName,
        /* properties.manufacturer, if it is a string */
        String manufacturer,
        /* the top-level fields whose value is true (the can_* flags include_if and exclude_if test) */
        Set<String> trueFields,
        byte[] json,
        Buffer getResponse) {
}
