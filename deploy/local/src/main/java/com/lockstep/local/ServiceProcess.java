package com.lockstep.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a service as a child process running its {@code quarkus-run.jar} on this JVM's
 * {@code java}, always on the same port, its output appended to its log file.
 */
final class ServiceProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
    private static final int LOG_LINES_ON_FAILURE = 60;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Beside quarkus-run.jar when the build made one ({@code quarkus.package.jar.appcds.enabled}). */
    private static final String CLASS_ARCHIVE = "app-cds.jsa";
    /** JVM options added to every service's command, e.g. to try a heap setting on the benchmarks. */
    private static final String EXTRA_JAVA_OPTIONS_ENV = "LOCKSTEP_SERVICE_JAVA_OPTIONS";

    private final ServiceSpec spec;
    private final int replica;
    private final Path runJar;
    private final int port;
    private final List<String> systemProperties;
    private final Map<String, String> environment;
    private final String maxHeap;
    private final Path logFile;
    private final DataDirectory data;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Process process;
    private boolean closed;

    ServiceProcess(ServiceSpec spec, int replica, Path runJar, int port, List<String> systemProperties,
                   Map<String, String> environment, String maxHeap, DataDirectory data, Duration startTimeout) {
        this.spec = spec;
        this.replica = replica;
        this.runJar = runJar;
        this.port = port;
        this.systemProperties = List.copyOf(systemProperties);
        this.environment = Map.copyOf(environment);
        this.maxHeap = maxHeap;
        this.logFile = data.serviceLog(name());
        this.data = data;
        this.startTimeout = startTimeout;
    }

    ServiceSpec spec() {
        return spec;
    }

    int replica() {
        return replica;
    }

    /**
     * What its log and process id files are named after: replica 0 is the service's own name, as
     * with one replica; replica i is {@code <service>-i}.
     */
    String name() {
        return replica == 0 ? spec.name() : spec.name() + "-" + replica;
    }

    int port() {
        return port;
    }

    Path logFile() {
        return logFile;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Launches the service and returns once it is ready; on failure nothing is left running.
     * Waiting does not hold this object's lock, so {@link #kill()} and {@link #stop()} work meanwhile.
     */
    void start() throws IOException, InterruptedException {
        Process started;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(name() + " has been stopped for good");
            }
            if (isAlive()) {
                return;
            }
            started = launch();
        }
        try {
            awaitReady(started);
        } catch (IOException | InterruptedException | RuntimeException e) {
            synchronized (this) {
                if (process == started) {
                    kill();
                }
            }
            throw e;
        }
    }

    private Process launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        // A small service on a small machine: the serial collector and capped native areas keep
        // its footprint (RSS) near its heap; G1's own structures would add tens of megabytes.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:MaxMetaspaceSize=160m");
        command.add("-XX:ReservedCodeCacheSize=64m");
        command.add("-Xss512k");
        // After the platform's own options, so that a setting tried on a benchmark takes their place.
        String extraOptions = System.getenv(EXTRA_JAVA_OPTIONS_ENV);
        if (extraOptions != null && !extraOptions.isBlank()) {
            command.addAll(List.of(extraOptions.trim().split("\\s+")));
        }
        Path classArchive = runJar.resolveSibling(CLASS_ARCHIVE);
        if (Files.isRegularFile(classArchive)) {
            // The classes Quarkus archived at build time (AppCDS) load mapped, not parsed and verified
            // again: the start is what a restarted replica is unready for. The archive names the
            // class path relative to the application's folder, the process's working directory. A
            // JVM other than the build's ignores the archive, with a warning, and starts as without it.
            command.add("-XX:SharedArchiveFile=" + classArchive);
        }
        command.addAll(systemProperties.stream().map(property -> "-D" + property).toList());
        command.add("-jar");
        command.add(runJar.toString());
        Files.writeString(logFile, "==== " + Instant.now() + " starting " + name() + " on port " + port + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(runJar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        data.recordProcess(name(), process.toHandle());
        return process;
    }

    /** Stops the service for good: a later {@link #start()} fails. */
    synchronized void close() {
        closed = true;
        stop();
    }

    /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not stop within {} s; killing it", name(), STOP_TIMEOUT.toSeconds());
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        forget();
    }

    /** SIGKILL: the process gets no chance to clean up, as in a crash. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forget();
    }

    private void forget() {
        if (process != null && !process.isAlive()) {
            process = null;
            data.forgetProcess(name());
        }
    }

    /** Polls {@code /q/health/ready} until it answers 200. */
    private void awaitReady(Process process) throws IOException, InterruptedException {
        URI readiness = URI.create("http://" + FreePorts.HOST + ":" + port + "/q/health/ready");
        HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        int lastStatus = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name() + " exited with code " + process.exitValue() + " while starting;"
                        + " its log (" + logFile + ") ends:\n" + logTail());
            }
            try {
                lastStatus = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Still starting.
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IOException(name() + " was not ready within " + startTimeout.toSeconds() + " s ("
                + readiness + (lastStatus < 0 ? " never answered" : " last answered " + lastStatus) + ");"
                + " its log (" + logFile + ") ends:\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }
}
