package com.lockstep.kit.events.outbox;

/**
 * An event could not be encoded for its topic, mostly because the schema registry could not be
 * reached to look its schema up. Thrown inside the caller's transaction, which then writes
 * nothing: an API request answers 503, a consumer retries the record.
 */
public class EventNotEncodedException extends RuntimeException {

    public EventNotEncodedException(String eventType, RuntimeException cause) {
        super("Event " + eventType + " could not be encoded: " + cause.getMessage(), cause);
    }
}
