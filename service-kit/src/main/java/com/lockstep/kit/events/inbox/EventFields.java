package com.lockstep.kit.events.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

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

    /** The field of each of a batch's events, in order. */
    public static <T> List<UUID> uuids(String field, List<T> events, Function<T, CharSequence> value) {
        List<UUID> ids = new ArrayList<>(events.size());
        for (T event : events) {
            ids.add(uuid(field, value.apply(event)));
        }
        return ids;
    }
}
