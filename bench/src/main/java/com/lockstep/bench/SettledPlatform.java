package com.lockstep.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.lockstep.schemas.Topics;

/**
 * What the lost-phone benchmarks wait for and read back between their phases: credential-service's
 * database (issued and live credentials, its outbox) and every consumer group's lag.
 */
final class SettledPlatform {

    private final Connection credentialDb;
    private final GroupOffsets offsets;
    private final int timeoutSeconds;
    private final Path logs;
    private final Consumer<String> say;

    /**
     * @param credentialDb a connection to credential-service's database
     * @param timeoutSeconds how long a wait may take before it gives up
     * @param logs where the services' logs are, named when a wait fails
     */
    SettledPlatform(Connection credentialDb, GroupOffsets offsets, int timeoutSeconds, Path logs, Consumer<String> say) {
        this.credentialDb = credentialDb;
        this.offsets = offsets;
        this.timeoutSeconds = timeoutSeconds;
        this.logs = logs;
        this.say = say;
    }

    long count(String sql) throws SQLException {
        try (Statement statement = credentialDb.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Waits until credential-service holds {@code children} live child credentials (phones × mobile keys per owner). */
    void awaitIssued(long children) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long lastCount = -1;
        long lastChange = System.nanoTime();
        long lastSaid = System.nanoTime();
        while (true) {
            long issued = count("SELECT count(*) FROM acs_credential WHERE parent_acs_credential_id IS NOT NULL AND deleted_at IS NULL");
            if (issued >= children) {
                return;
            }
            if (issued != lastCount) {
                lastCount = issued;
                lastChange = System.nanoTime();
            }
            if (System.nanoTime() - lastChange > 180_000_000_000L || System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format("credential-service issued %,d of %,d child credentials and then"
                        + " %s; dead letters: %s; see %s", issued, children,
                        System.nanoTime() > deadline ? "ran out of time" : "made no progress for 180 s",
                        deadLetters(), logs));
            }
            if (System.nanoTime() - lastSaid > 15_000_000_000L) {
                say.accept(String.format("  %,d of %,d child credentials issued", issued, children));
                lastSaid = System.nanoTime();
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * Waits until credential-service's outbox is empty and no consumer group lags (each service has
     * applied what the others published), twice in a row a second apart.
     */
    void awaitSettled(String after) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long lastSaid = System.nanoTime();
        int quietChecks = 0;
        while (quietChecks < 2) {
            long outbox = count("SELECT count(*) FROM outbox_event");
            Map<String, Long> lag = offsets.lagByGroup();
            long behind = lag.values().stream().mapToLong(Long::longValue).sum();
            quietChecks = outbox == 0 && behind == 0 ? quietChecks + 1 : 0;
            if (quietChecks >= 2) {
                break;
            }
            if (System.nanoTime() > deadline) {
                say.accept("Still not settled after " + timeoutSeconds + " s: outbox " + outbox + ", lag " + lag + "; going on");
                return;
            }
            if (System.nanoTime() - lastSaid > 15_000_000_000L) {
                Map<String, Long> lagging = new LinkedHashMap<>();
                lag.forEach((group, records) -> {
                    if (records > 0) {
                        lagging.put(group, records);
                    }
                });
                say.accept(String.format("  after %s: credential-service's outbox holds %,d events; consumer groups behind: %s",
                        after, outbox, lagging));
                lastSaid = System.nanoTime();
            }
            Thread.sleep(1_000);
        }
        long waited = (System.nanoTime() - start) / 1_000_000_000L;
        if (waited > 2) {
            say.accept("Every consumer group caught up " + waited + " s after " + after);
        }
    }

    /** How many live credentials each phone holds in credential-service. */
    Map<String, Integer> liveCredentialsPerPhone(List<String> deviceIds) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        eachRowOfPhones("SELECT device_id::text, count(*) FROM acs_credential "
                + "WHERE deleted_at IS NULL AND device_id = ANY (?::uuid[]) GROUP BY device_id", deviceIds,
                row -> counts.put(row.getString(1), row.getInt(2)));
        return counts;
    }

    /** The ids of the live credentials issued to these phones (children of their owners' mobile keys). */
    List<String> liveCredentialIds(List<String> deviceIds) throws SQLException {
        List<String> ids = new ArrayList<>();
        eachRowOfPhones("SELECT acs_credential_id::text FROM acs_credential "
                + "WHERE deleted_at IS NULL AND device_id = ANY (?::uuid[]) ORDER BY acs_credential_id", deviceIds,
                row -> ids.add(row.getString(1)));
        return ids;
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Runs {@code sql}, whose one parameter is an array of device ids, on credential-service's database. */
    private void eachRowOfPhones(String sql, List<String> deviceIds, RowReader reader) throws SQLException {
        try (PreparedStatement select = credentialDb.prepareStatement(sql)) {
            select.setArray(1, credentialDb.createArrayOf("text", deviceIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }

    long liveCredentials(List<String> deviceIds) throws SQLException {
        return liveCredentialsPerPhone(deviceIds).values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Records on the dead-letter topics of the topics credential-service consumes. */
    Map<String, Long> deadLetters() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String topic : List.of(Topics.PHONE_EVENTS, Topics.USER_IDENTITY_EVENTS, Topics.ACS_SYSTEM_EVENTS)) {
            String dlq = Topics.deadLetterTopic(topic);
            try {
                counts.put(dlq, offsets.endOffset(dlq));
            } catch (Exception e) {
                counts.put(dlq, -1L);
            }
        }
        return counts;
    }
}
