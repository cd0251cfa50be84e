package com.lockstep.kit.events.inbox;

import com.lockstep.kit.KitApi;
/**
 * An event that can never be applied (it fails validation, or names something that does
 * not exist); it goes to the dead-letter topic instead of being retried.
 */
@KitApi
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
