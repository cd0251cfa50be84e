package com.lockstep.bench;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.HdrHistogram.Histogram;

/** The figures of one credential-service run, and the Markdown that records them in {@code bench/results/}. */
final class CredentialServiceReport {

    private final CredentialServiceBench.Options options;

    ZonedDateTime started;
    String revision;
    Report.Quiet quietBeforeStart;
    Report.Quiet quietBeforeMeasuring;
    Duration platformStart;
    List<String> services;
    String serviceUrl;
    String serviceStartedIn;
    long servicePid;
    String serviceCommand;
    long rssAfterStartKb;
    String collector;

    // Seeding
    String acsSystem;
    Duration identitiesTook;
    Duration keysTook;
    long notYetKnownRetries;
    Duration latencyPhonesTook;
    Duration registrationsPublishTook;
    Duration issuedTook;
    Duration settleTook;
    Duration seedTook;
    int owners;
    int backlogIdentities;
    int latencyPhones;
    int backlogPhones;
    long liveCredentialsAfterSeed;
    long phonesAfterSeed;
    long acsUsersAfterSeed;
    long rssAfterSeedKb;

    // 1. Lost-phone latency
    int latencyPartitions;
    RevocationLatency.Result latencyWarmup;
    RevocationLatency.Result latency;
    Monitor.PhaseStats latencyStats;
    long overallMaxRssKb;
    long peakRssKb;

    // 2. The backlog
    long lagBeforeBacklog;
    Duration backlogPublishTook;
    long backlog;
    RevocationBacklog.Sample backlogBaseline;
    long restartAtNanos;
    long restartAtWallMs;
    volatile long readyAtNanos;
    long restartedPid;
    Monitor.PhaseStats backlogStats;
    List<RevocationBacklog.Sample> backlogSamples = List.of();
    String samplerFailure;
    String restartedStartedIn;
    long restartedMaxRssKb;
    long restartedPeakRssKb;
    long restartedRssAtEndKb;
    RevocationBacklog.Published published;
    long liveChildrenOfBacklogPhones;
    Map<String, Long> deadLetters = Map.of();

    List<String> log = List.of();

    CredentialServiceReport(CredentialServiceBench.Options options) {
        this.options = options;
    }

    // ---- 1. Latency ----

    static String latencySummary(RevocationLatency.Result result) {
        Histogram h = result.responseToLastDeleted();
        return String.format("deactivate -> last acs_credential.deleted: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d of %d complete,"
                        + " %d failed, %d incomplete, %,d deletions read)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getTotalCount(),
                result.requested(), result.failed(), result.incomplete(), result.deletedEvents());
    }

    boolean latencyMet() {
        return latency.failed() == 0 && latency.incomplete() == 0 && latency.succeeded() == latency.requested()
                && ms(latency.responseToLastDeleted().getValueAtPercentile(99)) < CredentialServiceBench.TARGET_LATENCY_P99_MS;
    }

    // ---- 2. Backlog ----

    private long base() {
        return backlogBaseline.committed();
    }

    private RevocationBacklog.Sample firstAtLeast(long committed) {
        for (RevocationBacklog.Sample sample : backlogSamples) {
            if (sample.committed() >= committed) {
                return sample;
            }
        }
        return null;
    }

    private RevocationBacklog.Sample firstProgress() {
        return firstAtLeast(base() + 1);
    }

    private RevocationBacklog.Sample caughtUp() {
        return firstAtLeast(base() + backlog);
    }

    /** Phones/s between the consumer's first commit and the commit of the backlog's last event (the figure). */
    double consumerRate() {
        RevocationBacklog.Sample first = firstProgress();
        RevocationBacklog.Sample last = caughtUp();
        if (first == null || last == null || last.nanos() <= first.nanos()) {
            return Double.NaN;
        }
        return (last.committed() - first.committed()) / ((last.nanos() - first.nanos()) / 1e9);
    }

    /** Phones/s between the commits that passed 10 % and 90 % of the backlog. */
    double steadyRate() {
        RevocationBacklog.Sample from = firstAtLeast(base() + backlog / 10);
        RevocationBacklog.Sample to = firstAtLeast(base() + backlog * 9 / 10);
        if (from == null || to == null || to.nanos() <= from.nanos()) {
            return Double.NaN;
        }
        return (to.committed() - from.committed()) / ((to.nanos() - from.nanos()) / 1e9);
    }

    double secondsFromRestart(RevocationBacklog.Sample sample) {
        return sample == null ? Double.NaN : (sample.nanos() - restartAtNanos) / 1e9;
    }

    double readySeconds() {
        return readyAtNanos == 0 ? Double.NaN : (readyAtNanos - restartAtNanos) / 1e9;
    }

    long expectedDeletions() {
        return (long) backlogPhones * options.credentialsPerIdentity;
    }

    boolean backlogComplete() {
        return published != null && published.phonesByDeletions().size() == 1
                && published.phonesByDeletions().getOrDefault(options.credentialsPerIdentity, 0L) == backlogPhones
                && liveChildrenOfBacklogPhones == 0;
    }

    boolean backlogMet() {
        return backlogComplete() && consumerRate() >= CredentialServiceBench.TARGET_PHONES_PER_SECOND;
    }

    /** acs_credential.deleted per second on Kafka, first to last (their record timestamps). */
    double deletionRate() {
        long[] ts = published.deletedTimestampsMs();
        if (ts.length < 2 || ts[ts.length - 1] == ts[0]) {
            return Double.NaN;
        }
        return ts.length / ((ts[ts.length - 1] - ts[0]) / 1000.0);
    }

    static String backlogSummary(CredentialServiceReport r) {
        return String.format("backlog of %,d: first commit %.1f s after the restart, caught up after %.1f s; %,.0f phones/s"
                        + " (first commit → caught up), %,.0f phones/s (10 %% → 90 %%); ready after %.1f s",
                r.backlog, r.secondsFromRestart(r.firstProgress()), r.secondsFromRestart(r.caughtUp()), r.consumerRate(),
                r.steadyRate(), r.readySeconds());
    }

    // ---- Markdown ----

    String summaryTable() {
        Histogram h = latency.responseToLastDeleted();
        StringBuilder md = new StringBuilder();
        md.append("| figure | measured | target | |\n|---|---|---|---|\n");
        md.append(String.format("| lost phone: `/phones/deactivate` returned → last `acs_credential.deleted` of the phone read from Kafka,"
                        + " %d/s, %d credentials per phone: p50 / p99 / max | %.2f ms / **%.2f ms** / %.2f ms | p99 < 100 ms | %s |%n",
                latency.ratePerSecond(), options.credentialsPerIdentity, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()), met(latencyMet())));
        md.append(String.format("| revocation backlog of %,d `phone.deactivated`: `%s` from its first commit to caught up | **%,.0f phones/s**"
                        + " (%,.0f events/s) | ≥ 5,000 phones/s | %s |%n",
                backlog, CredentialServiceBench.PHONE_GROUP, consumerRate(), consumerRate(), met(backlogMet())));
        md.append(String.format("| same, between 10 %% and 90 %% of the backlog | %,.0f phones/s | | |%n", steadyRate()));
        md.append(String.format("| same, from the restart (JVM start included) to caught up | %,.0f phones/s (%.1f s) | | |%n",
                backlog / secondsFromRestart(caughtUp()), secondsFromRestart(caughtUp())));
        if (published != null) {
            long[] ts = published.deletedTimestampsMs();
            md.append(String.format("| `acs_credential.deleted` published while it worked through the backlog (Kafka timestamps, first to last)"
                            + " | %,.0f events/s (%,d events; the last %.1f s after the restart) | | |%n",
                    deletionRate(), published.deleted(), ts.length == 0 ? Double.NaN : (ts[ts.length - 1] - restartAtWallMs) / 1000.0));
        }
        md.append(String.format("| credential-service RSS: after start / max during the deactivations / max from its restart through"
                        + " the backlog | %s / %s / **%s MiB** | none | |%n",
                mb(rssAfterStartKb), mb(latencyStats.maxRssKb()), mb(restartedMaxRssKb)));
        md.append(String.format("| credential-service start: Quarkus \"started in\" (first start / restart); restart launched → ready"
                        + " | %s / %s; %.1f s | none | |%n", serviceStartedIn, restartedStartedIn, readySeconds()));
        return md.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# credential-service benchmark, ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append(" UTC\n\n");
        md.append("Recorded by `").append(options.command).append("` at commit ").append(revision)
                .append(". All figures are from one run on the machine below; the load generator, PostgreSQL, Kafka and the")
                .append(" other services share its cores with credential-service (see `bench/README.md`).\n\n");

        md.append("## Figures\n\n").append(summaryTable()).append('\n');
        Report.appendDisturbed(md, phases());
        md.append("Targets met: ").append((latencyMet() ? 1 : 0) + (backlogMet() ? 1 : 0)).append(" of 2.");
        if (!backlogComplete()) {
            md.append(" **The backlog was not fully revoked** (see below): its target is not met whatever the rate.");
        }
        md.append("\n\n");

        Report.appendMachine(md, options.maxLoad, quietBeforeStart, quietBeforeMeasuring, "start and seeding");

        md.append("## Set-up\n\n");
        md.append("- Platform: `LocalPlatform` (deploy/local) with ").append(String.join(", ", services))
                .append(", embedded PostgreSQL, an in-JVM Kafka broker and Apicurio Registry; started in ")
                .append(String.format("%.1f s", seconds(platformStart))).append(" (data wiped first). ")
                .append("credential-service's own start (Quarkus \"started in\"): ").append(serviceStartedIn)
                .append("; RSS ").append(mb(rssAfterStartKb)).append(" MiB right after start; garbage collector ")
                .append(collector).append(".\n");
        md.append("- credential-service, pid ").append(servicePid).append(" (pid ").append(restartedPid)
                .append(" after its restart), on ").append(serviceUrl).append(":\n\n  ```\n  ").append(serviceCommand).append("\n  ```\n");
        md.append(String.format("- Seeding, %.1f s in all (not measured):%n", seconds(seedTook)));
        md.append(String.format("  - %,d user identities through identity-service's `/user_identities/create` (%d at a time), %s: %.1f s;%n",
                owners + backlogIdentities, options.seedConcurrency,
                options.acsUsers ? "each with `acs_system_ids` = the sandbox ACS system " + acsSystem
                        + ", so credential-service creates an ACS user for each" : "without ACS users", seconds(identitiesTook)));
        md.append(String.format("  - %d multi-phone-sync mobile keys per identity through credential-service's `/acs/credentials/create`"
                        + " (`user_identity_id`, `acs_system_id`, `access_method: mobile_key`, `is_multi_phone_sync_credential: true`): %,d in %.1f s"
                        + " (%,d requests answered 404 while credential-service had not yet read the identity's event, and were sent again);%n",
                options.credentialsPerIdentity, (owners + backlogIdentities) * options.credentialsPerIdentity, seconds(keysTook), notYetKnownRetries));
        md.append(String.format("  - %,d phones through phone-service's `/phones/simulate/create_sandbox_phone` (%d owners × %d): %.1f s;"
                        + " these are the ones deactivated in the latency run;%n",
                latencyPhones, owners, options.phonesPerOwner, seconds(latencyPhonesTook)));
        md.append(String.format("  - %,d backlog phones (%,d identities × %d): their `phone.registered` published straight on"
                        + " `lockstep.phone.events` (Avro through the registry, keyed by device_id, as phone-service's relay does; phone-service"
                        + " does not know them) in %.1f s; credential-service had issued every phone's %d credentials %.1f s after the"
                        + " publishing began (%,.0f phones/s, %,.0f credentials/s), and every consumer group had caught up %.1f s later;%n",
                backlogPhones, backlogIdentities, options.backlogPhonesPerIdentity, seconds(registrationsPublishTook),
                options.credentialsPerIdentity, seconds(issuedTook), backlogPhones / seconds(issuedTook),
                backlogPhones * (double) options.credentialsPerIdentity / seconds(issuedTook), seconds(settleTook)));
        md.append(String.format("  - then credential-service held %,d live credentials, %,d active phones and %,d ACS users; RSS %s MiB.%n",
                liveCredentialsAfterSeed, phonesAfterSeed, acsUsersAfterSeed, mb(rssAfterSeedKb)));
        md.append(String.format("- Latency run: %d warm-up then %d measured deactivations, each at %d/s on an open-loop schedule"
                        + " (a `DELETE /phones/deactivate?device_id=...` to phone-service's own port every %.0f ms whether or not earlier ones"
                        + " have returned), in random order; a Kafka consumer assigned to all %d partitions of `lockstep.phone.events` and"
                        + " `lockstep.acs_credential.events` polls every %d ms from before the first DELETE.%n",
                latencyWarmup.requested(), latency.requested(), latency.ratePerSecond(), 1000.0 / latency.ratePerSecond(),
                latencyPartitions, RevocationLatency.POLL_TIMEOUT.toMillis()));
        md.append(String.format("- Backlog run: credential-service stopped with SIGTERM (its consumers leave their groups)%s;"
                        + " `phone.deactivated` for the %,d backlog phones published on `lockstep.phone.events` (shuffled) in %.1f s"
                        + " (the group `%s` was %,d events behind before); credential-service started again (`LocalPlatform.restart`);"
                        + " the group's committed offsets and the credential topic's end offsets read with the Kafka AdminClient every %d ms.%n",
                options.backlogWithOtherServices ? "; identity-service, phone-service and device-gateway kept running (their consumers of the"
                        + " same events shared the cores)"
                        : "; identity-service, phone-service and device-gateway stopped too (their consumers would work through the same events on"
                        + " the same cores: identity-service reads `phone.deactivated` and the deletions, phone-service and device-gateway the"
                        + " deletions; in production they run elsewhere), so only credential-service, PostgreSQL, Kafka and the registry ran",
                backlogPhones, seconds(backlogPublishTook), CredentialServiceBench.PHONE_GROUP, lagBeforeBacklog, options.sampleMillis));
        md.append("\n");

        // 1.
        md.append("## 1. Lost phone: deactivate → last `acs_credential.deleted` on Kafka\n\n");
        md.append(String.format("%d DELETEs scheduled over %.1f s; %d answered 200, %d failed%s; %d phones with fewer deletions read than"
                        + " credentials held (incomplete), %d whose `phone.deactivated` was not seen; %,d deletions read; %d phones whose last"
                        + " deletion was read before their DELETE's response arrived (counted as 0 ms). Credentials held per phone before the run"
                        + " (credential-service's database) → phones: %s.%n%n",
                latency.requested(), latency.sendingSeconds(), latency.succeeded(), latency.failed(),
                latency.failureStatuses().isEmpty() ? "" : " " + latency.failureStatuses(), latency.incomplete(), latency.noPhoneEvent(),
                latency.deletedEvents(), latency.lastBeforeResponse(), latency.credentialsPerPhone()));
        md.append("| ms | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n");
        md.append(percentileRow("**DELETE's 200 → last deletion read (the figure)**", latency.responseToLastDeleted(), 1000.0));
        md.append(percentileRow("DELETE's 200 → `phone.deactivated` read (phone-service's part)", latency.responseToPhoneEvent(), 1000.0));
        md.append(percentileRow("DELETE's 200 → `phone.deactivated` read by a second consumer with `isolation.level=read_committed`"
                + " (as the services' consumers read; diagnostic)", latency.responseToPhoneEventReadCommitted(), 1000.0));
        md.append(percentileRow("`phone.deactivated` read → last deletion read (credential-service's part)", latency.phoneEventToLastDeleted(), 1000.0));
        md.append(percentileRow("first → last deletion of a phone read", latency.firstToLastDeleted(), 1000.0));
        md.append(percentileRow("`phone.deactivated` record timestamp → deletions' `occurred_at` (credential-service's consumer and transaction; wall clock, 1 ms)",
                latency.phoneRecordToRevokedMs(), 1.0));
        md.append(percentileRow("deletions' `occurred_at` → last deletion's record timestamp (its outbox relay; wall clock, 1 ms)",
                latency.revokedToRecordMs(), 1.0));
        md.append(percentileRow("last deletion's record timestamp → read here (wall clock, 1 ms)", latency.recordToConsumerMs(), 1.0));
        md.append(percentileRow("DELETE sent → its 200", latency.deleteLatency(), 1000.0));
        md.append(percentileRow("DELETE sent later than scheduled (open loop held if small)", latency.scheduleLag(), 1000.0));
        md.append(String.format("%nWarm-up run (not counted): %s.%n", latencySummary(latencyWarmup)));
        if (latency.pollErrors() > 0) {
            md.append(String.format("%nThe consumer's poll failed %d times; last: `%s`.%n", latency.pollErrors(), latency.lastPollError()));
        }
        md.append('\n');

        // 2.
        md.append("## 2. Revocation backlog\n\n");
        RevocationBacklog.Sample first = firstProgress();
        RevocationBacklog.Sample last = caughtUp();
        md.append(String.format("%,d `phone.deactivated` behind. From `LocalPlatform.restart` (t = 0): the service was ready (`/q/health/ready`)"
                        + " at %.1f s, the group's first commit was seen at %.1f s (%,d applied), and it had committed the whole backlog at %.1f s:"
                        + " **%,.0f phones/s** from the first commit to the last (%,.0f between 10 %% and 90 %%; %,.0f from the restart).%n%n",
                backlog, readySeconds(), secondsFromRestart(first), first == null ? 0 : first.committed() - base(),
                secondsFromRestart(last), consumerRate(), steadyRate(), backlog / secondsFromRestart(last)));
        if (published != null) {
            long[] ts = published.deletedTimestampsMs();
            md.append(String.format("On `lockstep.acs_credential.events` after the restart: %,d records, %,d of them `acs_credential.deleted`"
                            + " (%,d expected: %d per backlog phone), %,d others, %,d deletions of phones outside the backlog; backlog phones by"
                            + " deletions published → phones: %s; live credentials of backlog phones left in credential-service's database: %,d."
                            + " Deletions on Kafka from %.1f s to %.1f s after the restart: %,.0f events/s.%n%n",
                    published.records(), published.deleted(), expectedDeletions(), options.credentialsPerIdentity, published.others(),
                    published.deletedOfOtherPhones(), published.phonesByDeletions(), liveChildrenOfBacklogPhones,
                    ts.length == 0 ? Double.NaN : (ts[0] - restartAtWallMs) / 1000.0,
                    ts.length == 0 ? Double.NaN : (ts[ts.length - 1] - restartAtWallMs) / 1000.0, deletionRate()));
        }
        if (backlogStats != null && first != null && last != null && last.committed() > first.committed()) {
            double phones = last.committed() - first.committed();
            md.append(String.format("Cost per phone during the backlog phase (CPU time / phones applied in it): credential-service %.2f ms,"
                            + " PostgreSQL %.2f ms, the whole machine %.2f ms; credential-service averaged %.2f cores and PostgreSQL %.2f"
                            + " (the machine has %d).%n%n",
                    backlogStats.cores().getOrDefault(CredentialServiceBench.SERVICE, 0.0) * backlogStats.seconds() * 1000 / phones,
                    backlogStats.cores().getOrDefault(Monitor.POSTGRES, 0.0) * backlogStats.seconds() * 1000 / phones,
                    backlogStats.machineCores() * backlogStats.seconds() * 1000 / phones,
                    backlogStats.cores().getOrDefault(CredentialServiceBench.SERVICE, 0.0),
                    backlogStats.cores().getOrDefault(Monitor.POSTGRES, 0.0), Machine.processors()));
        }
        md.append("Dead-letter topics (records): ").append(deadLetters).append(".");
        if (samplerFailure != null) {
            md.append(" The offset sampler failed at least once: `").append(samplerFailure).append("`.");
        }
        md.append("\n\n").append(timeline()).append('\n');

        // Memory
        md.append("## credential-service memory\n\n");
        md.append("| | RSS (MiB) |\n|---|---|\n");
        md.append("| right after start | ").append(mb(rssAfterStartKb)).append(" |\n");
        md.append("| after seeding | ").append(mb(rssAfterSeedKb)).append(" |\n");
        md.append("| max sampled (every 100 ms) during the measured deactivations | ").append(mb(latencyStats.maxRssKb())).append(" |\n");
        md.append("| max sampled from start to the backlog run (seeding included) | ").append(mb(overallMaxRssKb)).append(" |\n");
        md.append("| peak of the first process (VmHWM) | ").append(mb(peakRssKb)).append(" |\n");
        md.append("| max sampled from the restart through the backlog | ").append(mb(restartedMaxRssKb)).append(" |\n");
        md.append("| at the end of the backlog run | ").append(mb(restartedRssAtEndKb)).append(" |\n");
        md.append("| peak of the restarted process (VmHWM) | ").append(mb(restartedPeakRssKb)).append(" |\n\n");

        // CPU
        List<Monitor.PhaseStats> phases = phases();
        md.append("## Where the CPU went\n\n");
        md.append("Average cores busy during each measured phase, from `/proc/<pid>/stat` (1.00 = one core all the time; the machine has ")
                .append(Machine.processors()).append("). The backlog phase runs from the group's first commit to its caught-up commit.\n\n");
        Set<String> labels = new LinkedHashSet<>();
        phases.forEach(stats -> labels.addAll(stats.cores().keySet()));
        labels.remove(Monitor.WRK);
        Report.appendCpuAndGc(md, phases, labels, label -> label.equals(Monitor.BENCH_JVM)
                ? "bench JVM (Kafka broker, router, Kafka consumer, HTTP client, AdminClient)" : label, "credential-service", collector);

        md.append("## Log\n\n```\n").append(String.join("\n", log)).append("\n```\n");
        return md.toString();
    }

    /** The backlog run in steps: how far the group had committed, and the credential topic's end, from the restart. */
    private String timeline() {
        if (backlogSamples.isEmpty()) {
            return "";
        }
        RevocationBacklog.Sample done = caughtUp();
        double total = done == null ? secondsFromRestart(backlogSamples.get(backlogSamples.size() - 1)) : secondsFromRestart(done);
        double step = Math.max(1, Math.ceil(total / 20));
        StringBuilder md = new StringBuilder();
        md.append(String.format("Progress every %.0f s from the restart (AdminClient samples):%n%n", step));
        md.append("| s after restart | phones applied (committed) | phones/s in the step | `acs_credential.deleted` on Kafka | events/s in the step |\n");
        md.append("|---|---|---|---|---|\n");
        long previousCommitted = base();
        long previousEnd = backlogBaseline.credentialEnd();
        double previousT = 0;
        RevocationBacklog.Sample finalSample = backlogSamples.get(backlogSamples.size() - 1);
        double end = secondsFromRestart(finalSample);
        List<RevocationBacklog.Sample> rows = new ArrayList<>();
        for (double t = step; t < end + step; t += step) {
            RevocationBacklog.Sample at = null;
            for (RevocationBacklog.Sample sample : backlogSamples) {
                if (secondsFromRestart(sample) <= t) {
                    at = sample;
                }
            }
            if (at == null) {
                continue;
            }
            if (rows.isEmpty() || rows.get(rows.size() - 1) != at) {
                rows.add(at);
            }
            if (at.committed() >= base() + backlog && at.credentialEnd() >= finalSample.credentialEnd()) {
                break;
            }
        }
        for (RevocationBacklog.Sample at : rows) {
            double t = secondsFromRestart(at);
            double dt = t - previousT;
            md.append(String.format("| %.1f | %,d | %,.0f | %,d | %,.0f |%n", t, at.committed() - base(),
                    dt <= 0 ? 0 : (at.committed() - previousCommitted) / dt, at.credentialEnd() - backlogBaseline.credentialEnd(),
                    dt <= 0 ? 0 : (at.credentialEnd() - previousEnd) / dt));
            previousCommitted = at.committed();
            previousEnd = at.credentialEnd();
            previousT = t;
        }
        return md.toString();
    }

    private List<Monitor.PhaseStats> phases() {
        List<Monitor.PhaseStats> phases = new ArrayList<>();
        if (latencyStats != null) {
            phases.add(latencyStats);
        }
        if (backlogStats != null) {
            phases.add(backlogStats);
        }
        return phases;
    }

    private static String percentileRow(String name, Histogram h, double perMs) {
        return String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name,
                h.getValueAtPercentile(50) / perMs, h.getValueAtPercentile(90) / perMs, h.getValueAtPercentile(99) / perMs,
                h.getValueAtPercentile(99.9) / perMs, h.getMaxValue() / perMs);
    }

    private static String met(boolean met) {
        return met ? "met" : "**not met**";
    }

    private static double seconds(Duration duration) {
        return duration == null ? Double.NaN : duration.toMillis() / 1000.0;
    }

    private static String mb(long kb) {
        return CredentialServiceBench.mb(kb);
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }
}
