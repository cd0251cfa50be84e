package com.lockstep.identity.api;

import com.lockstep.kit.api.SeamException;
import org.postgresql.util.PSQLException;

import java.sql.SQLException;

/** Seam errors for the unique indexes of identity-service's tables; a 409, never a 500. */
final class Conflicts {

    private static final String UNIQUE_VIOLATION = "23505";

    /** A write that a unique index may refuse. */
    @FunctionalInterface
    interface Write {
        void run() throws SQLException;
    }

    private Conflicts() {
    }

    /** Runs the write; a unique violation becomes its Seam error. */
    static void guard(Write write) throws Exception {
        try {
            write.run();
        } catch (SQLException e) {
            throw of(e);
        }
    }

    private static Exception of(SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || !(e instanceof PSQLException psql)
                || psql.getServerErrorMessage() == null || psql.getServerErrorMessage().getConstraint() == null) {
            return e;
        }
        return switch (psql.getServerErrorMessage().getConstraint()) {
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
}
