package com.lockstep.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;


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
        return LostPhonePlatform.run(options, "lost-phone", report, log, (platform, pids, monitor) -> {
            String apiKey = platform.sandboxApiKey();
            String kafka = platform.kafkaBootstrapServers();
            String registry = platform.registryUrl();
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
                LostPhonePlatform.Fleet fleet = LostPhonePlatform.seed(platform, new CredentialSeed(http, apiKey, options.seedConcurrency),
                        state, options, options.phonesNeeded(), this::say);
                Map<String, String> phones = fleet.phones();
                report.acsSystem = fleet.acsSystem();
                report.seedTook = fleet.took();
                report.owners = fleet.owners().size();
                report.phones = phones.size();
                report.liveCredentialsAfterSeed = fleet.liveCredentials();
                report.seedCatchingUpRetries = fleet.catchingUpRetries();
                report.rssAfterSeedKb = rssByService(pids);

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
        });
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

    /** Command-line options: the fleet's (see {@link FleetOptions}) and the rates'. */
    static final class Options extends FleetOptions {

        static final String USAGE = usage("LostPhoneBench", "lost-phone", """
                  --rates N,N,...                  deactivations per second, in the order run; the first is the
                                                   100/s figure (default 100,200,300,400,500,700,1000)
                  --first-rate-seconds N           how long the first rate runs (default 30)
                  --rate-seconds N                 how long each later rate runs (default 15)
                  --warmup-rates N,N,...           rates of the warm-up, not counted: every service's JIT (default 100,300,500,300)
                  --warmup-seconds N               how long each warm-up rate runs (default 15)
                  --raw-count N                    records per raw Kafka round-trip run, at 100/s (default 3000)
                """);

        int[] rates = {100, 200, 300, 400, 500, 700, 1000};
        int firstRateSeconds = 30;
        int rateSeconds = 15;
        int[] warmupRates = {100, 300, 500, 300};
        int warmupSeconds = 15;
        int rawCount = 3000;

        Options() {
            super("LostPhoneBench");
        }

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
            options.parse(args, "lost-phone", (name, value) -> {
                switch (name) {
                case "--rates" -> options.rates = positives(name, value);
                case "--first-rate-seconds" -> options.firstRateSeconds = CommandLine.positive(name, value);
                case "--rate-seconds" -> options.rateSeconds = CommandLine.positive(name, value);
                case "--warmup-rates" -> options.warmupRates = positives(name, value);
                case "--warmup-seconds" -> options.warmupSeconds = CommandLine.positive(name, value);
                case "--raw-count" -> options.rawCount = CommandLine.positive(name, value);
                default -> {
                    return false;
                }
                }
                return true;
            });
            return options;
        }

        private static int[] positives(String name, String value) {
            return Arrays.stream(value.split(",")).map(String::trim).mapToInt(v -> CommandLine.positive(name, v)).toArray();
        }
    }
}
