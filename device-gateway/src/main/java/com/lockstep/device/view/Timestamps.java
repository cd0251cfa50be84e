package com.lockstep.device.view;

import java.time.Instant;

/** Instants as PostgreSQL compares them: to the microsecond, rounded half up as the JDBC driver sends them. */
final class Timestamps {

    private Timestamps() {
    }

    static Instant asStored(Instant instant) {
        int nanos = instant.getNano();
        int rounded = (nanos + 500) / 1_000 * 1_000;
        return rounded == nanos ? instant : instant.minusNanos(nanos).plusNanos(rounded);
    }
}
