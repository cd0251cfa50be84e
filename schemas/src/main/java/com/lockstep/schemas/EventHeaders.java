package com.lockstep.schemas;

/**
 * The Kafka headers the outbox relay sets on every event (UTF-8 strings); asyncapi.yaml's
 * {@code EventHeaders} describes them for consumers.
 */
public final class EventHeaders {

    /** The event's event_id, so consumers can deduplicate without decoding the value. */
    public static final String EVENT_ID = "event_id";

    /** The event's event_type, e.g. phone.deactivated. */
    public static final String EVENT_TYPE = "event_type";

    /** W3C trace context of the change that published the event, when it was made in a trace. */
    public static final String TRACEPARENT = "traceparent";

    private EventHeaders() {
    }
}
