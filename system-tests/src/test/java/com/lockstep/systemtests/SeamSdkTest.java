package com.lockstep.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.lockstep.local.LocalPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the official Seam JavaScript SDK's suite ({@code system-tests/sdk}, {@code node --test})
 * against the whole platform, started fresh on a free port with its data in a temporary directory.
 * The suite's output goes to this test's log; the test passes when every SDK test passes.
 */
class SeamSdkTest {

    private static final long SUITE_TIMEOUT_MINUTES = 10;

    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        SdkSuite.requireNode();
        SdkSuite.installDependencies();
        temporary = TemporaryPlatform.start("lockstep-system-tests-");
        platform = temporary.platform();
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (temporary != null) {
            temporary.close();
        }
    }

    @Test
    void officialSeamSdkSuitePasses() throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec",
                "--test-concurrency=1", "--test-timeout=120000"));
        command.addAll(testFiles());
        int exit = SdkSuite.run(command, Map.of(
                "LOCKSTEP_ENDPOINT", platform.baseUrl(),
                "LOCKSTEP_API_KEY", platform.sandboxApiKey(),
                "LOCKSTEP_ADMIN_TOKEN", platform.adminToken()), SUITE_TIMEOUT_MINUTES);
        assertEquals(0, exit, "The Seam SDK suite (node --test in " + SdkSuite.sdkDirectory + ") failed: see its output above");
    }

    private static List<String> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(SdkSuite.sdkDirectory.resolve("test"))) {
            List<String> names = files.map(Path::getFileName).map(Path::toString)
                    .filter(name -> name.endsWith(".test.js")).sorted()
                    .map(name -> "test/" + name).toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("No *.test.js files in " + SdkSuite.sdkDirectory.resolve("test"));
            }
            return names;
        }
    }
}
