package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Seam's value formats on the wire. */
@KitApi
public final class SeamJson {

    /** ISO-8601 in UTC with milliseconds, as Seam writes every timestamp. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SeamJson() {
    }

    public static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }
}
