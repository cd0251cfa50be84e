package com.lockstep.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What read-your-writes across contexts costs (service-kit's {@code consistency} package): starts
 * the whole local platform as {@link LostPhoneBench} does, seeds its fleet through the API (user
 * identities with an ACS user and mobile keys, phones), grants some of the identities the sandbox's
 * devices, and reads every API response's {@code Server-Timing: fence;dur=…, publication;dur=…}
 * alongside the client's own latency:
 * <ol>
 * <li>the read fence on projection-backed reads ({@code /user_identities/list_acs_users},
 *     {@code /user_identities/list_accessible_devices}, {@code /phones/list?acs_credential_id=}),
 *     with the platform idle and while the lost-phone load runs (100 phones/s by default), and, idle,
 *     the broker's own end-offset lookup that each fence waits for ({@link EndOffsetRoundTrip});</li>
 * <li>the publication barrier on writes ({@code /phones/deactivate}, {@code /user_identities/create},
 *     {@code /acs/credentials/create}), idle and under the same load;</li>
 * </ol>
 * then stops the platform and writes {@code bench/results/consistency-<date>.md}. Run it with
 * {@code bench/consistency.sh}; {@code --help} lists the options.
 */
public final class ConsistencyBench {

    static {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    static final double TARGET_FENCE_P50_MS = 1;
    static final double TARGET_FENCE_P99_MS = 5;
    /** The lost-phone load starts this long before a loaded phase's requests, and runs on this long after them. */
    static final int LOAD_MARGIN_SECONDS = 2;

    static final String LIST_ACS_USERS = "/user_identities/list_acs_users";
    static final String LIST_ACCESSIBLE_DEVICES = "/user_identities/list_accessible_devices";
    static final String LIST_PHONES = "/phones/list?acs_credential_id=";
    static final String DEACTIVATE = "/phones/deactivate";
    static final String CREATE_IDENTITY = "/user_identities/create";
    static final String CREATE_CREDENTIAL = "/acs/credentials/create";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final BenchLog log = new BenchLog();
    private Monitor monitor;
    private SettledPlatform state;
    private ServerTimingProbe probe;
    private RevocationLatency load;
    private Map<String, Integer> credentialsPerPhone;
    private Iterator<String> unusedPhones;

    private ConsistencyBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.main(args, Options.USAGE, Options::parse, options -> options.help, options -> new ConsistencyBench(options).run());
    }

    private Path run() throws Exception {
        ConsistencyReport report = new ConsistencyReport(options);
        return LostPhonePlatform.run(options, "consistency", report, log, (platform, pids, platformMonitor) -> {
            monitor = platformMonitor;
            String apiKey = platform.sandboxApiKey();
            String identityUrl = platform.serviceUrl(LostPhoneBench.IDENTITY_SERVICE);
            String phoneUrl = platform.serviceUrl(LostPhoneBench.PHONE_SERVICE);
            String credentialUrl = platform.serviceUrl(LostPhoneBench.CREDENTIAL_SERVICE);

            HttpClient http = PhoneApi.newHttpClient();
            try (Connection db = DriverManager.getConnection(platform.jdbcUrl(LostPhoneBench.CREDENTIAL_SERVICE), "postgres", "postgres");
                 GroupOffsets offsets = new GroupOffsets(platform.kafkaBootstrapServers())) {
                state = new SettledPlatform(db, offsets, options.seedTimeoutSeconds, options.dataDirectory.resolve("logs"), this::say);

                // ---- Seeding (not measured) ----
                CredentialSeed seed = new CredentialSeed(http, apiKey, options.seedConcurrency);
                LostPhonePlatform.Fleet fleet = LostPhonePlatform.seed(platform, seed, state, options, options.phonesNeeded(), this::say);
                report.fleet = fleet;
                long start = System.nanoTime();
                // The readers (the first owners) keep their phones; the others' phones are the load's and the deactivations'.
                List<String> readers = fleet.owners().subList(0, Math.min(options.readIdentities, fleet.owners().size()));
                Set<String> readerSet = new HashSet<>(readers);
                List<String> readerPhones = new ArrayList<>();
                List<String> otherPhones = new ArrayList<>();
                fleet.phones().forEach((phone, owner) -> (readerSet.contains(owner) ? readerPhones : otherPhones).add(phone));
                Collections.shuffle(otherPhones, new Random(42));
                unusedPhones = otherPhones.iterator();
                credentialsPerPhone = state.liveCredentialsPerPhone(otherPhones);
                List<String> readerCredentials = state.liveCredentialIds(readerPhones);
                List<String> devices = seed.deviceIds(platform.serviceUrl(LostPhoneBench.DEVICE_GATEWAY));
                say(String.format("Granting %d identities access to the sandbox's %d devices; creating %d identities for the new mobile keys",
                        readers.size(), devices.size(), options.writeIdentities));
                seed.grantAccess(identityUrl, readers, devices);
                List<String> writers = seed.createIdentities(identityUrl, "writer", options.writeIdentities, fleet.acsSystemId());
                state.awaitSettled("the grants");
                report.readers = readers.size();
                report.readerPhones = readerPhones.size();
                report.readerCredentials = readerCredentials.size();
                report.devices = devices.size();
                report.writers = writers.size();
                report.grantsTook = Duration.ofNanos(System.nanoTime() - start);

                probe = new ServerTimingProbe(PhoneApi.newHttpClient(), apiKey);
                PhoneApi phoneApi = new PhoneApi(http, phoneUrl, apiKey);
                List<ServerTimingProbe.Kind> reads = List.of(
                        new ServerTimingProbe.Kind(LIST_ACS_USERS, pick(readers, 1,
                                id -> probe.get(identityUrl, LIST_ACS_USERS + "?user_identity_id=" + id))),
                        new ServerTimingProbe.Kind(LIST_ACCESSIBLE_DEVICES, pick(readers, 2,
                                id -> probe.get(identityUrl, LIST_ACCESSIBLE_DEVICES + "?user_identity_id=" + id))),
                        new ServerTimingProbe.Kind(LIST_PHONES, pick(readerCredentials, 3,
                                id -> probe.get(phoneUrl, LIST_PHONES + id))));
                for (ServerTimingProbe.Kind kind : reads) {
                    HttpResponse<String> sample = probe.once(kind);
                    report.samples.put(kind.name(), describe(sample));
                    say("  " + kind.name() + ": " + report.samples.get(kind.name()));
                }

                try (RevocationLatency lostPhones = new RevocationLatency(PhoneApi.newHttpClient(), phoneApi,
                        platform.kafkaBootstrapServers(), platform.registryUrl())) {
                    load = lostPhones;
                    // ---- Warm-up (not counted): every service's JIT, on the reads, the writes and the lost-phone path ----
                    say("Warm-up: " + options.warmupSeconds + " s of reads and writes together, with the lost-phone load");
                    report.warmup = phase("warm-up", options.warmupSeconds, true,
                            List.of(reads, writes(phoneApi, identityUrl, credentialUrl, writers, fleet.acsSystemId(), options.warmupSeconds)),
                            List.of(options.readRate, options.writeRate));
                    report.quietBeforeMeasuring = QuietMachine.waitForLoad(options.maxLoad, "measuring", options.settleWaitSeconds, this::say);

                    // ---- 1 and 2, idle ----
                    report.idleReads = phase("reads, idle", options.seconds, false, List.of(reads), List.of(options.readRate));
                    report.brokerLookup = brokerLookup(platform.kafkaBootstrapServers());
                    report.idleWrites = phase("writes, idle", options.seconds, false,
                            List.of(writes(phoneApi, identityUrl, credentialUrl, writers, fleet.acsSystemId(), options.seconds)),
                            List.of(options.writeRate));
                    // ---- 1 and 2, under the lost-phone load ----
                    report.loadedReads = phase("reads, " + options.loadRate + " phones/s", options.seconds, true, List.of(reads),
                            List.of(options.readRate));
                    report.loadedWrites = phase("writes, " + options.loadRate + " phones/s", options.seconds, true,
                            List.of(writes(phoneApi, identityUrl, credentialUrl, writers, fleet.acsSystemId(), options.seconds)),
                            List.of(options.writeRate));
                }
                report.deadLetters = state.deadLetters();
            }
        });
    }

    /** The fence's floor on the idle platform: the broker's own end-offset lookup, at the reads' rate. */
    private EndOffsetRoundTrip.Result brokerLookup(String bootstrapServers) throws Exception {
        String name = "the broker's end-offset lookup, idle";
        QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, name, this::say);
        say(String.format("%s: %d lookups/s for %d s", name, options.readRate, options.seconds));
        EndOffsetRoundTrip.Result result = EndOffsetRoundTrip.measure(bootstrapServers, options.readRate, options.seconds);
        say("  " + ConsistencyReport.summary(result));
        return result;
    }

    /**
     * One phase: each list of kinds at its rate, all at once, for {@code seconds}; with
     * {@code loaded}, while the lost-phone load deactivates phones at {@code options.loadRate}.
     * Waits for a quiet machine before (other processes' CPU) and for a settled platform after.
     */
    private ConsistencyReport.Phase phase(String name, int seconds, boolean loaded, List<List<ServerTimingProbe.Kind>> kinds,
                                          List<Integer> rates) throws Exception {
        QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, name, this::say);
        say(String.format("%s: %s for %d s%s", name, rates.stream().map(rate -> rate + " requests/s").reduce((a, b) -> a + " and " + b)
                .orElse(""), seconds, loaded ? ", with " + options.loadRate + " lost phones/s" : ""));
        Monitor.Phase phase = monitor.begin(name);
        FutureTask<RevocationLatency.Result> lostPhones = null;
        if (loaded) {
            List<String> phones = take(options.loadRate * (seconds + 2 * LOAD_MARGIN_SECONDS));
            lostPhones = inBackground("bench-lost-phone-load",
                    () -> load.run(phones, credentialsPerPhone, options.loadRate, Duration.ofSeconds(60)));
            Thread.sleep(LOAD_MARGIN_SECONDS * 1000L);
        }
        List<FutureTask<ServerTimingProbe.Result>> probes = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            List<ServerTimingProbe.Kind> these = kinds.get(i);
            int rate = rates.get(i);
            probes.add(inBackground("bench-probe-" + i, () -> probe.run(these, rate, seconds)));
        }
        Map<String, ServerTimingProbe.Stats> results = new LinkedHashMap<>();
        for (FutureTask<ServerTimingProbe.Result> running : probes) {
            results.putAll(running.get().kinds());
        }
        RevocationLatency.Result loadResult = lostPhones == null ? null : lostPhones.get();
        Monitor.PhaseStats stats = monitor.end(phase);
        ConsistencyReport.Phase done = new ConsistencyReport.Phase(name, seconds, results, loadResult, stats);
        done.summaryLines().forEach(line -> say("  " + line));
        state.awaitSettled(name);
        return done;
    }

    /**
     * The three writes in turn: deactivate a phone of the fleet (each once; its credentials are
     * revoked), create a user identity, create a multi-phone-sync mobile key for one of the writer
     * identities (who have no phones, so nothing else is issued).
     */
    private List<ServerTimingProbe.Kind> writes(PhoneApi phoneApi, String identityUrl, String credentialUrl, List<String> writers,
                                                String acsSystemId, int seconds) {
        Iterator<String> phones = take(options.deactivations(seconds)).iterator();
        int[] created = {0};
        return List.of(
                new ServerTimingProbe.Kind(DEACTIVATE, () -> phoneApi.deactivateRequest(phones.next())),
                new ServerTimingProbe.Kind(CREATE_IDENTITY, () -> {
                    int n = created[0]++;
                    return probe.post(identityUrl, CREATE_IDENTITY, JSON.createObjectNode()
                            .put("full_name", "Bench write " + n)
                            .put("email_address", "bench-write-" + n + "-" + UUID.randomUUID().toString().substring(0, 8) + "@bench.example")
                            .toString());
                }),
                new ServerTimingProbe.Kind(CREATE_CREDENTIAL, pick(writers, 4, writer -> probe.post(credentialUrl, CREATE_CREDENTIAL,
                        JSON.createObjectNode()
                                .put("user_identity_id", writer)
                                .put("acs_system_id", acsSystemId)
                                .put("access_method", "mobile_key")
                                .put("is_multi_phone_sync_credential", true)
                                .toString()))));
    }

    /** Requests about a random one of {@code ids} each time (a fixed seed, so runs ask the same). */
    private static Supplier<HttpRequest> pick(List<String> ids, long seed, Function<String, HttpRequest> request) {
        Random random = new Random(seed);
        return () -> request.apply(ids.get(random.nextInt(ids.size())));
    }

    /** The next {@code count} phones of the fleet that nobody has deactivated yet. */
    private List<String> take(int count) {
        List<String> phones = new ArrayList<>(count);
        while (phones.size() < count) {
            if (!unusedPhones.hasNext()) {
                throw new IllegalStateException("The fleet has run out of phones: seed more (Options.phonesNeeded)");
            }
            phones.add(unusedPhones.next());
        }
        return phones;
    }

    private static <T> FutureTask<T> inBackground(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** "200, 1 acs_users, 1,234 bytes": what a read answers. */
    private static String describe(HttpResponse<String> response) {
        StringBuilder text = new StringBuilder().append(response.statusCode());
        try {
            JsonNode body = JSON.readTree(response.body());
            body.fields().forEachRemaining(field -> {
                if (field.getValue().isArray()) {
                    text.append(", ").append(field.getValue().size()).append(' ').append(field.getKey());
                }
            });
        } catch (IOException e) {
            text.append(", not JSON");
        }
        text.append(String.format(", %,d bytes; Server-Timing: %s", response.body().length(),
                response.headers().firstValue("Server-Timing").orElse("(none)")));
        return text.toString();
    }

    private void say(String line) {
        log.say(line);
    }

    /** Command-line options: the fleet's (see {@link FleetOptions}) and the phases'. */
    static final class Options extends FleetOptions {

        static final String USAGE = usage("ConsistencyBench", "consistency", """
                  --seconds N                      how long each measured phase runs: reads idle, writes idle, reads
                                                   under load, writes under load (default 60)
                  --read-rate N                    reads per second, the three read endpoints in turn (default 60)
                  --write-rate N                   writes per second, the three write endpoints in turn (default 15)
                  --load-rate N                    lost phones per second while the loaded phases run (default 100)
                  --warmup-seconds N               reads, writes and the load together first, not counted (default 20)
                  --read-identities N              identities the reads ask about, each granted the sandbox's devices;
                                                   their phones are never deactivated (default 100)
                  --write-identities N             identities (without phones) that get the new mobile keys (default 50)
                """);

        int seconds = 60;
        int readRate = 60;
        int writeRate = 15;
        int loadRate = 100;
        int warmupSeconds = 20;
        int readIdentities = 100;
        int writeIdentities = 50;

        Options() {
            super("ConsistencyBench");
        }

        /** Deactivations among {@code writeRate × seconds} writes, a third of them (rounded up). */
        int deactivations(int phaseSeconds) {
            return (writeRate * phaseSeconds + 2) / 3;
        }

        /** The readers' phones, and every phone the load and the deactivations of the warm-up and the two write phases use. */
        int phonesNeeded() {
            int lostPhones = loadRate * (warmupSeconds + 2 * LOAD_MARGIN_SECONDS + 2 * (seconds + 2 * LOAD_MARGIN_SECONDS));
            return readIdentities * phonesPerOwner + lostPhones + deactivations(warmupSeconds) + 2 * deactivations(seconds);
        }

        static Options parse(String[] args) {
            Options options = new Options();
            options.parse(args, "consistency", (name, value) -> {
                switch (name) {
                case "--seconds" -> options.seconds = CommandLine.positive(name, value);
                case "--read-rate" -> options.readRate = CommandLine.positive(name, value);
                case "--write-rate" -> options.writeRate = CommandLine.positive(name, value);
                case "--load-rate" -> options.loadRate = CommandLine.positive(name, value);
                case "--warmup-seconds" -> options.warmupSeconds = CommandLine.positive(name, value);
                case "--read-identities" -> options.readIdentities = CommandLine.positive(name, value);
                case "--write-identities" -> options.writeIdentities = CommandLine.positive(name, value);
                default -> {
                    return false;
                }
                }
                return true;
            });
            return options;
        }
    }
}
