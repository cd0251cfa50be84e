package com.lockstep.kit.events.outbox;

import com.lockstep.kit.KitApi;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

import java.time.Instant;
import java.util.UUID;

/**
 * Seam's event envelope, the fields every event schema begins with ({@code event_id},
 * {@code event_type}, {@code workspace_id}, {@code occurred_at}, {@code created_at}), set in this one
 * place by field name, so that no publisher writes them by hand. A publisher starts an event's
 * builder from an enveloped record and sets the event's own fields:
 * {@code DeviceConnected.newBuilder(EventEnvelope.on(new DeviceConnected(), CONNECTED, workspaceId, at))}.
 * The builder copies what is set and still applies the schema's defaults and checks the rest.
 */
@KitApi
public final class EventEnvelope {

    private static final String EVENT_ID = "event_id";
    private static final String EVENT_TYPE = "event_type";
    private static final String WORKSPACE_ID = "workspace_id";
    private static final String OCCURRED_AT = "occurred_at";
    private static final String CREATED_AT = "created_at";

    private EventEnvelope() {
    }

    /** {@code event}, a new record, with a new event id, its type and workspace, when it happened, and now. */
    public static <T extends SpecificRecordBase> T on(T event, String eventType, UUID workspaceId, Instant occurredAt) {
        put(event, EVENT_ID, UUID.randomUUID().toString());
        put(event, EVENT_TYPE, eventType);
        put(event, WORKSPACE_ID, workspaceId.toString());
        put(event, OCCURRED_AT, occurredAt);
        put(event, CREATED_AT, Instant.now());
        return event;
    }

    static UUID eventId(SpecificRecordBase event) {
        return UUID.fromString(get(event, EVENT_ID).toString());
    }

    static String eventType(SpecificRecordBase event) {
        return get(event, EVENT_TYPE).toString();
    }

    private static void put(SpecificRecordBase event, String field, Object value) {
        event.put(field(event, field).pos(), value);
    }

    private static Object get(SpecificRecordBase event, String field) {
        Object value = event.get(field(event, field).pos());
        if (value == null) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " has no " + field
                    + ": build events from EventEnvelope.on");
        }
        return value;
    }

    private static Schema.Field field(SpecificRecordBase event, String name) {
        Schema.Field field = event.getSchema().getField(name);
        if (field == null) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " is not an event: it has no " + name);
        }
        return field;
    }
}
