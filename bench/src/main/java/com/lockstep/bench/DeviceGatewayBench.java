package com.lockstep.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.local.LocalPlatform;

/**
 * The device-gateway benchmark (issue 3): {@code GET /devices/get} and {@code GET /devices/list}
 * with wrk at 16 connections on device-gateway (the local platform's sandbox workspace: its four
 * sandbox devices) and, in the same run on the same machine, on Seam's own stand-in
 * {@code @seamapi/fake-seam-connect} (its seeded workspace: five devices). Requests/s and p50/p99 of
 * both, and their ratio; target: Lockstep at least 5× the fake's requests/s with a lower p99. Writes
 * {@code bench/results/device-gateway-<date>.md}. Run it with {@code bench/device-gateway.sh};
 * {@code --help} lists the options.
 */
public final class DeviceGatewayBench {

    static {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    static final String SERVICE = "device-gateway";
    static final double TARGET_RATIO = 5;
    /** The fake's seed: {@code seam_apikey1_token} is the key of its workspace with devices. */
    static final String FAKE_API_KEY = "seam_apikey1_token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured wrk run of one server. */
    private record Measurement(String endpoint, String server, Wrk.Result result) {
    }

    private final Options options;
    private final BenchLog log = new BenchLog();
    private final List<Measurement> measurements = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private DeviceGatewayBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.main(args, Options.USAGE, Options::parse, options -> options.help, options -> new DeviceGatewayBench(options).run());
    }

    private Path run() throws Exception {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String loadBeforeStart = waitForQuiet("starting the platform");
        LocalPlatform platform = new LocalPlatform(LocalPlatform.options()
                .port(0)
                .projectRoot(options.projectRoot)
                .dataDirectory(options.dataDirectory)
                .clean(true)
                .services("identity-service", SERVICE));
        Process fake = null;
        String loadBeforeMeasuring;
        List<String> probes = new ArrayList<>();
        try {
            say("Starting the platform with identity-service and " + SERVICE + " (data in " + options.dataDirectory + ")");
            platform.start();
            String lockstepUrl = platform.serviceUrl(SERVICE);
            String lockstepKey = platform.sandboxApiKey();
            Path lockstepIds = deviceIds("lockstep", lockstepUrl, lockstepKey);

            int fakePort = freePort();
            String fakeUrl = "http://127.0.0.1:" + fakePort;
            fake = startFake(fakePort);
            Path fakeIds = deviceIds("fake", fakeUrl, FAKE_API_KEY);

            probes.add(probe("Lockstep", lockstepUrl, lockstepKey, lockstepIds));
            probes.add(probe("fake", fakeUrl, FAKE_API_KEY, fakeIds));

            loadBeforeMeasuring = waitForQuiet("measuring");
            Wrk wrk = new Wrk(options.wrkScript, options.threads, options.connections);
            for (String mode : List.of("get", "list")) {
                measure(wrk, mode, "Lockstep", lockstepUrl, lockstepIds, lockstepKey);
                measure(wrk, mode, "fake", fakeUrl, fakeIds, FAKE_API_KEY);
            }
        } finally {
            if (fake != null) {
                say("Stopping the fake");
                fake.destroy();
                if (!fake.waitFor(10, TimeUnit.SECONDS)) {
                    fake.destroyForcibly();
                }
            }
            say("Stopping the platform");
            platform.stop();
        }
        return writeReport(started, loadBeforeStart, loadBeforeMeasuring, probes);
    }

    /** {@code node .../fake-seam-connect/dist/server.js --seed} on the port; returns once it answers. */
    private Process startFake(int port) throws Exception {
        Path server = options.projectRoot.resolve("bench/fake-seam-connect/node_modules/@seamapi/fake-seam-connect/dist/server.js");
        if (!Files.isRegularFile(server)) {
            throw new IllegalStateException(server + " is missing: run npm ci in bench/fake-seam-connect (bench/device-gateway.sh does)");
        }
        Files.createDirectories(options.workDirectory);
        ProcessBuilder builder = new ProcessBuilder("node", server.toString(), "--seed")
                .redirectErrorStream(true)
                .redirectOutput(options.workDirectory.resolve("fake-seam-connect.log").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bench-fake-killer"));
        say("Started @seamapi/fake-seam-connect (pid " + process.pid() + ") on port " + port);
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                if (get("http://127.0.0.1:" + port + "/devices/list", FAKE_API_KEY).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The fake did not answer within 30 s; see " + options.workDirectory.resolve("fake-seam-connect.log"));
            }
            Thread.sleep(200);
        }
    }

    /** The ids of the workspace's devices, one per line, for the get runs. */
    private Path deviceIds(String name, String url, String apiKey) throws Exception {
        HttpResponse<String> response = get(url + "/devices/list", apiKey);
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("devices").forEach(device -> ids.add(device.path("device_id").asText()));
        if (response.statusCode() != 200 || ids.isEmpty()) {
            throw new IllegalStateException(name + " /devices/list answered " + response.statusCode() + ": " + response.body());
        }
        Files.createDirectories(options.workDirectory);
        Path file = options.workDirectory.resolve(name + "-device-ids.txt");
        Files.write(file, ids);
        say(name + ": " + ids.size() + " devices");
        return file;
    }

    /** What one request of each kind returns, for the report. */
    private String probe(String server, String url, String apiKey, Path ids) throws Exception {
        String id = Files.readAllLines(ids).get(0);
        HttpResponse<String> get = get(url + "/devices/get?device_id=" + id, apiKey);
        HttpResponse<String> list = get(url + "/devices/list", apiKey);
        JsonNode devices = JSON.readTree(list.body()).path("devices");
        return String.format("| %s | %d, %,d bytes | %d, %d devices, %,d bytes |", server, get.statusCode(), get.body().length(),
                list.statusCode(), devices.size(), list.body().length());
    }

    private void measure(Wrk wrk, String mode, String server, String url, Path ids, String apiKey) throws Exception {
        String endpoint = "/devices/" + mode;
        say(endpoint + " on " + server + ": warm-up " + options.warmupSeconds + " s");
        wrk.run(url, options.warmupSeconds, mode, ids, apiKey, null);
        say(endpoint + " on " + server + ": measuring " + options.durationSeconds + " s (load average " + Proc.loadAverageText() + ")");
        Wrk.Result result = wrk.run(url, options.durationSeconds, mode, ids, apiKey, null);
        measurements.add(new Measurement(endpoint, server, result));
        say(String.format("  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors, %.0f bytes per response",
                result.requestsPerSecond(), result.latencyMs("p50"), result.latencyMs("p99"), result.errors(),
                result.bytesPerResponse()));
    }

    private Path writeReport(ZonedDateTime started, String loadBeforeStart, String loadBeforeMeasuring, List<String> probes)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# device-gateway benchmark, ").append(started.toLocalDate()).append("\n\n");
        md.append("Command: `").append(options.command).append("`  \n");
        md.append("Started: ").append(started).append(", commit ").append(Machine.gitRevision(options.projectRoot)).append("  \n");
        md.append("Machine: ").append(Machine.processors()).append(" cores, ").append(Machine.cpuModel()).append(", ")
                .append(Machine.memory()).append(", ").append(Machine.kernel()).append("  \n");
        md.append("Load average before the start: ").append(loadBeforeStart).append("; before measuring: ")
                .append(loadBeforeMeasuring).append("  \n");
        md.append("wrk: ").append(Machine.wrkVersion()).append(", ").append(options.threads).append(" threads, ")
                .append(options.connections).append(" connections, closed loop, ").append(options.warmupSeconds)
                .append(" s warm-up, ").append(options.durationSeconds).append(" s measured per run; node ")
                .append(Machine.run(List.of("node", "--version"), options.projectRoot).trim()).append("\n\n");

        md.append("## Figures\n\n| endpoint | server | requests/s | p50 ms | p99 ms | errors | bytes/response |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Measurement m : measurements) {
            md.append(String.format("| `%s` | %s | %.0f | %.2f | %.2f | %d | %.0f |%n", m.endpoint(), m.server(),
                    m.result().requestsPerSecond(), m.result().latencyMs("p50"), m.result().latencyMs("p99"), m.result().errors(),
                    m.result().bytesPerResponse()));
        }
        md.append("\n## Target: Lockstep ≥ ").append((int) TARGET_RATIO).append("× the fake's requests/s, with a lower p99\n\n");
        md.append("| endpoint | requests/s, Lockstep ÷ fake | p99, Lockstep vs fake | met |\n|---|---|---|---|\n");
        for (String endpoint : List.of("/devices/get", "/devices/list")) {
            Wrk.Result lockstep = find(endpoint, "Lockstep");
            Wrk.Result fake = find(endpoint, "fake");
            if (lockstep == null || fake == null) {
                continue;
            }
            double ratio = lockstep.requestsPerSecond() / fake.requestsPerSecond();
            boolean met = ratio >= TARGET_RATIO && lockstep.latencyMs("p99") < fake.latencyMs("p99")
                    && lockstep.errors() == 0 && fake.errors() == 0;
            md.append(String.format("| `%s` | %.0f ÷ %.0f = **%.2f×** | %.2f ms vs %.2f ms | %s |%n", endpoint,
                    lockstep.requestsPerSecond(), fake.requestsPerSecond(), ratio, lockstep.latencyMs("p99"),
                    fake.latencyMs("p99"), met ? "yes" : "no"));
        }
        md.append("\n## Set-up\n\nOne request of each kind (status, size):\n\n| server | `/devices/get` | `/devices/list` |\n|---|---|---|\n");
        probes.forEach(line -> md.append(line).append("\n"));
        md.append("""

                - Lockstep: `LocalPlatform` with identity-service and device-gateway (deploy/local's JVM flags:
                  `-Xmx192m -XX:+UseSerialGC`, capped metaspace and code cache), embedded PostgreSQL, Kafka in the benchmark's JVM, Apicurio
                  Registry; wrk calls device-gateway's own port (no router), with the sandbox workspace's API key.
                  Its four devices are Seam's sandbox devices with every field that applies, hence the larger
                  responses above.
                - Fake: `@seamapi/fake-seam-connect` (version pinned in `bench/fake-seam-connect/package-lock.json`),
                  `PORT=<port> node .../dist/server.js --seed`, one Node.js process, its seeded workspace
                  (`seam_apikey1_token`, five devices with fewer fields).
                - Each `get` request asks for a random device of the workspace; each `list` request for the whole
                  workspace (no filter). Runs alternate (Lockstep, then the fake) on the same machine; everything
                  shares its cores with wrk, and Lockstep's side with PostgreSQL too.

                """);
        md.append("## Log\n\n```\n").append(String.join("\n", log.lines())).append("\n```\n\n## wrk output\n\n");
        for (Measurement m : measurements) {
            md.append("### `").append(m.endpoint()).append("` on ").append(m.server()).append("\n\n```\n")
                    .append(m.result().command()).append("\n").append(m.result().output()).append("\n```\n\n");
        }
        return QuietMachine.writeResults(options.resultsDirectory, "device-gateway", md.toString());
    }

    private Wrk.Result find(String endpoint, String server) {
        return measurements.stream().filter(m -> m.endpoint().equals(endpoint) && m.server().equals(server))
                .map(Measurement::result).findFirst().orElse(null);
    }

    private String waitForQuiet(String before) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.loadWaitSeconds * 1_000_000_000L;
        long lastSaid = -30;
        while (Proc.loadAverage()[0] >= options.maxLoad && System.nanoTime() < deadline) {
            long waited = (System.nanoTime() - start) / 1_000_000_000L;
            if (waited - lastSaid >= 30) {
                say(String.format("Waiting for the 1-minute load average (%.2f) to fall below %.2f before %s",
                        Proc.loadAverage()[0], options.maxLoad, before));
                lastSaid = waited;
            }
            Thread.sleep(1_000);
        }
        return Proc.loadAverageText();
    }

    private HttpResponse<String> get(String url, String apiKey) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void say(String line) {
        log.say(line);
    }

    static final class Options {

        static final String USAGE = """
                Usage: java -cp bench/target/bench.jar com.lockstep.bench.DeviceGatewayBench [options]
                       (normally run by bench/device-gateway.sh)
                  --project-root DIR         the Lockstep checkout (default: the current directory)
                  --results-dir DIR          where the report goes (default: <root>/bench/results)
                  --data-dir DIR             the platform's data, wiped first (default <root>/bench/target/device-platform)
                  --threads N                wrk threads (default 2)
                  --connections N            wrk connections (default 16)
                  --warmup-seconds N         wrk warm-up before each measured run (default 10)
                  --duration-seconds N       each measured wrk run (default 30)
                  --max-load X               wait for the 1-minute load average to fall below X (default 1.0)
                  --load-wait-seconds N      ... at most N s, before starting and before measuring (default 900)
                  --command TEXT             how the benchmark was invoked, for the report
                """;

        Path projectRoot = Path.of("").toAbsolutePath();
        Path resultsDirectory;
        Path dataDirectory;
        Path workDirectory;
        Path wrkScript;
        int threads = 2;
        int connections = 16;
        int warmupSeconds = 10;
        int durationSeconds = 30;
        double maxLoad = 1.0;
        int loadWaitSeconds = 900;
        String command = "java -cp bench/target/bench.jar com.lockstep.bench.DeviceGatewayBench";
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            options.help = CommandLine.parse(args, (name, value) -> {
                switch (name) {
                case "--project-root" -> options.projectRoot = Path.of(value).toAbsolutePath();
                case "--results-dir" -> options.resultsDirectory = Path.of(value).toAbsolutePath();
                case "--data-dir" -> options.dataDirectory = Path.of(value).toAbsolutePath();
                case "--threads" -> options.threads = Integer.parseInt(value);
                case "--connections" -> options.connections = Integer.parseInt(value);
                case "--warmup-seconds" -> options.warmupSeconds = Integer.parseInt(value);
                case "--duration-seconds" -> options.durationSeconds = Integer.parseInt(value);
                case "--max-load" -> options.maxLoad = Double.parseDouble(value);
                case "--load-wait-seconds" -> options.loadWaitSeconds = Integer.parseInt(value);
                case "--command" -> options.command = value;
                default -> throw new IllegalArgumentException("Unknown option " + name);
                }
            });
            Path bench = options.projectRoot.resolve("bench");
            if (options.resultsDirectory == null) {
                options.resultsDirectory = bench.resolve("results");
            }
            if (options.dataDirectory == null) {
                options.dataDirectory = bench.resolve("target").resolve("device-platform");
            }
            options.workDirectory = bench.resolve("target").resolve("device-work");
            options.wrkScript = bench.resolve("wrk").resolve("devices.lua");
            return options;
        }
    }
}
