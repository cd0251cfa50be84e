package com.lockstep.credential.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A query built from optional filters: its SQL and its arguments, in order. */
final class SqlArgs {

    private final StringBuilder sql;
    private final List<Object> args = new ArrayList<>();

    SqlArgs(String sql, Object... args) {
        this.sql = new StringBuilder(sql);
        for (Object arg : args) {
            this.args.add(arg);
        }
    }

    /** Appends {@code clause} with {@code args} when {@code value} is given. */
    SqlArgs andIf(Object value, String clause, Object... clauseArgs) {
        if (value != null) {
            sql.append(' ').append(clause);
            for (Object arg : clauseArgs) {
                args.add(arg);
            }
        }
        return this;
    }

    SqlArgs append(String clause, Object... clauseArgs) {
        return andIf(Boolean.TRUE, clause, clauseArgs);
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            statement.setObject(i + 1, arg instanceof Instant instant ? Timestamp.from(instant) : arg);
        }
        return statement;
    }
}
