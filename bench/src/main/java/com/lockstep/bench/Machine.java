package com.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine and the code under test. */
final class Machine {

    private Machine() {
    }

    static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D+", ""));
                    return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through.
        }
        return "unknown";
    }

    /** {@code java -version} of the java that runs this JVM, which the platform also uses for the services. */
    static String javaVersion() {
        return run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"), null);
    }

    static String kernel() {
        return run(List.of("uname", "-srm"), null);
    }

    static String wrkVersion() {
        // wrk -v prints its version and exits with status 1.
        return run(List.of("wrk", "-v"), null).lines().findFirst().orElse("unknown");
    }

    static String gitRevision(Path projectRoot) {
        String revision = run(List.of("git", "rev-parse", "--short", "HEAD"), projectRoot);
        String changes = run(List.of("git", "status", "--porcelain", "--untracked-files=no"), projectRoot);
        return revision + (changes.isBlank() ? "" : " (with uncommitted changes)");
    }

    static String run(List<String> command, Path directory) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
