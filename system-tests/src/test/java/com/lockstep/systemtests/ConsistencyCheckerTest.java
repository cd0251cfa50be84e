package com.lockstep.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.local.LocalPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across contexts: runs {@code sdk/consistency/checker.js} (the official Seam SDK,
 * 2,000 randomized write-then-read sequences from 8 concurrent clients, each write followed at once
 * by reads in the other services) against the whole platform with two replicas of each service, and
 * passes when no answer was stale, no 404 was spurious, nothing else failed, and 503s were rare. The checker's output,
 * its summary line ({@code [consistency] {...}}) last, goes to this test's log.
 */
class ConsistencyCheckerTest {

    private static final int REPLICAS = 2;
    private static final int SEQUENCES = 2_000;
    private static final int CLIENTS = 8;
    /**
     * A 503 is the platform's honest answer when it cannot catch up within its 2 s bound, never a stale
     * one; with no fault it should be rare (on a machine at load 20, 1 in 12,000 checks was seen).
     */
    private static final double MAX_503_SHARE = 0.005;
    /** The checker stops starting sequences after this; the test then fails (fewer than SEQUENCES ran). */
    private static final int CHECKER_DURATION_SECONDS = 600;
    private static final long CHECKER_TIMEOUT_MINUTES = 15;

    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        SdkSuite.requireNode();
        SdkSuite.installDependencies();
        temporary = TemporaryPlatform.start("lockstep-consistency-", REPLICAS);
        platform = temporary.platform();
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (temporary != null) {
            temporary.close();
        }
    }

    @Test
    void everyWriteIsReflectedAtOnceByEveryOtherContext() throws Exception {
        Path summaryFile = Files.createTempFile("lockstep-consistency-", ".json");
        try {
            int exit = SdkSuite.run(List.of("node", "consistency/checker.js",
                    "--sequences", String.valueOf(SEQUENCES),
                    "--clients", String.valueOf(CLIENTS),
                    "--duration-s", String.valueOf(CHECKER_DURATION_SECONDS),
                    "--allow-503",
                    "--summary-file", summaryFile.toString()), Map.of(
                    "LOCKSTEP_ENDPOINT", platform.baseUrl(),
                    "LOCKSTEP_API_KEY", platform.sandboxApiKey(),
                    "LOCKSTEP_ADMIN_TOKEN", platform.adminToken()), CHECKER_TIMEOUT_MINUTES);
            String summary = Files.readString(summaryFile, StandardCharsets.UTF_8).trim();
            System.out.println("[consistency] " + (summary.isEmpty() ? "(no summary: the checker did not finish)" : summary));
            assertEquals(0, exit, "The consistency checker (node consistency/checker.js in " + SdkSuite.sdkDirectory
                    + ") found stale answers, spurious 404s or errors (exit " + exit + "): " + summary);
            JsonNode parsed = new ObjectMapper().readTree(summary);
            assertEquals(SEQUENCES, parsed.path("sequences").asInt(),
                    "The checker ran fewer than " + SEQUENCES + " sequences within " + CHECKER_DURATION_SECONDS + " s: " + summary);
            long checks = parsed.path("checks").asLong();
            long unavailable = parsed.path("totals").path("status_503").asLong();
            System.out.printf("[consistency] 2 replicas, no fault: %d checks, stale %d, spurious_404 %d, status_503 %d%n", checks,
                    parsed.path("totals").path("stale").asLong(), parsed.path("totals").path("spurious_404").asLong(), unavailable);
            assertTrue(unavailable <= checks * MAX_503_SHARE, "More than " + MAX_503_SHARE * 100 + " % of the checks answered 503 "
                    + "with no fault injected: " + summary);
        } finally {
            Files.deleteIfExists(summaryFile);
        }
    }
}
