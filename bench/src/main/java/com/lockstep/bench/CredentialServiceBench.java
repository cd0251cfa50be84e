package com.lockstep.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import com.lockstep.local.LocalPlatform;
import com.lockstep.schemas.Topics;
import org.apache.kafka.common.TopicPartition;

/**
 * The credential-service benchmark (issue 5): starts the local platform with identity-service,
 * phone-service, device-gateway and credential-service, seeds user identities with
 * multi-phone-sync mobile keys and phones (to each of which credential-service issues a child of
 * every mobile key of its owner), then measures
 * <ol>
 * <li>lost-phone latency: from {@code /phones/deactivate} returning to the last
 *     {@code acs_credential.deleted} of that phone on Kafka, at 100 deactivations/s (p50, p99);</li>
 * <li>the revocation consumer's throughput on a backlog of {@code phone.deactivated} published
 *     while credential-service was stopped (phones/s, from its committed offsets and from the
 *     {@code acs_credential.deleted} it publishes);</li>
 * <li>credential-service's RSS during both, and its start time;</li>
 * </ol>
 * then stops the platform and writes {@code bench/results/credential-service-<date>.md}. Run it
 * with {@code bench/credential-service.sh}; {@code --help} lists the options.
 */
public final class CredentialServiceBench {

    static {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    static final String SERVICE = "credential-service";
    static final String IDENTITY_SERVICE = "identity-service";
    static final String PHONE_SERVICE = "phone-service";
    static final String DEVICE_GATEWAY = "device-gateway";
    static final String PHONE_GROUP = "credential-service.phone-credentials";
    static final double TARGET_LATENCY_P99_MS = 100;
    static final double TARGET_PHONES_PER_SECOND = 5_000;

    private final Options options;
    private final BenchLog log = new BenchLog();

    private CredentialServiceBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CommandLine.main(args, Options.USAGE, Options::parse, options -> options.help, options -> new CredentialServiceBench(options).run());
    }

    private Path run() throws Exception {
        CredentialServiceReport report = new CredentialServiceReport(options);
        report.started = ZonedDateTime.now(ZoneOffset.UTC);
        report.revision = Machine.gitRevision(options.projectRoot);

        report.quietBeforeStart = QuietMachine.waitForLoad(options.maxLoad, "starting the platform", options.loadWaitSeconds, this::say);

        LocalPlatform.Options platformOptions = LocalPlatform.options()
                .port(0)
                .projectRoot(options.projectRoot)
                .dataDirectory(options.dataDirectory)
                .clean(true)
                .services(IDENTITY_SERVICE, PHONE_SERVICE, DEVICE_GATEWAY, SERVICE);
        if (options.serviceMaxHeap != null) {
            platformOptions.serviceMaxHeap(options.serviceMaxHeap);
        }
        LocalPlatform platform = new LocalPlatform(platformOptions);
        Monitor monitor = null;
        Monitor restartedMonitor = null;
        try {
            say("Starting the platform (data in " + options.dataDirectory + ")");
            platform.start();
            report.platformStart = platform.startDuration();
            report.services = platform.services();
            String serviceUrl = platform.serviceUrl(SERVICE);
            report.serviceUrl = serviceUrl;
            report.serviceStartedIn = ServiceProcesses.quarkusStartTime(platform.serviceLog(SERVICE));
            String apiKey = platform.sandboxApiKey();
            String workspaceId = platform.sandboxWorkspaceId();
            String kafka = platform.kafkaBootstrapServers();
            String registry = platform.registryUrl();

            Map<Long, String> pids = ServiceProcesses.pids(platform.services(), -1, SERVICE);
            Path postmasterPid = platform.dataDirectory().resolve("postgres").resolve("postmaster.pid");
            monitor = new Monitor(SERVICE, pids, postmasterPid);
            report.servicePid = monitor.servicePid();
            report.serviceCommand = Proc.commandLine(monitor.servicePid()).replaceAll("-D\\S*password=\\S*", "-D...password=***");
            report.rssAfterStartKb = monitor.currentRssKb();
            report.collector = monitor.collector();
            say(SERVICE + " is pid " + monitor.servicePid() + " on " + serviceUrl + ", RSS " + mb(report.rssAfterStartKb)
                    + " MiB after start (Quarkus: started in " + report.serviceStartedIn + ")");

            HttpClient http = PhoneApi.newHttpClient();
            try (Connection db = DriverManager.getConnection(platform.jdbcUrl(SERVICE), "postgres", "postgres");
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
                say("ACS system of the mobile keys: " + report.acsSystem);
                String identityUrl = platform.serviceUrl(IDENTITY_SERVICE);
                String acsUsersOn = options.acsUsers ? acsSystemId : null;

                int backlogIdentities = (options.backlogPhones + options.backlogPhonesPerIdentity - 1) / options.backlogPhonesPerIdentity;
                say(String.format("Creating %,d user identities (%,d phone owners + %,d for the backlog) through identity-service%s",
                        options.owners + backlogIdentities, options.owners, backlogIdentities,
                        options.acsUsers ? ", each asking for an ACS user on that system" : ""));
                long t = System.nanoTime();
                List<String> owners = seed.createIdentities(identityUrl, "owner", options.owners, acsUsersOn);
                List<String> backlogOwners = seed.createIdentities(identityUrl, "backlog", backlogIdentities, acsUsersOn);
                report.identitiesTook = since(t);
                say(String.format("Created %,d identities in %.1f s", owners.size() + backlogOwners.size(), seconds(report.identitiesTook)));

                List<String> allOwners = new ArrayList<>(owners);
                allOwners.addAll(backlogOwners);
                say(String.format("Creating %d multi-phone-sync mobile keys for each of them through credential-service (%,d)",
                        options.credentialsPerIdentity, allOwners.size() * options.credentialsPerIdentity));
                t = System.nanoTime();
                seed.createMobileKeys(serviceUrl, allOwners, options.credentialsPerIdentity, acsSystemId);
                report.keysTook = since(t);
                report.notYetKnownRetries = seed.retries();
                say(String.format("Created the mobile keys in %.1f s (%,d requests sent again after a 404 while the identity was not known yet)",
                        seconds(report.keysTook), seed.retries()));

                say(String.format("Registering %,d phones through phone-service (%d owners × %d)",
                        options.owners * options.phonesPerOwner, options.owners, options.phonesPerOwner));
                t = System.nanoTime();
                Map<String, String> latencyPhones = seed.createSandboxPhones(platform.serviceUrl(PHONE_SERVICE), owners, options.phonesPerOwner);
                report.latencyPhonesTook = since(t);
                say(String.format("Registered them in %.1f s", seconds(report.latencyPhonesTook)));

                say(String.format("Publishing phone.registered for %,d backlog phones (%,d identities × %d) on %s",
                        backlogIdentities * options.backlogPhonesPerIdentity, backlogIdentities, options.backlogPhonesPerIdentity,
                        Topics.PHONE_EVENTS));
                t = System.nanoTime();
                Map<String, String> backlogPhones = CredentialSeed.publishRegistrations(kafka, registry, workspaceId, backlogOwners,
                        options.backlogPhonesPerIdentity);
                report.registrationsPublishTook = since(t);
                say(String.format("Published in %.1f s; waiting for credential-service to issue %d credentials to each phone",
                        seconds(report.registrationsPublishTook), options.credentialsPerIdentity));
                long children = (long) (latencyPhones.size() + backlogPhones.size()) * options.credentialsPerIdentity;
                state.awaitIssued(children);
                report.issuedTook = since(t);
                say(String.format("All %,d child credentials issued %.1f s after the registrations were published (%,.0f phones/s)",
                        children, seconds(report.issuedTook), backlogPhones.size() / seconds(report.issuedTook)));
                t = System.nanoTime();
                state.awaitSettled("seeding");
                report.settleTook = since(t);
                report.seedTook = since(seedStart);
                report.owners = owners.size();
                report.backlogIdentities = backlogOwners.size();
                report.latencyPhones = latencyPhones.size();
                report.backlogPhones = backlogPhones.size();
                report.liveCredentialsAfterSeed = state.count("SELECT count(*) FROM acs_credential WHERE deleted_at IS NULL");
                report.phonesAfterSeed = state.count("SELECT count(*) FROM phone WHERE deactivated_at IS NULL");
                report.acsUsersAfterSeed = state.count("SELECT count(*) FROM acs_user WHERE deleted_at IS NULL");
                report.rssAfterSeedKb = monitor.currentRssKb();
                say(String.format("Seeded in %.1f s: %,d live credentials, %,d active phones, %,d ACS users in credential-service; RSS %s MiB",
                        seconds(report.seedTook), report.liveCredentialsAfterSeed, report.phonesAfterSeed, report.acsUsersAfterSeed,
                        mb(report.rssAfterSeedKb)));

                report.quietBeforeMeasuring = QuietMachine.waitForLoad(options.maxLoad, "measuring", options.settleWaitSeconds, this::say);

                // ---- 1. Lost-phone latency ----
                List<String> toDeactivate = new ArrayList<>(latencyPhones.keySet());
                Collections.shuffle(toDeactivate, new Random(42));
                List<String> warmupIds = toDeactivate.subList(0, options.warmupDeactivations);
                List<String> measuredIds = toDeactivate.subList(options.warmupDeactivations,
                        options.warmupDeactivations + options.deactivations);
                Map<String, Integer> expected = state.liveCredentialsPerPhone(toDeactivate);
                PhoneApi phoneApi = new PhoneApi(http, platform.serviceUrl(PHONE_SERVICE), apiKey);
                try (RevocationLatency latency = new RevocationLatency(PhoneApi.newHttpClient(), phoneApi, kafka, registry)) {
                    report.latencyPartitions = latency.partitions();
                    QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "the deactivations", this::say);
                    say("Deactivations: warm-up " + warmupIds.size() + " at " + options.rate + "/s");
                    report.latencyWarmup = latency.run(warmupIds, expected, options.rate, Duration.ofSeconds(30));
                    say(CredentialServiceReport.latencySummary(report.latencyWarmup));
                    QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "the measured deactivations", this::say);
                    say("Deactivations: measuring " + measuredIds.size() + " at " + options.rate + "/s");
                    jfr(monitor.servicePid(), "start", "deactivations");
                    Monitor.Phase phase = monitor.begin("deactivations at " + options.rate + "/s");
                    report.latency = latency.run(measuredIds, expected, options.rate, Duration.ofSeconds(60));
                    report.latencyStats = monitor.end(phase);
                    jfr(monitor.servicePid(), "stop", "deactivations");
                    say(CredentialServiceReport.latencySummary(report.latency));
                }
                report.overallMaxRssKb = monitor.overallMaxRssKb();
                report.peakRssKb = monitor.peakRssKb();

                // ---- 2. The revocation backlog ----
                state.awaitSettled("the deactivations");
                long oldPid = monitor.servicePid();
                say("Stopping " + SERVICE + " (SIGTERM, pid " + oldPid + ")");
                stopGracefully(oldPid, SERVICE);
                if (!options.backlogWithOtherServices) {
                    // Their consumers would work through the same events on the same two cores:
                    // identity-service reads phone.deactivated and the deletions, phone-service and
                    // device-gateway (which takes each deleted credential off its ACS) the deletions.
                    for (Map.Entry<Long, String> entry : pids.entrySet()) {
                        if (!entry.getValue().equals(SERVICE)) {
                            say("Stopping " + entry.getValue() + " (SIGTERM, pid " + entry.getKey() + ") for the backlog run");
                            stopGracefully(entry.getKey(), entry.getValue());
                        }
                    }
                }
                long phoneEndBefore = offsets.endOffset(Topics.PHONE_EVENTS);
                long committedBefore = offsets.committed(PHONE_GROUP, Topics.PHONE_EVENTS);
                report.lagBeforeBacklog = phoneEndBefore - committedBefore;
                Map<TopicPartition, Long> credentialStart = offsets.endOffsets(Topics.ACS_CREDENTIAL_EVENTS);
                say(String.format("Publishing phone.deactivated for the %,d backlog phones while %s is down", backlogPhones.size(), SERVICE));
                report.backlogPublishTook = RevocationBacklog.publishDeactivations(kafka, registry, workspaceId, backlogPhones,
                        n -> { });
                long phoneEnd = offsets.endOffset(Topics.PHONE_EVENTS);
                report.backlog = phoneEnd - committedBefore;
                say(String.format("Published in %.1f s: the group %s is %,d events behind", seconds(report.backlogPublishTook),
                        PHONE_GROUP, report.backlog));
                QuietMachine.waitForOtherCpu(monitor, options.maxOtherCores, options.quietWaitSeconds, "restarting " + SERVICE, this::say);
                monitor.close();
                monitor = null;

                try (RevocationBacklog.Sampler sampler = new RevocationBacklog.Sampler(kafka, PHONE_GROUP, options.sampleMillis)) {
                    report.backlogBaseline = sampler.sampleNow();
                    sampler.start();
                    AtomicReference<Exception> restartFailure = new AtomicReference<>();
                    long restartAt = System.nanoTime();
                    report.restartAtNanos = restartAt;
                    report.restartAtWallMs = System.currentTimeMillis();
                    say("Starting " + SERVICE + " again");
                    Thread restart = new Thread(() -> {
                        try {
                            platform.restart(SERVICE);
                            report.readyAtNanos = System.nanoTime();
                        } catch (Exception e) {
                            restartFailure.set(e);
                        }
                    }, "bench-restart");
                    restart.setDaemon(true);
                    restart.start();
                    long newPid = awaitNewPid(oldPid, restart);
                    Map<Long, String> restartedPids = new LinkedHashMap<>(pids);
                    restartedPids.remove(oldPid);
                    restartedPids.put(newPid, SERVICE);
                    restartedMonitor = new Monitor(SERVICE, restartedPids, postmasterPid);
                    report.restartedPid = newPid;

                    long deadline = System.nanoTime() + options.backlogTimeoutSeconds * 1_000_000_000L;
                    // Wait for the consumer's first commit, then measure until it has committed the whole backlog.
                    while (progress(sampler) <= committedBefore) {
                        checkAlive(restart, restartFailure, deadline, "its first commit");
                        Thread.sleep(20);
                    }
                    jfr(newPid, "start", "backlog");
                    Monitor.Phase phase = restartedMonitor.begin("backlog of " + String.format("%,d", report.backlog));
                    say(String.format("First commit after %.1f s; measuring until the group has caught up",
                            (System.nanoTime() - restartAt) / 1e9));
                    long lastSaid = System.nanoTime();
                    while (progress(sampler) < phoneEnd) {
                        checkAlive(restart, restartFailure, deadline, "the end of the backlog");
                        Thread.sleep(20);
                        if (System.nanoTime() - lastSaid > 10_000_000_000L) {
                            RevocationBacklog.Sample latest = sampler.latest();
                            say(String.format("  %,d of %,d applied, %,d events on the credential topic", latest.committed() - committedBefore,
                                    report.backlog, latest.credentialEnd() - report.backlogBaseline.credentialEnd()));
                            lastSaid = System.nanoTime();
                        }
                    }
                    report.backlogStats = restartedMonitor.end(phase);
                    jfr(newPid, "stop", "backlog");
                    // The relay publishes the last deletions right after the last commit: wait until the topic stops growing.
                    long expectedDeletions = (long) backlogPhones.size() * options.credentialsPerIdentity;
                    long stableSince = System.nanoTime();
                    long lastEnd = -1;
                    while (System.nanoTime() - stableSince < 3_000_000_000L && System.nanoTime() < deadline) {
                        long end = sampler.latest().credentialEnd();
                        if (end != lastEnd) {
                            lastEnd = end;
                            stableSince = System.nanoTime();
                        }
                        if (end - report.backlogBaseline.credentialEnd() >= expectedDeletions) {
                            break;
                        }
                        Thread.sleep(50);
                    }
                    restart.join(options.backlogTimeoutSeconds * 1000L);
                    if (restartFailure.get() != null) {
                        throw restartFailure.get();
                    }
                    Thread.sleep(2 * options.sampleMillis);
                    report.backlogSamples = sampler.samples();
                    report.samplerFailure = sampler.failure() == null ? null : sampler.failure().toString();
                }
                report.restartedStartedIn = ServiceProcesses.quarkusStartTime(platform.serviceLog(SERVICE));
                report.restartedMaxRssKb = restartedMonitor.overallMaxRssKb();
                report.restartedPeakRssKb = restartedMonitor.peakRssKb();
                report.restartedRssAtEndKb = restartedMonitor.currentRssKb();
                say(CredentialServiceReport.backlogSummary(report));

                say("Reading back the credential topic");
                report.published = RevocationBacklog.readBack(kafka, registry, credentialStart,
                        offsets.endOffsets(Topics.ACS_CREDENTIAL_EVENTS), backlogPhones.keySet());
                report.liveChildrenOfBacklogPhones = state.liveCredentials(new ArrayList<>(backlogPhones.keySet()));
                report.deadLetters = state.deadLetters();
                say(String.format("Read back: %,d acs_credential.deleted (%,d other records); %s phones by deletions; "
                                + "%,d credentials of backlog phones still live; dead letters %s",
                        report.published.deleted(), report.published.others(), report.published.phonesByDeletions(),
                        report.liveChildrenOfBacklogPhones, report.deadLetters));
            }
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            if (restartedMonitor != null) {
                restartedMonitor.close();
            }
            say("Stopping the platform");
            platform.stop();
        }
        report.log = log.lines();

        Path file = QuietMachine.writeResults(options.resultsDirectory, "credential-service", report.markdown());
        System.out.println();
        System.out.println(report.summaryTable());
        return file;
    }

    private static long progress(RevocationBacklog.Sampler sampler) {
        RevocationBacklog.Sample latest = sampler.latest();
        return latest == null ? -1 : latest.committed();
    }

    private void checkAlive(Thread restart, AtomicReference<Exception> failure, long deadline, String what) throws Exception {
        if (failure.get() != null) {
            throw new IllegalStateException(SERVICE + " did not start again: " + failure.get().getMessage(), failure.get());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(SERVICE + " did not reach " + what + " within " + options.backlogTimeoutSeconds + " s");
        }
    }

    /** The new credential-service process among this JVM's children, as soon as it has been launched. */
    private static long awaitNewPid(long oldPid, Thread restart) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = ProcessHandle.current().children()
                    .filter(process -> process.pid() != oldPid)
                    .filter(process -> Proc.commandLine(process.pid()).contains("/" + SERVICE + "/target/quarkus-app/quarkus-run.jar"))
                    .findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            if (!restart.isAlive()) {
                break;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("The restarted " + SERVICE + " process did not appear");
    }

    /**
     * With {@code --jfr-dir}: a Flight Recording ({@code --jfr-settings}, default profile) of credential-service during a
     * measured phase, for finding where its time goes; jcmd runs outside the phase's CPU accounting.
     */
    private void jfr(long pid, String action, String name) {
        if (options.jfrDirectory == null) {
            return;
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> command = new ArrayList<>(List.of(jcmd, Long.toString(pid), "JFR." + action, "name=bench-" + name));
        if (action.equals("start")) {
            try {
                Files.createDirectories(options.jfrDirectory);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            command.add("settings=" + options.jfrSettings);
            command.add("filename=" + options.jfrDirectory.resolve(SERVICE + "-" + name + ".jfr"));
        }
        String output = Machine.run(command, null);
        say("JFR " + action + " (" + name + "): " + output.lines().filter(line -> !line.isBlank()).reduce((a, b) -> b).orElse(""));
    }

    private void stopGracefully(long pid, String name) throws InterruptedException {
        if (!ServiceProcesses.stopGracefully(pid)) {
            say(name + " did not stop within 30 s of SIGTERM and was killed");
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
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
                Usage: java -cp bench.jar com.lockstep.bench.CredentialServiceBench [options]
                       (normally run by bench/credential-service.sh)
                  --project-root DIR               the Lockstep checkout (default: the current directory)
                  --results-dir DIR                where the report goes (default: <root>/bench/results)
                  --data-dir DIR                   the platform's data, wiped first (default <root>/bench/target/credential-platform)
                  --owners N                       user identities whose phones are deactivated through phone-service (default 350)
                  --phones-per-owner N             phones per owner, registered through phone-service (default 10)
                  --credentials-per-identity N     multi-phone-sync mobile keys per identity, so credentials per phone (default 3)
                  --acs-users true|false           create each identity with an ACS user on the sandbox ACS system (default true)
                  --deactivations N                measured deactivations (default 3000)
                  --warmup-deactivations N         deactivations before the measured ones (default 500)
                  --rate N                         deactivations per second (default 100)
                  --backlog-phones N               phones in the revocation backlog (default 100000)
                  --backlog-phones-per-identity N  their phones per identity (default 10)
                  --backlog-with-other-services true|false
                                                   keep identity-service, phone-service and device-gateway running while
                                                   the backlog is worked through (default false: stopped, so that their
                                                   consumers of the same events do not share the cores)
                  --backlog-timeout-seconds N      give up on the backlog after N s (default 1200)
                  --sample-millis N                committed offsets sampled every N ms (default 100)
                  --seed-concurrency N             parallel requests while seeding (default 8)
                  --seed-timeout-seconds N         give up seeding (or settling) after N s (default 1800)
                  --max-load X                     wait for the 1-minute load average to fall below X (default 1.0)
                  --load-wait-seconds N            ... before starting the platform, at most N s (default 900)
                  --settle-wait-seconds N          ... after seeding, before measuring, at most N s (default 180)
                  --max-other-cores X              before each measured run, wait until processes not of this benchmark
                                                   use less than X cores (default 0.1) ...
                  --quiet-wait-seconds N           ... at most N s each time (default 300)
                  --service-max-heap SIZE          each service's -Xmx, e.g. 256m (default: the platform's)
                  --jfr-dir DIR                    record credential-service with Java Flight Recorder (settings=profile)
                                                   during each measured phase, into DIR (a diagnostic; default off)
                  --jfr-settings NAME|FILE         the recording's settings (default profile; e.g. a copy of the JDK's
                                                   lib/jfr/profile.jfc with jdk.SocketRead's threshold at 0 ms)
                  --command TEXT                   how the benchmark was invoked, for the report
                """;

        Path projectRoot = Path.of("").toAbsolutePath();
        Path resultsDirectory;
        Path dataDirectory;
        int owners = 350;
        int phonesPerOwner = 10;
        int credentialsPerIdentity = 3;
        boolean acsUsers = true;
        int deactivations = 3000;
        int warmupDeactivations = 500;
        int rate = 100;
        int backlogPhones = 100_000;
        int backlogPhonesPerIdentity = 10;
        boolean backlogWithOtherServices;
        int backlogTimeoutSeconds = 1200;
        long sampleMillis = 100;
        int seedConcurrency = 8;
        int seedTimeoutSeconds = 1800;
        double maxLoad = 1.0;
        int loadWaitSeconds = 900;
        int settleWaitSeconds = 180;
        double maxOtherCores = 0.1;
        int quietWaitSeconds = 300;
        String serviceMaxHeap;
        Path jfrDirectory;
        String jfrSettings = "profile";
        String command = "java -cp bench.jar com.lockstep.bench.CredentialServiceBench";
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            options.help = CommandLine.parse(args, (name, value) -> {
                switch (name) {
                case "--project-root" -> options.projectRoot = Path.of(value).toAbsolutePath().normalize();
                case "--results-dir" -> options.resultsDirectory = Path.of(value).toAbsolutePath();
                case "--data-dir" -> options.dataDirectory = Path.of(value).toAbsolutePath();
                case "--owners" -> options.owners = CommandLine.positive(name, value);
                case "--phones-per-owner" -> options.phonesPerOwner = CommandLine.positive(name, value);
                case "--credentials-per-identity" -> options.credentialsPerIdentity = CommandLine.positive(name, value);
                case "--acs-users" -> options.acsUsers = CommandLine.bool(name, value);
                case "--deactivations" -> options.deactivations = CommandLine.positive(name, value);
                case "--warmup-deactivations" -> options.warmupDeactivations = Integer.parseInt(value);
                case "--rate" -> options.rate = CommandLine.positive(name, value);
                case "--backlog-phones" -> options.backlogPhones = CommandLine.positive(name, value);
                case "--backlog-phones-per-identity" -> options.backlogPhonesPerIdentity = CommandLine.positive(name, value);
                case "--backlog-with-other-services" -> options.backlogWithOtherServices = CommandLine.bool(name, value);
                case "--backlog-timeout-seconds" -> options.backlogTimeoutSeconds = CommandLine.positive(name, value);
                case "--sample-millis" -> options.sampleMillis = CommandLine.positive(name, value);
                case "--seed-concurrency" -> options.seedConcurrency = CommandLine.positive(name, value);
                case "--seed-timeout-seconds" -> options.seedTimeoutSeconds = CommandLine.positive(name, value);
                case "--max-load" -> options.maxLoad = Double.parseDouble(value);
                case "--load-wait-seconds" -> options.loadWaitSeconds = Integer.parseInt(value);
                case "--settle-wait-seconds" -> options.settleWaitSeconds = Integer.parseInt(value);
                case "--max-other-cores" -> options.maxOtherCores = Double.parseDouble(value);
                case "--quiet-wait-seconds" -> options.quietWaitSeconds = Integer.parseInt(value);
                case "--service-max-heap" -> options.serviceMaxHeap = value;
                case "--jfr-dir" -> options.jfrDirectory = Path.of(value).toAbsolutePath();
                case "--jfr-settings" -> options.jfrSettings = value;
                case "--command" -> options.command = value;
                default -> throw new IllegalArgumentException("Unknown option " + name);
                }
            });
            if (options.resultsDirectory == null) {
                options.resultsDirectory = options.projectRoot.resolve("bench/results");
            }
            if (options.dataDirectory == null) {
                options.dataDirectory = options.projectRoot.resolve("bench/target/credential-platform");
            }
            int phones = options.owners * options.phonesPerOwner;
            if (phones < options.deactivations + options.warmupDeactivations) {
                throw new IllegalArgumentException("owners × phones-per-owner (" + phones
                        + ") must cover deactivations + warmup-deactivations (" + (options.deactivations + options.warmupDeactivations) + ")");
            }
            return options;
        }
    }
}
