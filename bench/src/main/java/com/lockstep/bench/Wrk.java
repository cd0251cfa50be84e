package com.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs {@code wrk} (closed loop: each connection sends its next request when the previous response
 * has arrived) with {@code wrk/phones.lua}, and reads the exact figures the script prints at the end.
 */
final class Wrk {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** wrk processes still running, killed if the JVM is asked to stop. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "bench-wrk-killer"));
    }

    private final Path script;
    private final int threads;
    private final int connections;

    Wrk(Path script, int threads, int connections) {
        this.script = script;
        this.threads = threads;
        this.connections = connections;
    }

    /**
     * @param mode {@code get} or {@code list} (see the Lua script)
     * @param idsFile one id per line: device ids for get, owner ids for list
     */
    Result run(String url, int seconds, String mode, Path idsFile, String apiKey, String extraArgument)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "-s", script.toString(), url, "--", mode, idsFile.toString(), apiKey));
        if (extraArgument != null) {
            command.add(extraArgument);
        }
        String shown = String.join(" ", command).replace(apiKey, "$API_KEY");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        RUNNING.add(process);
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not end: " + shown);
            }
        } finally {
            process.destroyForcibly();
            RUNNING.remove(process);
        }
        if (process.exitValue() != 0) {
            throw new IOException("wrk exited with " + process.exitValue() + ": " + shown + "\n" + output);
        }
        String line = output.lines().filter(l -> l.startsWith("WRK_RESULT ")).findFirst()
                .orElseThrow(() -> new IOException("wrk printed no WRK_RESULT line: " + shown + "\n" + output));
        JsonNode result = JSON.readTree(line.substring("WRK_RESULT ".length()));
        String table = output.lines().filter(l -> !l.startsWith("WRK_RESULT ")).reduce((a, b) -> a + "\n" + b).orElse("");
        return new Result(shown, table, result);
    }

    /** One run's figures; latencies in microseconds. */
    record Result(String command, String output, JsonNode json) {

        long requests() {
            return json.path("requests").asLong();
        }

        double seconds() {
            return json.path("duration_us").asLong() / 1e6;
        }

        double requestsPerSecond() {
            return requests() / seconds();
        }

        long errors() {
            return json.path("errors_connect").asLong() + json.path("errors_read").asLong() + json.path("errors_write").asLong()
                    + json.path("errors_status").asLong() + json.path("errors_timeout").asLong();
        }

        /** Responses whose status was not 2xx or 3xx. */
        long non2xx() {
            return json.path("errors_status").asLong();
        }

        double bytesPerResponse() {
            return requests() == 0 ? 0 : json.path("bytes").asLong() / (double) requests();
        }

        double latencyMs(String percentile) {
            return json.path("latency_" + percentile + "_us").asDouble() / 1000.0;
        }
    }
}
