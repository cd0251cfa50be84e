package com.lockstep.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry server, from its Maven distribution, as a child process running on
 * this JVM's {@code java}. Its log goes to {@link #logFile()}.
 */
public final class ApicurioServer extends LocalServer {

    /** Where the registry keeps its artifacts. */
    public enum Storage {
        /** In-memory H2: gone when the server stops. */
        IN_MEMORY,
        /** File-backed H2 in the working directory: kept across restarts. */
        FILE
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final Path workingDirectory;
    private final Storage storage;
    private final int port;
    private final int managementPort;
    private Process process;

    /** A server with in-memory storage on free ports, its log in a temporary directory deleted by {@link #close()}. */
    public ApicurioServer() {
        this(createTemporaryDirectory("lockstep-apicurio-"), true, Storage.IN_MEMORY, 0);
    }

    /**
     * A server with its log (and its database, for {@link Storage#FILE}) in {@code workingDirectory},
     * which outlives it.
     *
     * @param port the HTTP port, or 0 for a free one
     */
    public ApicurioServer(Path workingDirectory, Storage storage, int port) {
        this(workingDirectory, false, storage, port);
    }

    private ApicurioServer(Path workingDirectory, boolean temporary, Storage storage, int port) {
        super("Apicurio Registry", temporary ? workingDirectory : null);
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.storage = storage;
        this.port = FreePort.orPick(port);
        this.managementPort = FreePort.pick();
    }

    /** The base URL of the v3 REST API, as serdes and clients expect it. */
    public String url() {
        return "http://" + HOST + ":" + port + "/apis/registry/v3";
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return workingDirectory.resolve("apicurio-registry.log");
    }

    @Override
    protected void startServer() throws IOException, InterruptedException {
        Path runnerJar = ApicurioDistribution.runnerJar();
        Files.createDirectories(workingDirectory);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only: a faster start, and a registry for tests needs no peak speed.
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=" + HOST,
                "-Dquarkus.http.port=" + port,
                // Off in 3.0.9; should a version turn it on, it must not bind 0.0.0.0:9000.
                "-Dquarkus.management.host=" + HOST,
                "-Dquarkus.management.port=" + managementPort,
                // It opens 20 H2 connections otherwise.
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2"));
        if (storage == Storage.FILE) {
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + workingDirectory.resolve("registry")
                    + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        command.addAll(List.of("-jar", runnerJar.toString()));
        process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        try {
            awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            stopServer();
            throw e;
        }
    }

    @Override
    protected void stopServer() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** Polls the system info endpoint until it answers 200. */
    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest systemInfo = HttpRequest.newBuilder(URI.create(url() + "/system/info"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Apicurio Registry exited with code " + process.exitValue() + "; its log ends:\n" + logTail());
            }
            try {
                if (client.send(systemInfo, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notServingYet) {
                // Refused or timed out while it starts: keep polling.
            }
            Thread.sleep(200);
        }
        throw new IOException("Apicurio Registry did not answer " + systemInfo.uri() + " within "
                + START_TIMEOUT.toSeconds() + " s; its log ends:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(could not read " + logFile() + ": " + e + ")";
        }
    }
}
