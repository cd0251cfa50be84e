package com.lockstep.kit.events.inbox;

import java.util.UUID;

/** Reads ids out of other contexts' events; a malformed one makes the event poison (dead-lettered). */
public final class EventFields {

    private EventFields() {
    }

    public static UUID uuid(String field, CharSequence value) {
        if (value == null) {
            throw new InvalidEventException(field + " is missing");
        }
        try {
            return UUID.fromString(value.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field + " is not a UUID: " + value);
        }
    }

    public static UUID optionalUuid(String field, CharSequence value) {
        return value == null ? null : uuid(field, value);
    }
}
