package com.lockstep.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/** The figures of one consistency run, and the Markdown that records them in {@code bench/results/}. */
final class ConsistencyReport extends FleetReport {

    private final ConsistencyBench.Options options;

    LostPhonePlatform.Fleet fleet;
    int readers;
    int readerPhones;
    int readerCredentials;
    int devices;
    int writers;
    Duration grantsTook;
    /** Each read's answer once, before the warm-up: what the reads ask for. */
    final Map<String, String> samples = new LinkedHashMap<>();
    Phase warmup;
    Phase idleReads;
    /** The broker's own end-offset lookup, measured right after the idle reads. */
    EndOffsetRoundTrip.Result brokerLookup;
    Phase idleWrites;
    Phase loadedReads;
    Phase loadedWrites;
    Map<String, Long> deadLetters = Map.of();

    ConsistencyReport(ConsistencyBench.Options options) {
        this.options = options;
    }

    /**
     * One phase's requests, by kind, and the lost-phone load that ran alongside (null if none).
     */
    record Phase(String name, int seconds, Map<String, ServerTimingProbe.Stats> kinds, RevocationLatency.Result load,
                 Monitor.PhaseStats stats) {

        /** For the log: each kind's fence, publication and latency, and the load's own figure. */
        List<String> summaryLines() {
            List<String> lines = new ArrayList<>();
            kinds.forEach((kind, s) -> lines.add(String.format(
                    "%s: fence p50 %.2f / p99 %.2f ms, publication p50 %.2f / p99 %.2f ms, whole request p50 %.2f / p99 %.2f ms"
                            + " (%,d answered 200, %d not%s)",
                    kind, p50(s.fence), p99(s.fence), p50(s.publication), p99(s.publication), p50(s.latency), p99(s.latency),
                    s.ok(), s.notOk(), s.firstFailure == null ? "" : "; first: " + s.firstFailure)));
            if (load != null) {
                lines.add("the load alongside: " + LostPhoneReport.summary(load));
            }
            return lines;
        }
    }

    // ---- Verdicts ----

    /** The target: with the platform idle, the fence's p50 at most 1 ms and its p99 at most 5 ms, every request answered. */
    boolean fenceMet(String read) {
        ServerTimingProbe.Stats s = idleReads.kinds().get(read);
        return s != null && s.notOk() == 0 && s.withoutTiming == 0 && s.fence.getTotalCount() > 0
                && p50(s.fence) <= ConsistencyBench.TARGET_FENCE_P50_MS && p99(s.fence) <= ConsistencyBench.TARGET_FENCE_P99_MS;
    }

    private int fencesMet() {
        return (int) idleReads.kinds().keySet().stream().filter(this::fenceMet).count();
    }

    // ---- Text ----

    /** The figures: reads (the fence, with its target) and writes (the publication barrier), idle and under load. */
    @Override
    String summaryTable() {
        StringBuilder md = new StringBuilder();
        appendTable(md, "read", "fence", s -> s.fence, idleReads, loadedReads, "target (fence, idle)", read -> String.format(
                "p50 ≤ %.0f ms, p99 ≤ %.0f ms | %s", ConsistencyBench.TARGET_FENCE_P50_MS, ConsistencyBench.TARGET_FENCE_P99_MS,
                Report.met(fenceMet(read))));
        md.append(String.format("| the broker's own end-offset lookup (the fence's floor, see below) | **%.2f / %.2f** | | | | | |%n",
                p50(brokerLookup.micros()), p99(brokerLookup.micros())));
        md.append('\n');
        appendTable(md, "write", "publication", s -> s.publication, idleWrites, loadedWrites, "target", write -> "none |");
        return md.toString();
    }

    /** One row per kind: its wait (in bold) and whole request, p50 / p99, idle and loaded, and its target and verdict. */
    private void appendTable(StringBuilder md, String what, String wait, Function<ServerTimingProbe.Stats, Histogram> waited,
                             Phase idle, Phase loaded, String targetHeading, Function<String, String> target) {
        String load = options.loadRate + " lost phones/s";
        md.append(String.format("| %1$s | %2$s p50 / p99, idle | whole request p50 / p99, idle | %2$s p50 / p99, %3$s"
                + " | whole request p50 / p99, %3$s | %4$s | |%n|---|---|---|---|---|---|---|%n", what, wait, load, targetHeading));
        for (String kind : idle.kinds().keySet()) {
            md.append("| `").append(kind).append("` | ").append(pair(idle, kind, waited, true)).append(" | ")
                    .append(pair(idle, kind, s -> s.latency, false)).append(" | ")
                    .append(pair(loaded, kind, waited, true)).append(" | ")
                    .append(pair(loaded, kind, s -> s.latency, false)).append(" | ").append(target.apply(kind)).append(" |\n");
        }
    }

    @Override
    String markdown() {
        StringBuilder md = new StringBuilder();
        appendTitle(md, "Consistency benchmark (read fence, publication barrier)", options.command);
        md.append("## Figures\n\n");
        md.append("Milliseconds. *fence* and *publication* are the service's own `Server-Timing` of each request (its wait for its"
                + " consumers to catch up with Kafka's end offsets (a write before its handler; a read after it, with its second run"
                + " if the consumers had been behind), and for its outbox to be published after it);"
                + " *whole request* is the client's, from the request handed to the HTTP client to its whole response.\n\n");
        md.append(summaryTable()).append('\n');
        for (Phase phase : List.of(loadedReads, loadedWrites)) {
            md.append("Alongside ").append(phase.name()).append(", the lost-phone load: ").append(LostPhoneReport.summary(phase.load()))
                    .append(".\n\n");
        }
        Report.appendDisturbed(md, phases());
        md.append("Targets met: ").append(fencesMet()).append(" of ").append(idleReads.kinds().size())
                .append(" (the fence of each read with the platform idle; every request must also have answered 200 with a"
                        + " `Server-Timing` header).\n\n");

        Report.appendMachine(md, options.maxLoad, quietBeforeStart, quietBeforeMeasuring, "start, seeding and warm-up");

        md.append("## Set-up\n\n");
        appendPlatform(md, LostPhoneBench.SERVICES);
        md.append(String.format("- Seeding, %.0f s (not measured), as the lost-phone benchmark's: %,d user identities through"
                        + " identity-service, each with an ACS user on the sandbox ACS system %s and %d multi-phone-sync mobile keys"
                        + " (credential-service's API), %d phones each through phone-service (%,d phones), each issued a child of"
                        + " every key: %,d live credentials. Then, in %.0f s: the first %,d identities (the *readers*, %,d phones"
                        + " with %,d credentials, never deactivated) granted each of the sandbox's %d devices"
                        + " (`/user_identities/grant_access_to_device`), and %d *writer* identities with an ACS user and no phone.%n",
                fleet.took().toMillis() / 1000.0, fleet.owners().size(), fleet.acsSystem(), options.credentialsPerIdentity,
                options.phonesPerOwner, fleet.phones().size(), fleet.liveCredentials(), grantsTook.toMillis() / 1000.0, readers,
                readerPhones, readerCredentials, devices, writers));
        md.append(String.format("- Reads, %d requests/s on an open-loop schedule, the three in turn, each about a random reader"
                + " (or one of their phones' credentials), straight to the service's own port (no router):%n", options.readRate));
        samples.forEach((read, sample) -> md.append("  - `").append(read).append("`: ").append(sample).append('\n'));
        md.append(String.format("- Writes, %d requests/s on an open-loop schedule, the three in turn: `DELETE %s?device_id=` of a phone"
                        + " of the fleet not used before (3 credentials, which credential-service then revokes), `POST %s` (a full"
                        + " name and a new email address, no ACS system), `POST %s` of a multi-phone-sync mobile key for a random"
                        + " writer identity (no phone, so nothing else is issued).%n",
                options.writeRate, ConsistencyBench.DEACTIVATE, ConsistencyBench.CREATE_IDENTITY, ConsistencyBench.CREATE_CREDENTIAL));
        md.append(String.format("- Phases: a %d s warm-up (reads, writes and the load together, not counted), then %d s each of reads"
                        + " alone and writes alone on the idle platform, then the same while the lost-phone load (the lost-phone"
                        + " benchmark's: a `DELETE /phones/deactivate` every 1/%d s, each phone timed to its last"
                        + " `acs_credential.deleted` on Kafka) runs, from %d s before the requests to %d s after. Before each phase the"
                        + " benchmark waits until processes not its own use less than %.2f cores, after it until every consumer"
                        + " group has caught up and credential-service's outbox is empty.%n%n",
                options.warmupSeconds, options.seconds, options.loadRate, ConsistencyBench.LOAD_MARGIN_SECONDS,
                ConsistencyBench.LOAD_MARGIN_SECONDS, options.maxOtherCores));

        appendPhase(md, idleReads);
        md.append(String.format("## The broker's own end-offset lookup, idle%n%n- A plain Kafka client (read_committed, as the"
                        + " services' fence) asks the platform's broker for the end offsets of every partition of the platform's"
                        + " topics, %d times a second for %d s, right after the idle reads: %s.%n- A read's fence must hear from the"
                        + " broker after the read arrived; the read runs while it waits, so the fence adds what the lookup takes"
                        + " beyond the read's own work. A fence p99 close to this p99 is the broker's round trip on this"
                        + " machine, not a wait of the fence's own.%n%n",
                options.readRate, options.seconds, summary(brokerLookup)));
        md.append("| ms | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n")
                .append(Report.percentileRow("end-offset lookup", brokerLookup.micros(), 1000.0)).append('\n');
        for (Phase phase : List.of(idleWrites, loadedReads, loadedWrites)) {
            appendPhase(md, phase);
        }
        md.append("Warm-up (not counted):\n\n```\n").append(String.join("\n", warmup.summaryLines())).append("\n```\n\n");
        md.append("Dead-letter topics of the topics credential-service consumes, at the end (records): ").append(deadLetters).append(".\n\n");

        appendCpuAndLog(md, phases(), "bench JVM (Kafka broker, router, Kafka consumers, HTTP clients)");
        return md.toString();
    }

    /** For the log and the report: the broker's lookup, p50 / p99 / max. */
    static String summary(EndOffsetRoundTrip.Result result) {
        Histogram h = result.micros();
        return String.format("end-offset lookup of %d partitions: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%,d lookups)",
                result.partitions(), p50(h), h.getValueAtPercentile(90) / 1000.0, p99(h), h.getMaxValue() / 1000.0, h.getTotalCount());
    }

    private static void appendPhase(StringBuilder md, Phase phase) {
        md.append("## ").append(Character.toUpperCase(phase.name().charAt(0))).append(phase.name().substring(1)).append("\n\n");
        phase.kinds().forEach((kind, s) -> md.append(String.format("- `%s`: %,d sent, %,d answered 200, %,d not%s%s; sent late"
                        + " against the schedule: p99 %.2f ms.%n", kind, s.sent, s.ok(), s.notOk(),
                s.notOk() == 0 ? "" : " " + s.statuses + " (first: `" + s.firstFailure.replace("`", "'") + "`)",
                s.withoutTiming == 0 ? "" : String.format(", %,d of them without a `Server-Timing` header", s.withoutTiming),
                p99(s.sendLag))));
        if (phase.load() != null) {
            md.append("- The lost-phone load alongside: ").append(LostPhoneReport.summary(phase.load())).append(".\n");
        }
        md.append("\n| ms | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n");
        phase.kinds().forEach((kind, s) -> {
            md.append(Report.percentileRow("`" + kind + "`: fence", s.fence, 1000.0));
            md.append(Report.percentileRow("`" + kind + "`: publication", s.publication, 1000.0));
            md.append(Report.percentileRow("`" + kind + "`: whole request", s.latency, 1000.0));
            md.append(Report.percentileRow("`" + kind + "`: whole request less both waits", s.rest, 1000.0));
        });
        md.append('\n');
    }

    private List<Monitor.PhaseStats> phases() {
        return List.of(idleReads.stats(), idleWrites.stats(), loadedReads.stats(), loadedWrites.stats());
    }

    /** "p50 / p99" of one kind's histogram in a phase, in bold for the figure a table is about. */
    private static String pair(Phase phase, String kind, Function<ServerTimingProbe.Stats, Histogram> histogram, boolean bold) {
        ServerTimingProbe.Stats s = phase.kinds().get(kind);
        if (s == null) {
            return "?";
        }
        Histogram h = histogram.apply(s);
        String text = String.format("%.2f / %.2f", p50(h), p99(h));
        return bold ? "**" + text + "**" : text;
    }

    private static double p50(Histogram h) {
        return h.getValueAtPercentile(50) / 1000.0;
    }

    private static double p99(Histogram h) {
        return LostPhoneReport.p99(h);
    }
}
