package com.lockstep.identity.api;

import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.db.Database;
import org.postgresql.util.PSQLException;

/** Seam errors for the unique indexes of identity-service's tables; a 409, never a 500. */
final class Conflicts {

    private static final String UNIQUE_VIOLATION = "23505";

    /** A write that a unique index may refuse: it must reach the database (a flush, for an entity). */
    @FunctionalInterface
    interface Write {
        void run() throws Exception;
    }

    private Conflicts() {
    }

    /** Runs the write; a unique violation, however Hibernate and the transaction manager wrap it, becomes its Seam error. */
    static void guard(Write write) throws Exception {
        try {
            write.run();
        } catch (Exception e) {
            throw of(e);
        }
    }

    private static Exception of(Exception e) {
        String constraint = UNIQUE_VIOLATION.equals(Database.sqlState(e)) ? constraint(e) : null;
        if (constraint == null) {
            return e;
        }
        return switch (constraint) {
            case "user_identity_key_unique" -> new SeamException(409, "user_identity_key_taken",
                    "Another user identity in this workspace already has this user_identity_key");
            case "user_identity_email_unique" -> new SeamException(409, "user_identity_email_address_taken",
                    "Another user identity in this workspace already has this email_address");
            case "user_identity_phone_unique" -> new SeamException(409, "user_identity_phone_number_taken",
                    "Another user identity in this workspace already has this phone_number");
            case "acs_user_link_one_per_system" -> new SeamException(409, "user_identity_already_has_acs_user_in_acs_system",
                    "The user identity already has an ACS user in this ACS system; remove it first");
            default -> e;
        };
    }

    /** The constraint the driver's exception names, if any. */
    private static String constraint(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }
}
