package com.lockstep.schemas;

import java.util.List;

/**
 * Kafka topic names. One topic per aggregate type, keyed by the aggregate's id so that the events
 * of one aggregate stay in order; entity state that other contexts materialise goes on compacted
 * state topics. See asyncapi.yaml for keys, event types and schemas.
 */
public final class Topics {

    /** phone.registered and phone.deactivated, keyed by the phone's device_id. */
    public static final String PHONE_EVENTS = "lockstep.phone.events";

    /** acs_credential.issued and acs_credential.deleted, keyed by acs_credential_id. */
    public static final String ACS_CREDENTIAL_EVENTS = "lockstep.acs_credential.events";

    /**
     * Compacted: ApiKeyState keyed by the hex SHA-256 of the API key; a tombstone (null value)
     * means the key was revoked.
     */
    public static final String API_KEY_STATE = "lockstep.api_key.state";

    /** user_identity.* events (Lockstep's own; Seam has none), keyed by user_identity_id. */
    public static final String USER_IDENTITY_EVENTS = "lockstep.user_identity.events";

    /** acs_user.* events, keyed by acs_user_id. */
    public static final String ACS_USER_EVENTS = "lockstep.acs_user.events";

    /** device.* events (connected, disconnected, removed, low_battery), keyed by device_id. */
    public static final String DEVICE_EVENTS = "lockstep.device.events";

    /**
     * enrollment_automation.launched (Lockstep's own) and enrollment_automation.deleted, keyed by
     * enrollment_automation_id.
     */
    public static final String ENROLLMENT_AUTOMATION_EVENTS = "lockstep.enrollment_automation.events";

    /** acs_system.* events (added, connected, disconnected), keyed by acs_system_id. */
    public static final String ACS_SYSTEM_EVENTS = "lockstep.acs_system.events";

    /** Compacted: each device's full current state keyed by device_id; a tombstone once removed. */
    public static final String DEVICE_STATE = "lockstep.device.state";

    /** Topics of events: each has a dead-letter topic beside it. */
    public static final List<String> EVENT_TOPICS = List.of(PHONE_EVENTS, ACS_CREDENTIAL_EVENTS, USER_IDENTITY_EVENTS,
            ACS_USER_EVENTS, DEVICE_EVENTS, ACS_SYSTEM_EVENTS, ENROLLMENT_AUTOMATION_EVENTS);

    /** Compacted topics of entity state. */
    public static final List<String> STATE_TOPICS = List.of(API_KEY_STATE, DEVICE_STATE);

    private static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }

    /** The topic where consumers of {@code topic} park records they cannot process. */
    public static String deadLetterTopic(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
