package com.lockstep.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import com.lockstep.local.LocalPlatform;

/**
 * The platform's lost-phone benchmark (issue 6): starts the whole local platform (identity-service,
 * phone-service, device-gateway, credential-service, PostgreSQL, one Kafka broker, the registry),
 * seeds user identities, each with an ACS user and multi-phone-sync mobile keys, and phones (to
 * each of which credential-service issues a child of every key), then measures on that one broker
 * <ol>
 * <li>the raw Kafka round trip: a plain producer's {@code send()} to a plain consumer reading the
 *     record, at 100 records/s (p50, p99);</li>
 * <li>the lost-phone latency end to end: {@code DELETE /phones/deactivate} sent to phone-service →
 *     the last {@code acs_credential.deleted} of that phone read from Kafka, at 100 phones/s, and
 *     its ratio to the raw round trip;</li>
 * <li>the same at rising rates, up to the first at which p99 reaches 100 ms (or a request fails);</li>
 * <li>every service's RSS during each of those runs, and its start time (at the platform's start,
 *     and restarted alone on the idle platform);</li>
 * </ol>
 * then stops the platform and writes {@code bench/results/lost-phone-<date>.md}. Run it with
 * {@code bench/lost-phone.sh}; {@code --help} lists the options.
 */
public final class LostPhoneBench {

    static {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    static final String IDENTITY_SERVICE = "identity-service";
    static final String PHONE_SERVICE = "phone-service";
    static final String DEVICE_GATEWAY = "device-gateway";
    static final String CREDENTIAL_SERVICE = "credential-service";
    static final List<String> SERVICES = List.of(IDENTITY_SERVICE, PHONE_SERVICE, DEVICE_GATEWAY, CREDENTIAL_SERVICE);
    static final double TARGET_P99_MS = 100;
    static final double TARGET_RATIO = 10;
    static final int TARGET_RATE = 500;
    static final long TARGET_RSS_BYTES = 300_000_000L;

    private final Options options;
    private final BenchLog log = new BenchLog();

    private LostPhoneBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.main(args, Options.USAGE, Options::parse, options -> options.help, options -> new LostPhoneBench(options).run());
    }

    private Path run() throws Exception {
        LostPhoneReport report = new LostPhoneReport(options);
        report.started = ZonedDateTime.now(ZoneOffset.UTC);
        report.revision = Machine.gitRevision(options.projectRoot);
        report.quietBeforeStart = QuietMachine.waitForLoad(options.maxLoad, "starting the platform", options.loadWaitSeconds, this::say);

        LocalPlatform.Options platformOptions = LocalPlatform.options()
                .port(0)
                .projectRoot(options.projectRoot)
                .dataDirectory(options.dataDirectory)
                .clean(true)
                .services(SERVICES.toArray(String[]::new));
        if (options.serviceMaxHeap != null) {
            platformOptions.serviceMaxHeap(options.serviceMaxHeap);
        }
        LocalPlatform platform = new LocalPlatform(platformOptions);
        Monitor monitor = null;
        try {
            say("Starting the platform (data in " + options.dataDirectory + ")");
            platform.start();
            report.platformStart = platform.startDuration();
            String apiKey = platform.sandboxApiKey();
            String kafka = platform.kafkaBootstrapServers();
            String registry = platform.registryUrl();
            Map<Long, String> pids = ServiceProcesses.pids(SERVICES, -1, CREDENTIAL_SERVICE);
            Path postmasterPid = platform.dataDirectory().resolve("postgres").resolve("postmaster.pid");
            monitor = new Monitor(CREDENTIAL_SERVICE, pids, postmasterPid);
            report.collector = monitor.collector();
            report.serviceCommand = Proc.commandLine(monitor.servicePid()).replaceAll("-D\\S*password=\\S*", "-D...password=***");
            for (Map.Entry<Long, String> service : pids.entrySet()) {
                LostPhoneReport.ServiceStart start = new LostPhoneReport.ServiceStart(
                        ServiceProcesses.quarkusStartTime(platform.serviceLog(service.getValue())),
                        Proc.rssKb(service.getKey()).orElse(0));
                report.firstStarts.put(service.getValue(), start);
                say(service.getValue() + ": pid " + service.getKey() + ", Quarkus started in " + start.quarkusStartedIn()
                        + ", RSS " + mb(start.rssKb()) + " MiB");
            }

            HttpClient http = PhoneApi.newHttpClient();
            try (Connection db = DriverManager.getConnection(platform.jdbcUrl(CREDENTIAL_SERVICE), "postgres", "postgres");
                 GroupOffsets offsets = new GroupOffsets(kafka)) {
                SettledPlatform state = new SettledPlatform(db, offsets, options.seedTimeoutSeconds,
                        options.dataDirectory.resolve("logs"), this::say);

                // ---- Seeding (not measured) ----
                long seedStart = System.nanoTime();
                CredentialSeed seed = new CredentialSeed(http, apiKey, options.seedConcurrency);
                Map<String, String> systems = seed.acsSystems(platform.serviceUrl(DEVICE_GATEWAY));
                if (systems.isEmpty()) {
                    throw new IllegalStateException("device-gateway lists no ACS system in the sandbox workspace");
                }
                String acsSystemId = systems.keySet().iterator().next();
                report.acsSystem = acsSystemId + " " + systems.get(acsSystemId);
                int phonesNeeded = options.phonesNeeded();
                int owners = (phonesNeeded + options.phonesPerOwner - 1) / options.phonesPerOwner;
                say(String.format("Seeding %,d user identities with an ACS user each, %d mobile keys each, %d phones each (%,d phones)",
                        owners, options.credentialsPerIdentity, options.phonesPerOwner, owners * options.phonesPerOwner));
                List<String> ownerIds = seed.createIdentities(platform.serviceUrl(IDENTITY_SERVICE), "owner", owners, acsSystemId);
                seed.createMobileKeys(platform.serviceUrl(CREDENTIAL_SERVICE), ownerIds, options.credentialsPerIdentity, acsSystemId);
                Map<String, String> phones = seed.createSandboxPhones(platform.serviceUrl(PHONE_SERVICE), ownerIds, options.phonesPerOwner);
                long children = (long) phones.size() * options.credentialsPerIdentity;
                state.awaitIssued(children);
                state.awaitSettled("seeding");
                report.seedTook = Duration.ofNanos(System.nanoTime() - seedStart);
                report.owners = ownerIds.size();
                report.phones = phones.size();
                report.liveCredentialsAfterSeed = state.count("SELECT count(*) FROM acs_credential WHERE deleted_at IS NULL");
                report.rssAfterSeedKb = rssByService(pids);
                say(String.format("Seeded in %.0f s: %,d phones, %,d live credentials in credential-service",
                        report.seedTook.toMillis() / 1000.0, report.phones, report.liveCredentialsAfterSeed));

                List<String> deviceIds = new ArrayList<>(phones.keySet());
                Collections.shuffle(deviceIds, new Random(42));
                Map<String, Integer> expected = state.liveCredentialsPerPhone(deviceIds);
                int next = 0;

                PhoneApi phoneApi = new PhoneApi(http, platform.serviceUrl(PHONE_SERVICE), apiKey);
                try (RevocationLatency latency = new RevocationLatency(PhoneApi.newHttpClient(), phoneApi, kafka, registry);
                     KafkaRoundTrip raw = new KafkaRoundTrip(kafka, latency.partitions() / 2)) {
                    report.partitions = raw.partitions();

                    // ---- Warm-up (not counted): every service's JIT on the lost-phone path ----
                    for (int rate : options.warmupRates) {
                        int count = rate * options.warmupSeconds;
                        say("Warm-up: " + count + " deactivations at " + rate + "/s");
                        RevocationLatency.Result warm = latency.run(deviceIds.subList(next, next + count), expected, rate, Duration.ofSeconds(60));
                        next += count;
                        say("  " + LostPhoneReport.summary(warm));
                        state.awaitSettled("the warm-up");
                    }
                    say("Warm-up: raw Kafka round trip, " + options.rawCount + " records at 100/s");
                    raw.run(options.rawCount, 100, Duration.ofSeconds(30));
                    report.quietBeforeMeasuring = QuietMachine.waitForLoad(options.maxLoad, "measuring", options.settleWaitSeconds, this::say);

                    // ---- 1. The raw Kafka round trip on the idle platform ----
                    QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "the raw round trip", this::say);
                    say("Raw Kafka round trip: " + options.rawCount + " records at 100/s, platform idle");
                    Monitor.Phase rawPhase = monitor.begin("raw Kafka, 100/s");
                    report.rawIdle = raw.run(options.rawCount, 100, Duration.ofSeconds(30));
                    report.rawIdleStats = monitor.end(rawPhase);
                    say("  " + LostPhoneReport.summary(report.rawIdle));

                    // ---- 2 and 3. Lost phones at rising rates ----
                    for (int i = 0; i < options.rates.length; i++) {
                        int rate = options.rates[i];
                        int seconds = i == 0 ? options.firstRateSeconds : options.rateSeconds;
                        int count = rate * seconds;
                        QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds,
                                "the deactivations at " + rate + "/s", this::say);
                        say(String.format("Lost phones: %,d deactivations at %d/s%s", count, rate,
                                i == 0 ? ", with the raw round trip measured alongside" : ""));
                        Monitor.Phase phase = monitor.begin(rate + " phones/s");
                        AtomicReference<KafkaRoundTrip.Result> alongside = new AtomicReference<>();
                        Thread rawAlongside = null;
                        if (i == 0) {
                            rawAlongside = new Thread(() -> {
                                try {
                                    alongside.set(raw.run(options.rawCount, 100, Duration.ofSeconds(30)));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }, "bench-raw-alongside");
                            rawAlongside.start();
                        }
                        RevocationLatency.Result result = latency.run(deviceIds.subList(next, next + count), expected, rate,
                                Duration.ofSeconds(60));
                        next += count;
                        if (rawAlongside != null) {
                            rawAlongside.join();
                            report.rawUnderLoad = alongside.get();
                        }
                        Monitor.PhaseStats stats = monitor.end(phase);
                        report.steps.add(new LostPhoneReport.Step(rate, result, stats));
                        say("  " + LostPhoneReport.summary(result));
                        if (report.rawUnderLoad != null && i == 0) {
                            say("  alongside: " + LostPhoneReport.summary(report.rawUnderLoad));
                        }
                        state.awaitSettled("the deactivations at " + rate + "/s");
                        if (!LostPhoneReport.withinTarget(result)) {
                            say("p99 reached " + TARGET_P99_MS + " ms (or a phone was not revoked) at " + rate + "/s: the sweep ends here");
                            break;
                        }
                    }

                    // ---- The raw round trip again, to see that the broker did not change during the run ----
                    QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "the second raw round trip", this::say);
                    say("Raw Kafka round trip again: " + options.rawCount + " records at 100/s, platform idle");
                    report.rawIdleAfter = raw.run(options.rawCount, 100, Duration.ofSeconds(30));
                    say("  " + LostPhoneReport.summary(report.rawIdleAfter));
                }
                report.deadLetters = state.deadLetters();
                report.peakRssKb = peakRssByService(pids);

                // ---- 4. Each service restarted alone on the idle platform ----
                for (Map.Entry<Long, String> service : pids.entrySet()) {
                    String name = service.getValue();
                    QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "restarting " + name, this::say);
                    if (!ServiceProcesses.stopGracefully(service.getKey())) {
                        say(name + " did not stop within 30 s of SIGTERM and was killed");
                    }
                    long launched = System.nanoTime();
                    platform.restart(name);
                    Duration ready = Duration.ofNanos(System.nanoTime() - launched);
                    long newPid = ServiceProcesses.pids(SERVICES, -1, name).entrySet().stream()
                            .filter(e -> e.getValue().equals(name) && e.getKey() != service.getKey().longValue())
                            .map(Map.Entry::getKey).findFirst().orElse(-1L);
                    LostPhoneReport.Restart restart = new LostPhoneReport.Restart(ready,
                            ServiceProcesses.quarkusStartTime(platform.serviceLog(name)), Proc.rssKb(newPid).orElse(0));
                    report.restarts.put(name, restart);
                    say(String.format("%s restarted: ready %.2f s after launch (Quarkus: started in %s), RSS %s MiB",
                            name, ready.toMillis() / 1000.0, restart.quarkusStartedIn(), mb(restart.rssKb())));
                }
            }
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            say("Stopping the platform");
            platform.stop();
        }
        report.log = log.lines();

        Path file = QuietMachine.writeResults(options.resultsDirectory, "lost-phone", report.markdown());
        System.out.println();
        System.out.println(report.summaryTable());
        return file;
    }

    private static Map<String, Long> rssByService(Map<Long, String> pids) {
        Map<String, Long> rss = new LinkedHashMap<>();
        pids.forEach((pid, name) -> rss.put(name, Proc.rssKb(pid).orElse(0)));
        return rss;
    }

    private static Map<String, Long> peakRssByService(Map<Long, String> pids) {
        Map<String, Long> rss = new LinkedHashMap<>();
        pids.forEach((pid, name) -> rss.put(name, Proc.peakRssKb(pid).orElse(0)));
        return rss;
    }

    static String mb(long kb) {
        return String.format("%.0f", kb / 1024.0);
    }

    private void say(String line) {
        log.say(line);
    }

    /** Command-line options. */
    static final class Options {

        static final String USAGE = """
                Usage: java -cp bench.jar com.lockstep.bench.LostPhoneBench [options]
                       (normally run by bench/lost-phone.sh)
                  --project-root DIR               the Lockstep checkout (default: the current directory)
                  --results-dir DIR                where the report goes (default: <root>/bench/results)
                  --data-dir DIR                   the platform's data, wiped first (default <root>/bench/target/lost-phone-platform)
                  --rates N,N,...                  deactivations per second, in the order run; the first is the
                                                   100/s figure (default 100,200,300,400,500,700,1000)
                  --first-rate-seconds N           how long the first rate runs (default 30)
                  --rate-seconds N                 how long each later rate runs (default 15)
                  --warmup-rates N,N,...           rates of the warm-up, not counted: every service's JIT (default 100,300,500,300)
                  --warmup-seconds N               how long each warm-up rate runs (default 15)
                  --raw-count N                    records per raw Kafka round-trip run, at 100/s (default 3000)
                  --phones-per-owner N             phones per user identity (default 10)
                  --credentials-per-identity N     multi-phone-sync mobile keys per identity, so credentials per phone (default 3)
                  --seed-concurrency N             parallel requests while seeding (default 8)
                  --seed-timeout-seconds N         give up seeding (or settling) after N s (default 1800)
                  --max-load X                     wait for the 1-minute load average to fall below X (default 1.0)
                  --load-wait-seconds N            ... before starting the platform, at most N s (default 900)
                  --settle-wait-seconds N          ... after seeding and warm-up, before measuring, at most N s (default 180)
                  --max-other-cores X              before each measured run, wait until processes not of this benchmark
                                                   use less than X cores (default 0.1) ...
                  --quiet-wait-seconds N           ... at most N s each time (default 300)
                  --service-max-heap SIZE          each service's -Xmx, e.g. 256m (default: the platform's)
                  --command TEXT                   how the benchmark was invoked, for the report
                """;

        Path projectRoot = Path.of("").toAbsolutePath();
        Path resultsDirectory;
        Path dataDirectory;
        int[] rates = {100, 200, 300, 400, 500, 700, 1000};
        int firstRateSeconds = 30;
        int rateSeconds = 15;
        int[] warmupRates = {100, 300, 500, 300};
        int warmupSeconds = 15;
        int rawCount = 3000;
        int phonesPerOwner = 10;
        int credentialsPerIdentity = 3;
        int seedConcurrency = 8;
        int seedTimeoutSeconds = 1800;
        double maxLoad = 1.0;
        int loadWaitSeconds = 900;
        int settleWaitSeconds = 180;
        double maxOtherCores = 0.1;
        int quietWaitSeconds = 300;
        String serviceMaxHeap;
        String command = "java -cp bench.jar com.lockstep.bench.LostPhoneBench";
        boolean help;

        /** Phones the warm-up and every rate would deactivate if the sweep ran to its end. */
        int phonesNeeded() {
            int needed = Arrays.stream(warmupRates).sum() * warmupSeconds;
            for (int i = 0; i < rates.length; i++) {
                needed += rates[i] * (i == 0 ? firstRateSeconds : rateSeconds);
            }
            return needed;
        }

        static Options parse(String[] args) {
            Options options = new Options();
            options.help = CommandLine.parse(args, (name, value) -> {
                switch (name) {
                case "--project-root" -> options.projectRoot = Path.of(value).toAbsolutePath().normalize();
                case "--results-dir" -> options.resultsDirectory = Path.of(value).toAbsolutePath();
                case "--data-dir" -> options.dataDirectory = Path.of(value).toAbsolutePath();
                case "--rates" -> options.rates = positives(name, value);
                case "--first-rate-seconds" -> options.firstRateSeconds = CommandLine.positive(name, value);
                case "--rate-seconds" -> options.rateSeconds = CommandLine.positive(name, value);
                case "--warmup-rates" -> options.warmupRates = positives(name, value);
                case "--warmup-seconds" -> options.warmupSeconds = CommandLine.positive(name, value);
                case "--raw-count" -> options.rawCount = CommandLine.positive(name, value);
                case "--phones-per-owner" -> options.phonesPerOwner = CommandLine.positive(name, value);
                case "--credentials-per-identity" -> options.credentialsPerIdentity = CommandLine.positive(name, value);
                case "--seed-concurrency" -> options.seedConcurrency = CommandLine.positive(name, value);
                case "--seed-timeout-seconds" -> options.seedTimeoutSeconds = CommandLine.positive(name, value);
                case "--max-load" -> options.maxLoad = Double.parseDouble(value);
                case "--load-wait-seconds" -> options.loadWaitSeconds = Integer.parseInt(value);
                case "--settle-wait-seconds" -> options.settleWaitSeconds = Integer.parseInt(value);
                case "--max-other-cores" -> options.maxOtherCores = Double.parseDouble(value);
                case "--quiet-wait-seconds" -> options.quietWaitSeconds = Integer.parseInt(value);
                case "--service-max-heap" -> options.serviceMaxHeap = value;
                case "--command" -> options.command = value;
                default -> throw new IllegalArgumentException("Unknown option " + name);
                }
            });
            if (options.resultsDirectory == null) {
                options.resultsDirectory = options.projectRoot.resolve("bench/results");
            }
            if (options.dataDirectory == null) {
                options.dataDirectory = options.projectRoot.resolve("bench/target/lost-phone-platform");
            }
            return options;
        }


        private static int[] positives(String name, String value) {
            return Arrays.stream(value.split(",")).map(String::trim).mapToInt(v -> CommandLine.positive(name, v)).toArray();
        }
    }
}
