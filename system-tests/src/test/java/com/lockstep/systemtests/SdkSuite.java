package com.lockstep.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JavaScript folder {@code system-tests/sdk}, where the official Seam SDK runs: Node.js checked,
 * {@code npm ci} when its lockfile changed, and commands run there with their output in the test's log.
 */
final class SdkSuite {

    private static final int MIN_NODE_MAJOR = 20;
    private static final long NPM_CI_TIMEOUT_MINUTES = 10;
    /** Written into node_modules after a successful {@code npm ci}: the lockfile it installed. */
    private static final String INSTALLED_LOCK_MARKER = ".lockstep-installed-lock.sha256";

    /** The folder ({@code lockstep.sdk-tests.dir}, {@code sdk} by default). */
    static final Path sdkDirectory = locate();

    private SdkSuite() {
    }

    private static Path locate() {
        String configured = System.getProperty("lockstep.sdk-tests.dir");
        Path directory = configured != null && !configured.isBlank()
                ? Path.of(configured) : Path.of("sdk");
        directory = directory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(directory.resolve("package.json"))) {
            throw new IllegalStateException("No SDK test suite at " + directory + " (package.json missing)");
        }
        return directory;
    }

    /** Fails with a clear message unless Node.js 20+ and npm are on the PATH. */
    static void requireNode() throws Exception {
        String version = output("node", "--version");
        Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
        if (!major.find() || Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
            throw new IllegalStateException("The Seam SDK suite needs Node.js " + MIN_NODE_MAJOR + " or later; `node --version` says "
                    + version);
        }
        String npm = output("npm", "--version");
        System.out.println("[system-tests] node " + version + ", npm " + npm);
    }

    private static String output(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("`" + command[0] + "` was not found on the PATH. The system tests run the official"
                    + " Seam JavaScript SDK and need Node.js " + MIN_NODE_MAJOR + "+ with npm (e.g. apt-get install nodejs npm)."
                    + " Skip them with -DskipTests or -pl '!system-tests'.", e);
        }
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("`" + String.join(" ", command) + "` failed: " + text);
        }
        return text.lines().reduce((first, last) -> last).orElse("");
    }

    /** {@code npm ci} unless node_modules was installed from this package.json and package-lock.json. */
    static void installDependencies() throws Exception {
        Path lock = sdkDirectory.resolve("package-lock.json");
        if (!Files.isRegularFile(lock)) {
            throw new IllegalStateException(lock + " is missing: the SDK suite's dependencies must be locked");
        }
        String lockHash = sha256(sdkDirectory.resolve("package.json"), lock);
        Path marker = sdkDirectory.resolve("node_modules").resolve(INSTALLED_LOCK_MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).trim().equals(lockHash)) {
            System.out.println("[system-tests] node_modules is up to date with package-lock.json");
            return;
        }
        int exit = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_CI_TIMEOUT_MINUTES);
        if (exit != 0) {
            throw new IllegalStateException("`npm ci` in " + sdkDirectory + " failed with exit code " + exit + ": see its output above");
        }
        Files.writeString(marker, lockHash + "\n");
    }

    /** Runs the command in the SDK directory, copying its output to this test's log line by line. */
    static int run(List<String> command, Map<String, String> environment, long timeoutMinutes) throws Exception {
        System.out.println("[system-tests] $ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).directory(sdkDirectory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    System.out.println(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "system-tests-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                destroyTree(process);
                throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish within " + timeoutMinutes + " minutes");
            }
        } catch (InterruptedException e) {
            destroyTree(process);
            throw e;
        }
        pump.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String sha256(Path... files) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
