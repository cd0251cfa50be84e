package com.lockstep.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.lockstep.local.LocalPlatform;

/**
 * The phone-service benchmark: starts the local platform, seeds phones, then measures
 * <ol>
 * <li>{@code GET /phones/get} and {@code GET /phones/list} with wrk at 16 connections (requests/s,
 *     p50, p99), after a warm-up;</li>
 * <li>deactivate-to-event latency at 100 deactivations/s (open loop), p50/p99/max;</li>
 * <li>phone-service's RSS during the load, and each process's CPU;</li>
 * </ol>
 * then stops the platform and writes {@code bench/results/phone-service-<date>.md}. Run it with
 * {@code bench/phone-service.sh}; {@code --help} lists the options.
 */
public final class PhoneServiceBench {

    static {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    static final String SERVICE = "phone-service";
    private static final String IDENTITY_SERVICE = "identity-service";
    static final double TARGET_GET_RPS = 5_000;
    static final double TARGET_GET_P99_MS = 20;
    static final double TARGET_EVENT_P99_MS = 50;
    static final double TARGET_RSS_MB = 300;

    private final Options options;
    private final BenchLog log = new BenchLog();

    private PhoneServiceBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.main(args, Options.USAGE, Options::parse, options -> options.help, options -> new PhoneServiceBench(options).run());
    }

    private Path run() throws Exception {
        Report report = new Report(options);
        report.started = ZonedDateTime.now(ZoneOffset.UTC);
        report.revision = Machine.gitRevision(options.projectRoot);
        report.wrkVersion = Machine.wrkVersion();

        report.quietBeforeStart = QuietMachine.waitForLoad(options.maxLoad, "starting the platform", options.loadWaitSeconds, this::say);

        LocalPlatform.Options platformOptions = LocalPlatform.options()
                .port(0)
                .projectRoot(options.projectRoot)
                .dataDirectory(options.dataDirectory)
                .clean(true);
        if (options.serviceMaxHeap != null) {
            platformOptions.serviceMaxHeap(options.serviceMaxHeap);
        }
        LocalPlatform platform = new LocalPlatform(platformOptions);
        Monitor monitor = null;
        try {
            say("Starting the platform (data in " + options.dataDirectory + ")");
            platform.start();
            report.platformStart = platform.startDuration();
            report.services = platform.services();
            String serviceUrl = platform.serviceUrl(SERVICE);
            report.serviceUrl = serviceUrl;
            report.serviceStartedIn = ServiceProcesses.quarkusStartTime(platform.serviceLog(SERVICE));

            Map<Long, String> pids = ServiceProcesses.pids(platform.services(), -1, SERVICE);
            Path postmasterPid = platform.dataDirectory().resolve("postgres").resolve("postmaster.pid");
            monitor = new Monitor(SERVICE, pids, postmasterPid);
            report.servicePid = monitor.servicePid();
            report.serviceCommand = Proc.commandLine(monitor.servicePid()).replaceAll("-D\\S*password=\\S*", "-D...password=***");
            report.rssAfterStartKb = monitor.currentRssKb();
            report.collector = monitor.collector();
            say(SERVICE + " is pid " + monitor.servicePid() + " on " + serviceUrl + ", RSS " + mb(report.rssAfterStartKb) + " MiB after start");

            HttpClient http = PhoneApi.newHttpClient();
            PhoneApi api = new PhoneApi(http, serviceUrl, platform.sandboxApiKey());

            // Seed: owners × phones per owner. Every phone is later deactivated, once.
            say("Creating " + options.owners * options.phonesPerOwner + " sandbox phones (" + options.owners
                    + " owners × " + options.phonesPerOwner + ")");
            // Owners are real identities: phone-service answers 404 user_identity_not_found for any other.
            long seedStart = System.nanoTime();
            CredentialSeed seeder = new CredentialSeed(http, platform.sandboxApiKey(), 8);
            List<String> owners = seeder.createIdentities(platform.serviceUrl(IDENTITY_SERVICE), "owner", options.owners, null);
            Map<String, String> phones = seeder.createSandboxPhones(serviceUrl, owners, options.phonesPerOwner);
            PhoneApi.Seed seed = new PhoneApi.Seed(owners, List.copyOf(phones.keySet()), Duration.ofNanos(System.nanoTime() - seedStart));
            report.seed = seed;
            say(String.format("Created %d phones in %.1f s", seed.deviceIds().size(), seed.took().toMillis() / 1000.0));
            Path deviceIds = options.workDirectory.resolve("device-ids.txt");
            Path ownerIds = options.workDirectory.resolve("owner-ids.txt");
            Files.createDirectories(options.workDirectory);
            Files.write(deviceIds, seed.deviceIds());
            Files.write(ownerIds, seed.owners());

            // What one request of each kind returns.
            PhoneApi.Response oneGet = api.get("/phones/get?device_id=" + seed.deviceIds().get(0));
            PhoneApi.Response oneList = api.get("/phones/list?limit=" + options.listLimit + "&owner_user_identity_id=" + seed.owners().get(0));
            if (oneGet.status() != 200 || oneList.status() != 200) {
                throw new IllegalStateException("Probe requests failed: get " + oneGet.status() + " " + oneGet.body()
                        + "; list " + oneList.status() + " " + oneList.body());
            }
            report.getProbe = oneGet;
            report.listProbe = oneList;

            report.quietBeforeMeasuring = QuietMachine.waitForLoad(options.maxLoad, "measuring", options.settleWaitSeconds, this::say);
            report.loadBeforeMeasuring = Proc.loadAverageText();

            Wrk wrk = new Wrk(options.wrkScript, options.threads, options.connections);
            String listLimit = Integer.toString(options.listLimit);

            // 1. /phones/get
            QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "/phones/get", this::say);
            say("/phones/get: warm-up " + options.warmupSeconds + " s");
            report.getWarmup = wrk.run(serviceUrl, options.warmupSeconds, "get", deviceIds, platform.sandboxApiKey(), null);
            say("/phones/get: measuring " + options.durationSeconds + " s");
            Monitor.Phase phase = monitor.begin("/phones/get");
            report.get = wrk.run(serviceUrl, options.durationSeconds, "get", deviceIds, platform.sandboxApiKey(), null);
            report.getStats = monitor.end(phase);
            say(summary(report.get));

            // 1b. /phones/get at a fixed rate: the p99 at the target's rate, not at saturation.
            if (options.fixedRate > 0) {
                QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "the fixed-rate run", this::say);
                java.net.URI uri = java.net.URI.create(serviceUrl);
                say("/phones/get at a fixed " + options.fixedRate + " requests/s: warm-up " + options.fixedRateWarmupSeconds
                        + " s, measuring " + options.durationSeconds + " s");
                phase = monitor.begin("/phones/get at " + options.fixedRate + "/s");
                report.fixed = FixedRateLoad.run(uri.getHost(), uri.getPort(), platform.sandboxApiKey(), seed.deviceIds(),
                        options.fixedRate, options.connections, options.fixedRateWarmupSeconds, options.durationSeconds);
                report.fixedStats = monitor.end(phase);
                say(report.fixedSummary());
            }

            // 2. /phones/list
            QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "/phones/list", this::say);
            say("/phones/list: warm-up " + options.warmupSeconds + " s");
            report.listWarmup = wrk.run(serviceUrl, options.warmupSeconds, "list", ownerIds, platform.sandboxApiKey(), listLimit);
            say("/phones/list: measuring " + options.durationSeconds + " s");
            phase = monitor.begin("/phones/list");
            report.list = wrk.run(serviceUrl, options.durationSeconds, "list", ownerIds, platform.sandboxApiKey(), listLimit);
            report.listStats = monitor.end(phase);
            say(summary(report.list));

            // 3. deactivate → phone.deactivated on Kafka
            List<String> toDeactivate = new ArrayList<>(seed.deviceIds());
            Collections.shuffle(toDeactivate, new Random(42));
            int warmupCount = options.warmupDeactivations;
            List<String> warmupIds = toDeactivate.subList(0, warmupCount);
            List<String> measuredIds = toDeactivate.subList(warmupCount, Math.min(toDeactivate.size(), warmupCount + options.deactivations));
            try (DeactivationLatency latency = new DeactivationLatency(PhoneApi.newHttpClient(), api,
                    platform.kafkaBootstrapServers(), platform.registryUrl())) {
                report.partitions = latency.partitions();
                QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "the deactivations", this::say);
                say("Deactivations: warm-up " + warmupIds.size() + " at " + options.rate + "/s");
                report.deactivationWarmup = latency.run(warmupIds, options.rate, Duration.ofSeconds(10));
                say("Deactivations: measuring " + measuredIds.size() + " at " + options.rate + "/s");
                phase = monitor.begin("deactivations");
                report.deactivation = latency.run(measuredIds, options.rate, Duration.ofSeconds(30));
                report.deactivationStats = monitor.end(phase);
            }
            say(report.deactivationSummary());

            report.overallMaxRssKb = monitor.overallMaxRssKb();
            report.peakRssKb = monitor.peakRssKb();
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            say("Stopping the platform");
            platform.stop();
        }
        report.log = log.lines();

        Path file = QuietMachine.writeResults(options.resultsDirectory, "phone-service", report.markdown());
        System.out.println();
        System.out.println(report.summaryTable());
        return file;
    }

    private static String summary(Wrk.Result result) {
        return String.format("%,.0f requests/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors",
                result.requestsPerSecond(), result.latencyMs("p50"), result.latencyMs("p99"), result.latencyMs("max"), result.errors());
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
                Usage: java -jar bench/target/bench.jar [options]   (normally run by bench/phone-service.sh)
                  --project-root DIR         the Lockstep checkout (default: the current directory)
                  --results-dir DIR          where the report goes (default: <root>/bench/results)
                  --wrk-script FILE          default <root>/bench/wrk/phones.lua
                  --data-dir DIR             the platform's data, wiped first (default <root>/bench/target/platform)
                  --threads N                wrk threads (default 2)
                  --connections N            wrk connections (default 16)
                  --warmup-seconds N         wrk warm-up before each measured run (default 10)
                  --duration-seconds N       each measured wrk run (default 30)
                  --owners N                 user identities to create phones for (default 350)
                  --phones-per-owner N       phones per owner (default 10)
                  --fixed-rate N             also /phones/get at a fixed N requests/s, open loop (default 5000; 0: skip)
                  --fixed-rate-warmup-seconds N   not counted, before it (default 10)
                  --list-limit N             /phones/list's limit (default 10)
                  --deactivations N          measured deactivations (default 3000)
                  --warmup-deactivations N   deactivations before the measured ones (default 500)
                  --rate N                   deactivations per second (default 100)
                  --max-load X               wait for the 1-minute load average to fall below X (default 1.0)
                  --load-wait-seconds N      ... before starting the platform, at most N s (default 900)
                  --settle-wait-seconds N    ... after seeding, before measuring, at most N s (default 180)
                  --service-max-heap SIZE    each service's -Xmx, e.g. 128m (default: the platform's)
                  --max-other-cores X        before each measured run, wait until processes not of this benchmark
                                             use less than X cores (default 0.1) ...
                  --quiet-wait-seconds N     ... at most N s each time (default 300)
                  --command TEXT             how the benchmark was invoked, for the report
                """;

        Path projectRoot = Path.of("").toAbsolutePath();
        Path resultsDirectory;
        Path wrkScript;
        Path dataDirectory;
        Path workDirectory;
        int threads = 2;
        int connections = 16;
        int warmupSeconds = 10;
        int durationSeconds = 30;
        int owners = 350;
        int phonesPerOwner = 10;
        int listLimit = 10;
        int fixedRate = 5000;
        int fixedRateWarmupSeconds = 10;
        int deactivations = 3000;
        int warmupDeactivations = 500;
        int rate = 100;
        double maxLoad = 1.0;
        int loadWaitSeconds = 900;
        int settleWaitSeconds = 180;
        double maxOtherCores = 0.1;
        int quietWaitSeconds = 300;
        String command = "java -jar bench/target/bench.jar";
        String serviceMaxHeap;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            options.help = CommandLine.parse(args, (name, value) -> {
                switch (name) {
                case "--project-root" -> options.projectRoot = Path.of(value).toAbsolutePath().normalize();
                case "--results-dir" -> options.resultsDirectory = Path.of(value).toAbsolutePath();
                case "--wrk-script" -> options.wrkScript = Path.of(value).toAbsolutePath();
                case "--data-dir" -> options.dataDirectory = Path.of(value).toAbsolutePath();
                case "--threads" -> options.threads = Integer.parseInt(value);
                case "--connections" -> options.connections = Integer.parseInt(value);
                case "--warmup-seconds" -> options.warmupSeconds = Integer.parseInt(value);
                case "--duration-seconds" -> options.durationSeconds = Integer.parseInt(value);
                case "--owners" -> options.owners = Integer.parseInt(value);
                case "--phones-per-owner" -> options.phonesPerOwner = Integer.parseInt(value);
                case "--list-limit" -> options.listLimit = Integer.parseInt(value);
                case "--fixed-rate" -> options.fixedRate = Integer.parseInt(value);
                case "--fixed-rate-warmup-seconds" -> options.fixedRateWarmupSeconds = Integer.parseInt(value);
                case "--deactivations" -> options.deactivations = Integer.parseInt(value);
                case "--warmup-deactivations" -> options.warmupDeactivations = Integer.parseInt(value);
                case "--rate" -> options.rate = Integer.parseInt(value);
                case "--max-load" -> options.maxLoad = Double.parseDouble(value);
                case "--load-wait-seconds" -> options.loadWaitSeconds = Integer.parseInt(value);
                case "--settle-wait-seconds" -> options.settleWaitSeconds = Integer.parseInt(value);
                case "--command" -> options.command = value;
                case "--max-other-cores" -> options.maxOtherCores = Double.parseDouble(value);
                case "--quiet-wait-seconds" -> options.quietWaitSeconds = Integer.parseInt(value);
                case "--service-max-heap" -> options.serviceMaxHeap = value;
                default -> throw new IllegalArgumentException("Unknown option " + name);
                }
            });
            if (options.resultsDirectory == null) {
                options.resultsDirectory = options.projectRoot.resolve("bench/results");
            }
            if (options.wrkScript == null) {
                options.wrkScript = options.projectRoot.resolve("bench/wrk/phones.lua");
            }
            if (options.dataDirectory == null) {
                options.dataDirectory = options.projectRoot.resolve("bench/target/platform");
            }
            options.workDirectory = options.projectRoot.resolve("bench/target/work");
            int phones = options.owners * options.phonesPerOwner;
            if (phones < options.deactivations + options.warmupDeactivations) {
                throw new IllegalArgumentException("owners × phones-per-owner (" + phones
                        + ") must cover deactivations + warmup-deactivations (" + (options.deactivations + options.warmupDeactivations) + ")");
            }
            return options;
        }
    }
}
