package com.lockstep.kit.db;

import com.lockstep.kit.KitApi;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Callable;

/**
 * Runs work in one JTA transaction: the change and its outbox event, or an event's effect and its
 * processed-event row, commit together or not at all. Panache repositories and the statements that
 * stay SQL (the outbox, the inbox's claims, set-based effects) share it: inside a transaction the
 * pool hands every caller the one connection enlisted in it. In a service the transaction manager
 * is Quarkus's Narayana; the kit's tests run the same code on Narayana and Agroal without Quarkus.
 */
@KitApi
public class Database {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private final DataSource dataSource;
    private final TransactionManager transactions;
    private final EntityManager session;

    private static final int ATTEMPTS = 3;
    private static final String POOL_PACKAGE = "io.agroal.";

    /**
     * {@code dataSource}: a pool that enlists its connections in {@code transactions}' transactions;
     * {@code session}: the service's Hibernate session (Quarkus's, scoped to the transaction or else
     * to the request), or null in a service without entities.
     */
    public Database(DataSource dataSource, TransactionManager transactions, EntityManager session) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.session = session;
    }

    /**
     * Runs {@code work} in a new transaction, with the transaction's connection. A deadlock or
     * serialization failure, which PostgreSQL resolves by aborting one transaction, runs it again
     * (up to {@value #ATTEMPTS} times in all), so {@code work} must do the same thing each time it runs.
     */
    public <T> T inTransaction(Work<T> work) throws Exception {
        return inNewTransaction(() -> {
            try (Connection connection = connect()) {
                return work.run(connection);
            }
        });
    }

    /** A transaction already on the thread is suspended meanwhile: each call commits on its own. */
    private <T> T inNewTransaction(Callable<T> work) throws Exception {
        Transaction outer = transactions.suspend();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return once(work);
                } catch (Exception e) {
                    if (attempt < ATTEMPTS && abortedByConcurrency(e)) {
                        continue;
                    }
                    throw unavailableIfConnectionLost(e);
                }
            }
        } finally {
            if (outer != null) {
                transactions.resume(outer);
            }
        }
    }

    private <T> T once(Callable<T> work) throws Exception {
        transactions.begin();
        boolean committed = false;
        try {
            T result = work.call();
            transactions.commit();
            committed = true;
            return result;
        } finally {
            if (!committed && transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transactions.rollback();
            }
        }
    }

    /** Read-only work outside a transaction. */
    public <T> T read(Work<T> work) throws Exception {
        try (Connection connection = connect()) {
            return work.run(connection);
        } catch (Exception e) {
            throw unavailableIfConnectionLost(e);
        }
    }

    /**
     * Read-only work through Panache repositories, in the request's session, outside a transaction.
     * The session first forgets what it loaded: a read run again in the same request (the read
     * fence runs one again once the consumers have caught up) must see the rows as they are now,
     * not the entities its first run loaded.
     */
    public <T> T read(Callable<T> work) throws Exception {
        try {
            if (session != null && transactions.getStatus() == Status.STATUS_NO_TRANSACTION) {
                session.clear();
            }
            return work.call();
        } catch (Exception e) {
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

    /** SQLSTATE 40P01 (deadlock detected) and 40001 (serialization failure): worth one more try. */
    private static boolean abortedByConcurrency(Exception e) {
        String state = sqlState(e);
        return "40P01".equals(state) || "40001".equals(state);
    }

    /**
     * SQLSTATE class 08 is a connection exception; 57P01 is an administrator shutdown. The pool's
     * own failures (no connection free within its acquisition timeout, the pool shutting down)
     * carry no SQLSTATE: Hibernate wraps them as a generic JDBC error.
     */
    static Exception unavailableIfConnectionLost(Exception e) {
        String state = sqlState(e);
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))
                || causedBy(e, SQLTransientConnectionException.class) || raisedByThePool(e)) {
            return new DatabaseUnavailableException(e);
        }
        return e;
    }

    /** An {@link SQLException} that Agroal threw itself, rather than passed on from the driver. */
    private static boolean raisedByThePool(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() == null) {
                StackTraceElement[] frames = sql.getStackTrace();
                if (frames.length > 0 && frames[0].getClassName().startsWith(POOL_PACKAGE)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first SQLSTATE in {@code e}'s causes: Hibernate and the transaction manager wrap the driver's exception. */
    public static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
