package com.lockstep.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.lockstep.kit.api.PageCursor;
import com.lockstep.local.LocalPlatform;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.registry.SerdeConfig;
import com.lockstep.state.device.DeviceAppearance;
import com.lockstep.state.device.DeviceModel;
import com.lockstep.state.device.DeviceProperties;
import com.lockstep.state.device.DeviceState;

/**
 * The identity-service benchmark (issue 4): starts the local platform with identity-service only,
 * seeds user identities straight into its database, and measures with wrk at 16 connections
 * <ol>
 * <li>{@code /user_identities/list} (pages of 100 at random depths) with 10,000 identities in the
 *     workspace, then with 100,000, then with 1,000,000: requests/s, p50, p99;</li>
 * <li>{@code /user_identities/list_accessible_devices} of an identity granted 50 devices (their
 *     state published on the device state topic, as device-gateway does), with 100,000 identities;</li>
 * </ol>
 * then stops the platform and writes {@code bench/results/identity-service-<date>.md}. Run it with
 * {@code bench/identity-service.sh}; {@code --help} lists the options.
 */
public final class IdentityServiceBench {

    static {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    static final String SERVICE = "identity-service";
    static final double TARGET_RPS = 2_000;
    static final double TARGET_P99_MS = 30;
    static final double TARGET_FLATNESS = 1.5;

    /** One measured wrk run and what was in the workspace then. */
    private record Measurement(String name, long identities, Wrk.Result result) {
    }

    private final Options options;
    private final BenchLog log = new BenchLog();
    private final List<Measurement> measurements = new ArrayList<>();
    private final Map<Long, Duration> seedDurations = new HashMap<>();

    private IdentityServiceBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.main(args, Options.USAGE, Options::parse, options -> options.help, options -> new IdentityServiceBench(options).run());
    }

    private Path run() throws Exception {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String loadBeforeStart = waitForQuiet("starting the platform");
        LocalPlatform platform = new LocalPlatform(LocalPlatform.options()
                .port(0)
                .projectRoot(options.projectRoot)
                .dataDirectory(options.dataDirectory)
                .clean(true)
                .services(SERVICE));
        String loadBeforeMeasuring;
        try {
            say("Starting the platform with " + SERVICE + " only (data in " + options.dataDirectory + ")");
            platform.start();
            String serviceUrl = platform.serviceUrl(SERVICE);
            String apiKey = platform.sandboxApiKey();
            UUID workspaceId = UUID.fromString(platform.sandboxWorkspaceId());
            Wrk wrk = new Wrk(options.wrkScript, options.threads, options.connections);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            try (Connection db = DriverManager.getConnection(platform.jdbcUrl(SERVICE), "postgres", "postgres")) {
                String holder = createIdentity(http, serviceUrl, apiKey);
                grantDevices(platform, http, serviceUrl, apiKey, workspaceId, holder, db);
                Path holderFile = writeLines("holder", List.of(holder));

                seedTo(db, workspaceId, options.smallIdentities);
                loadBeforeMeasuring = waitForQuiet("measuring");
                measureList(wrk, db, workspaceId, serviceUrl, apiKey, options.smallIdentities);

                seedTo(db, workspaceId, options.identities);
                measureList(wrk, db, workspaceId, serviceUrl, apiKey, options.identities);
                measure(wrk, "/user_identities/list_accessible_devices (" + options.devices + " devices)", options.identities,
                        serviceUrl, "devices", holderFile, apiKey);

                if (options.largeIdentities > 0) {
                    seedTo(db, workspaceId, options.largeIdentities);
                    measureList(wrk, db, workspaceId, serviceUrl, apiKey, options.largeIdentities);
                }
            }
        } finally {
            say("Stopping the platform");
            platform.stop();
        }
        return writeReport(started, loadBeforeStart, loadBeforeMeasuring);
    }

    /** Through the API, so the identity is a real one with its event published. */
    private String createIdentity(HttpClient http, String serviceUrl, String apiKey) throws Exception {
        String body = post(http, serviceUrl + "/user_identities/create", apiKey, "{\"full_name\": \"Bench Device Holder\"}");
        return body.replaceAll("(?s).*\"user_identity_id\":\"([0-9a-f-]{36})\".*", "$1");
    }

    /** Publishes the devices' state as device-gateway does, waits for the projection, grants each through the API. */
    private void grantDevices(LocalPlatform platform, HttpClient http, String serviceUrl, String apiKey, UUID workspaceId,
                              String holder, Connection db) throws Exception {
        say("Publishing " + options.devices + " device states and granting them to " + holder);
        Map<String, Object> config = new HashMap<>(SerdeConfig.producer(platform.registryUrl()));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> deviceIds = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < options.devices; i++) {
                String deviceId = UUID.randomUUID().toString();
                deviceIds.add(deviceId);
                producer.send(new ProducerRecord<>(Topics.DEVICE_STATE, deviceId, lock(workspaceId, deviceId, "Door " + (i + 1))));
            }
            producer.flush();
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (count(db, "SELECT count(*) FROM device WHERE workspace_id = '" + workspaceId + "'") < options.devices) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The device states did not reach identity-service within 60 s");
            }
            Thread.sleep(100);
        }
        for (String deviceId : deviceIds) {
            post(http, serviceUrl + "/user_identities/grant_access_to_device", apiKey,
                    "{\"user_identity_id\": \"" + holder + "\", \"device_id\": \"" + deviceId + "\"}");
        }
    }

    private static DeviceState lock(UUID workspaceId, String deviceId, String name) {
        return DeviceState.newBuilder()
                .setDeviceId(deviceId)
                .setWorkspaceId(workspaceId.toString())
                .setConnectedAccountId(UUID.randomUUID().toString())
                .setDeviceType("august_lock")
                .setDisplayName(name)
                .setCapabilitiesSupported(List.of("access_code", "lock"))
                .setProperties(DeviceProperties.newBuilder()
                        .setOnline(true)
                        .setName(name)
                        .setAppearance(DeviceAppearance.newBuilder().setName(name).build())
                        .setModel(DeviceModel.newBuilder().setDisplayName("Wi-Fi Smart Lock").setManufacturerDisplayName("August").build())
                        .setLocked(true)
                        .setBatteryLevel(0.86)
                        .build())
                .setErrors(List.of())
                .setWarnings(List.of())
                .setCreatedAt(Instant.now())
                .setIsManaged(true)
                .setCustomMetadata(Map.of())
                .setCanRemotelyLock(true)
                .setCanRemotelyUnlock(true)
                .build();
    }

    /**
     * Inserts identities straight into the table until the workspace has {@code total}: the API
     * would take an hour for a million. Each has a full name and a unique email address, and a
     * created_at one millisecond apart, so pages are ordered as the API's would be.
     */
    private void seedTo(Connection db, UUID workspaceId, long total) throws Exception {
        long existing = count(db, "SELECT count(*) FROM user_identity WHERE workspace_id = '" + workspaceId + "'");
        if (existing >= total) {
            return;
        }
        say("Seeding identities " + existing + " → " + total);
        long start = System.nanoTime();
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO user_identity (user_identity_id, workspace_id, "
                + "email_address, full_name, created_at) SELECT gen_random_uuid(), ?, 'bench-' || n || '@bench.example', "
                + "'Bench User ' || n, now() - make_interval(secs => n / 1000.0) FROM generate_series(?::bigint, ?::bigint) AS n")) {
            insert.setObject(1, workspaceId);
            insert.setLong(2, existing + 1);
            insert.setLong(3, total);
            insert.executeUpdate();
        }
        try (Statement analyze = db.createStatement()) {
            analyze.execute("ANALYZE user_identity");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        seedDurations.put(total, took);
        say(String.format("Seeded in %.1f s: %,d identities in the workspace", took.toMillis() / 1000.0,
                count(db, "SELECT count(*) FROM user_identity WHERE workspace_id = '" + workspaceId + "'")));
    }

    /** Pages of 100 at random depths: the first page, and pages after cursors of sampled rows. */
    private void measureList(Wrk wrk, Connection db, UUID workspaceId, String serviceUrl, String apiKey, long identities)
            throws Exception {
        List<String> cursors = new ArrayList<>(List.of("-"));
        try (PreparedStatement sample = db.prepareStatement("SELECT created_at, user_identity_id FROM user_identity "
                + "WHERE workspace_id = ? ORDER BY random() LIMIT ?")) {
            sample.setObject(1, workspaceId);
            sample.setInt(2, options.cursors);
            try (ResultSet rows = sample.executeQuery()) {
                while (rows.next()) {
                    cursors.add(new PageCursor(rows.getTimestamp(1).toInstant(), rows.getObject(2, UUID.class)).encode());
                }
            }
        }
        measure(wrk, "/user_identities/list (pages of 100)", identities, serviceUrl, "list",
                writeLines("cursors-" + identities, cursors), apiKey);
    }

    private void measure(Wrk wrk, String name, long identities, String serviceUrl, String mode, Path lines, String apiKey)
            throws Exception {
        say(name + " with " + identities + " identities: warm-up " + options.warmupSeconds + " s");
        wrk.run(serviceUrl, options.warmupSeconds, mode, lines, apiKey, null);
        say(name + " with " + identities + " identities: measuring " + options.durationSeconds + " s");
        Wrk.Result result = wrk.run(serviceUrl, options.durationSeconds, mode, lines, apiKey, null);
        measurements.add(new Measurement(name, identities, result));
        say(String.format("  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors, %.0f bytes per response",
                result.requestsPerSecond(), result.latencyMs("p50"), result.latencyMs("p99"), result.errors(),
                result.bytesPerResponse()));
    }

    private Path writeReport(ZonedDateTime started, String loadBeforeStart, String loadBeforeMeasuring) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# identity-service benchmark, ").append(started.toLocalDate()).append("\n\n");
        md.append("Command: `").append(options.command).append("`  \n");
        md.append("Started: ").append(started).append(", commit ").append(Machine.gitRevision(options.projectRoot)).append("  \n");
        md.append("Machine: ").append(Machine.processors()).append(" cores, ").append(Machine.cpuModel()).append(", ")
                .append(Machine.memory()).append(", ").append(Machine.kernel()).append("  \n");
        md.append("Load average before the start: ").append(loadBeforeStart).append("; before measuring: ")
                .append(loadBeforeMeasuring).append("  \n");
        md.append("wrk: ").append(Machine.wrkVersion()).append(", ").append(options.threads).append(" threads, ")
                .append(options.connections).append(" connections, ").append(options.warmupSeconds).append(" s warm-up, ")
                .append(options.durationSeconds).append(" s measured per run\n\n");

        md.append("| run | identities in the workspace | requests/s | p50 ms | p99 ms | errors | bytes/response |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Measurement m : measurements) {
            md.append(String.format("| %s | %,d | %.0f | %.2f | %.2f | %d | %.0f |%n", m.name(), m.identities(),
                    m.result().requestsPerSecond(), m.result().latencyMs("p50"), m.result().latencyMs("p99"),
                    m.result().errors(), m.result().bytesPerResponse()));
        }
        md.append("\nSeeding (SQL, straight into `user_identity`): ");
        seedDurations.forEach((total, took) -> md.append(String.format("to %,d in %.1f s; ", total, took.toMillis() / 1000.0)));
        md.append("\n\n## Targets\n\n");
        md.append("| target | figure | met |\n|---|---|---|\n");
        for (Measurement m : measurements) {
            if (m.identities() == options.identities) {
                boolean met = m.result().requestsPerSecond() >= TARGET_RPS && m.result().latencyMs("p99") < TARGET_P99_MS
                        && m.result().errors() == 0;
                md.append(String.format("| %s, %,d identities: ≥ %.0f requests/s and p99 < %.0f ms | %.0f requests/s, p99 %.2f ms | %s |%n",
                        m.name(), m.identities(), TARGET_RPS, TARGET_P99_MS, m.result().requestsPerSecond(),
                        m.result().latencyMs("p99"), met ? "yes" : "no"));
            }
        }
        Measurement small = find(options.smallIdentities);
        Measurement large = find(options.largeIdentities);
        if (small != null && large != null) {
            double ratio = large.result().latencyMs("p50") / small.result().latencyMs("p50");
            md.append(String.format("| list p50 at %,d within %.1f× of the p50 at %,d | %.2f ms vs %.2f ms: %.2f× | %s |%n",
                    options.largeIdentities, TARGET_FLATNESS, options.smallIdentities, large.result().latencyMs("p50"),
                    small.result().latencyMs("p50"), ratio, ratio <= TARGET_FLATNESS ? "yes" : "no"));
        }
        md.append("\n## How\n\n");
        md.append("The platform runs identity-service only (`-Xmx256m`), with PostgreSQL, Kafka and the registry, all on this\n"
                + "machine; wrk calls identity-service's own port (no router). Identities are inserted with SQL (each with a\n"
                + "full name and a unique email address); list requests ask for a page of 100 after a cursor of a random\n"
                + "identity (or the first page), so they sample every depth; the device holder was created and granted its\n"
                + "devices through the API, the devices' state published on `lockstep.device.state` as device-gateway does.\n"
                + "Everything shares the machine's cores with wrk and PostgreSQL: a lower bound for the service alone.\n\n");
        md.append("## Log\n\n```\n").append(String.join("\n", log.lines())).append("\n```\n\n## wrk output\n\n");
        for (Measurement m : measurements) {
            md.append("### ").append(m.name()).append(", ").append(String.format("%,d", m.identities())).append(" identities\n\n```\n")
                    .append(m.result().command()).append("\n").append(m.result().output()).append("\n```\n\n");
        }
        return QuietMachine.writeResults(options.resultsDirectory, "identity-service", md.toString());
    }

    private Measurement find(long identities) {
        return measurements.stream().filter(m -> m.identities() == identities && m.name().startsWith("/user_identities/list "))
                .findFirst().orElse(null);
    }

    private String waitForQuiet(String before) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.loadWaitSeconds * 1_000_000_000L;
        while (Proc.loadAverage()[0] >= options.maxLoad && System.nanoTime() < deadline) {
            if ((System.nanoTime() - start) / 1_000_000_000L % 30 == 0) {
                say(String.format("Waiting for the 1-minute load average (%.2f) to fall below %.2f before %s",
                        Proc.loadAverage()[0], options.maxLoad, before));
            }
            Thread.sleep(1_000);
        }
        return Proc.loadAverageText();
    }

    private Path writeLines(String name, List<String> lines) throws IOException {
        Files.createDirectories(options.workDirectory);
        Path file = options.workDirectory.resolve(name + ".txt");
        Files.write(file, lines);
        return file;
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String post(HttpClient http, String url, String apiKey, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void say(String line) {
        log.say(line);
    }

    static final class Options {

        static final String USAGE = """
                Usage: java -cp bench/target/bench.jar com.lockstep.bench.IdentityServiceBench [options]
                       (normally run by bench/identity-service.sh)
                  --project-root DIR         the Lockstep checkout (default: the current directory)
                  --results-dir DIR          where the report goes (default: <root>/bench/results)
                  --data-dir DIR             the platform's data, wiped first (default <root>/bench/target/identity-platform)
                  --threads N                wrk threads (default 2)
                  --connections N            wrk connections (default 16)
                  --warmup-seconds N         wrk warm-up before each measured run (default 10)
                  --duration-seconds N       each measured wrk run (default 30)
                  --small-identities N       the first list run (default 10000)
                  --identities N             the main runs (default 100000)
                  --large-identities N       the last list run (default 1000000; 0: skip it)
                  --devices N                devices granted to the identity of list_accessible_devices (default 50)
                  --cursors N                random page cursors per list run (default 1000)
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
        long smallIdentities = 10_000;
        long identities = 100_000;
        long largeIdentities = 1_000_000;
        int devices = 50;
        int cursors = 1_000;
        double maxLoad = 1.0;
        int loadWaitSeconds = 900;
        String command = "java -cp bench/target/bench.jar com.lockstep.bench.IdentityServiceBench";
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
                case "--small-identities" -> options.smallIdentities = Long.parseLong(value);
                case "--identities" -> options.identities = Long.parseLong(value);
                case "--large-identities" -> options.largeIdentities = Long.parseLong(value);
                case "--devices" -> options.devices = Integer.parseInt(value);
                case "--cursors" -> options.cursors = Integer.parseInt(value);
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
                options.dataDirectory = bench.resolve("target").resolve("identity-platform");
            }
            options.workDirectory = bench.resolve("target").resolve("identity-work");
            options.wrkScript = bench.resolve("wrk").resolve("user_identities.lua");
            return options;
        }
    }
}
