package com.lockstep.schemas;

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

    private static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }

    /** The topic where consumers of {@code topic} park records they cannot process. */
    public static String deadLetterTopic(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
