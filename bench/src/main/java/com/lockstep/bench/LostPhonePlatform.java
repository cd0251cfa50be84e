package com.lockstep.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.lockstep.local.LocalPlatform;

/**
 * The whole platform as the lost-phone benchmarks run it ({@link LostPhoneBench}, {@link ConsistencyBench}):
 * the four services with the platform's JVM flags on a wiped data folder, a {@link Monitor} on
 * credential-service, and the fleet they seed through the API (user identities, each with an ACS
 * user and multi-phone-sync mobile keys, and phones, each issued a child of every key).
 */
final class LostPhonePlatform {

    private LostPhonePlatform() {
    }

    /** What a benchmark does with the started platform. */
    interface OnPlatform {
        /**
         * @param pids every service's pid to its name
         * @param monitor started; closed after this returns
         */
        void run(LocalPlatform platform, Map<Long, String> pids, Monitor monitor) throws Exception;
    }

    /**
     * A whole run: waits for a quiet machine, starts the platform, runs {@code body} on it, stops it
     * (also when {@code body} fails, or on Ctrl-C through the platform's shutdown hooks), writes the
     * report as {@code <name>-<date>.md} and {@code <name>-latest.md}, and prints its summary table.
     * Fills the report's start, commit, load average, platform start time and service command.
     *
     * @return the dated report
     */
    static Path run(FleetOptions options, String name, FleetReport report, BenchLog log, OnPlatform body) throws Exception {
        report.started = ZonedDateTime.now(ZoneOffset.UTC);
        report.revision = Machine.gitRevision(options.projectRoot);
        report.quietBeforeStart = QuietMachine.waitForLoad(options.maxLoad, "starting the platform", options.loadWaitSeconds, log::say);
        LocalPlatform platform = create(options);
        Monitor monitor = null;
        try {
            log.say("Starting the platform (data in " + options.dataDirectory + ")");
            platform.start();
            report.platformStart = platform.startDuration();
            Map<Long, String> pids = pids();
            monitor = monitor(platform, pids);
            report.collector = monitor.collector();
            report.serviceCommand = serviceCommand(monitor);
            body.run(platform, pids, monitor);
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            log.say("Stopping the platform");
            platform.stop();
        }
        report.log = log.lines();

        Path file = QuietMachine.writeResults(options.resultsDirectory, name, report.markdown());
        System.out.println();
        System.out.println(report.summaryTable());
        return file;
    }

    /** The platform, not started yet: every service, on free ports, its data in {@code options.dataDirectory} (wiped first). */
    private static LocalPlatform create(FleetOptions options) {
        LocalPlatform.Options platformOptions = LocalPlatform.options()
                .port(0)
                .projectRoot(options.projectRoot)
                .dataDirectory(options.dataDirectory)
                .clean(true)
                .services(LostPhoneBench.SERVICES.toArray(String[]::new));
        if (options.serviceMaxHeap != null) {
            platformOptions.serviceMaxHeap(options.serviceMaxHeap);
        }
        options.serviceProperties.forEach(platformOptions::serviceProperty);
        return new LocalPlatform(platformOptions);
    }

    /** Every service's pid (children of this JVM) to its name. */
    static Map<Long, String> pids() {
        return ServiceProcesses.pids(LostPhoneBench.SERVICES, -1, LostPhoneBench.CREDENTIAL_SERVICE);
    }

    /** CPU of every process, RSS of every service, credential-service's garbage collections. */
    private static Monitor monitor(LocalPlatform platform, Map<Long, String> pids) {
        Path postmasterPid = platform.dataDirectory().resolve("postgres").resolve("postmaster.pid");
        return new Monitor(LostPhoneBench.CREDENTIAL_SERVICE, pids, postmasterPid);
    }

    /** The monitored service's command line, passwords masked, for the report. */
    private static String serviceCommand(Monitor monitor) {
        return Proc.commandLine(monitor.servicePid()).replaceAll("-D\\S*password=\\S*", "-D...password=***");
    }

    /**
     * What {@link #seed} put on the platform.
     *
     * @param phones device id → owner, in the order created
     * @param liveCredentials live credentials in credential-service once every child was issued
     */
    record Fleet(String acsSystemId, String acsSystemName, List<String> owners, Map<String, String> phones, Duration took,
                 long liveCredentials, long catchingUpRetries) {

        String acsSystem() {
            return acsSystemId + " " + acsSystemName;
        }
    }

    /**
     * Seeds, through the API, at least {@code phones} phones: user identities with an ACS user on
     * the sandbox's ACS system and {@code options.credentialsPerIdentity} mobile keys each, and
     * {@code options.phonesPerOwner} phones each; waits until credential-service has issued every
     * phone its children and no consumer group lags.
     */
    static Fleet seed(LocalPlatform platform, CredentialSeed seed, SettledPlatform state, FleetOptions options, int phones,
                      Consumer<String> say) throws Exception {
        long start = System.nanoTime();
        Map<String, String> systems = seed.acsSystems(platform.serviceUrl(LostPhoneBench.DEVICE_GATEWAY));
        if (systems.isEmpty()) {
            throw new IllegalStateException("device-gateway lists no ACS system in the sandbox workspace");
        }
        String acsSystemId = systems.keySet().iterator().next();
        int owners = (phones + options.phonesPerOwner - 1) / options.phonesPerOwner;
        say.accept(String.format("Seeding %,d user identities with an ACS user each, %d mobile keys each, %d phones each (%,d phones)",
                owners, options.credentialsPerIdentity, options.phonesPerOwner, owners * options.phonesPerOwner));
        List<String> ownerIds = seed.createIdentities(platform.serviceUrl(LostPhoneBench.IDENTITY_SERVICE), "owner", owners, acsSystemId);
        seed.createMobileKeys(platform.serviceUrl(LostPhoneBench.CREDENTIAL_SERVICE), ownerIds, options.credentialsPerIdentity, acsSystemId);
        Map<String, String> created = seed.createSandboxPhones(platform.serviceUrl(LostPhoneBench.PHONE_SERVICE), ownerIds,
                options.phonesPerOwner);
        state.awaitIssued((long) created.size() * options.credentialsPerIdentity);
        state.awaitSettled("seeding");
        Fleet fleet = new Fleet(acsSystemId, systems.get(acsSystemId), ownerIds, created, Duration.ofNanos(System.nanoTime() - start),
                state.count("SELECT count(*) FROM acs_credential WHERE deleted_at IS NULL"), seed.catchingUpRetries());
        say.accept(String.format("Seeded in %.0f s: %,d phones, %,d live credentials in credential-service;"
                        + " %,d requests answered 503 (catching up with events) and were sent again",
                fleet.took().toMillis() / 1000.0, created.size(), fleet.liveCredentials(), fleet.catchingUpRetries()));
        return fleet;
    }
}
