package com.lockstep.schemas.registry;

/** Registering a schema in Apicurio Registry failed. */
public class SchemaRegistrationException extends RuntimeException {

    public SchemaRegistrationException(String message) {
        super(message);
    }

    public SchemaRegistrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
