package com.lockstep.kit.db;

/** The database cannot be reached right now; the API answers 503 and the caller may retry. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
