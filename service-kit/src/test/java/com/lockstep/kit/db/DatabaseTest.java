package com.lockstep.kit.db;

import com.lockstep.kit.events.KitTestBed;
import com.lockstep.testkit.RealServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import jakarta.transaction.Synchronization;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How {@link Database} reports a pool with no connection free: unavailable (a 503), whichever path
 * asked; and how it finds a deadlock that Hibernate's flush meets only at commit.
 */
class DatabaseTest {

    private static final String DATABASE = "kit_database";
    private static RealServers servers;

    @BeforeAll
    static void createDatabase() {
        servers = RealServers.get();
        servers.postgres().createDatabase(DATABASE);
    }

    @Test
    void anExhaustedPoolIsUnavailableToTransactionsAndToRepositoryReads() throws Exception {
        DataSource pool = KitTestBed.pool(servers, DATABASE, 1, Duration.ofMillis(200));
        Database database = new Database(pool, KitTestBed.TRANSACTIONS, null);
        try (Connection taken = pool.getConnection()) {
            assertThrows(DatabaseUnavailableException.class, () -> database.inTransaction(tx -> 1));
            // What a Panache read meets: Hibernate asks the pool itself and wraps its SQLException,
            // which carries no SQLSTATE.
            assertThrows(DatabaseUnavailableException.class, () -> database.read(() -> {
                try (Connection connection = pool.getConnection()) {
                    return 1;
                } catch (SQLException e) {
                    throw new IllegalStateException("Unable to acquire JDBC Connection", e);
                }
            }));
        }
        assertEquals(Integer.valueOf(1), database.inTransaction(tx -> 1));
    }

    @Test
    void aDeadlockMetByTheFlushAtCommitRunsTheTransactionAgain() throws Exception {
        Database database = new Database(KitTestBed.pool(servers, DATABASE, 2, Duration.ofSeconds(5)), KitTestBed.TRANSACTIONS, null);
        AtomicInteger runs = new AtomicInteger();
        int ranAndCommitted = database.inTransaction(tx -> {
            if (runs.incrementAndGet() == 1) {
                // Hibernate flushes a session's changes in the transaction's beforeCompletion: the
                // transaction manager, not the work, then throws what the statement met.
                KitTestBed.TRANSACTIONS.getTransaction().registerSynchronization(new Synchronization() {
                    @Override
                    public void beforeCompletion() {
                        throw new IllegalStateException("could not execute statement", new SQLException("deadlock detected", "40P01"));
                    }

                    @Override
                    public void afterCompletion(int status) {
                    }
                });
            }
            return runs.get();
        });
        assertEquals(2, ranAndCommitted);
    }
}
