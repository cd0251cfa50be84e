package com.lockstep.kit.db;

import com.lockstep.kit.KitApi;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Runs work in one database transaction on a pooled connection: the change and its outbox
 * event, or an event's effect and its processed-event row, commit together or not at all.
 */
@KitApi
public class Database {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private final DataSource dataSource;

    private static final int ATTEMPTS = 3;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} in one transaction. A deadlock or serialization failure, which PostgreSQL
     * resolves by aborting one transaction, runs it again (up to {@value #ATTEMPTS} times in all),
     * so {@code work} must do the same thing each time it runs.
     */
    public <T> T inTransaction(Work<T> work) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Connection connection = connect();
            try (connection) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (Exception e) {
                    rollbackQuietly(connection, e);
                    if (attempt < ATTEMPTS && abortedByConcurrency(e)) {
                        continue;
                    }
                    throw unavailableIfConnectionLost(e);
                }
            }
        }
    }

    /** SQLSTATE 40P01 (deadlock detected) and 40001 (serialization failure): worth one more try. */
    private static boolean abortedByConcurrency(Exception e) {
        return e instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()));
    }

    /** Read-only work outside a transaction. */
    public <T> T read(Work<T> work) throws Exception {
        try (Connection connection = connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailableIfConnectionLost(e);
        }
    }

    private Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** SQLSTATE class 08 is a connection exception; 57P01 is an administrator shutdown. */
    static Exception unavailableIfConnectionLost(Exception e) {
        if (e instanceof SQLTransientConnectionException
                || e instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
            return new DatabaseUnavailableException(e);
        }
        return e;
    }
}
