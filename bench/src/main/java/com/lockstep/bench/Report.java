package com.lockstep.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.HdrHistogram.Histogram;

/** The figures of one run, and the Markdown that records them in {@code bench/results/}. */
final class Report {

    private final PhoneServiceBench.Options options;

    ZonedDateTime started;
    String revision;
    String wrkVersion;
    Quiet quietBeforeStart;
    Quiet quietBeforeMeasuring;
    String loadBeforeMeasuring;
    Duration platformStart;
    List<String> services;
    String serviceUrl;
    String serviceStartedIn;
    long servicePid;
    String serviceCommand;
    long rssAfterStartKb;
    PhoneApi.Seed seed;
    PhoneApi.Response getProbe;
    PhoneApi.Response listProbe;
    Wrk.Result getWarmup;
    Wrk.Result get;
    Monitor.PhaseStats getStats;
    FixedRateLoad.Result fixed;
    Monitor.PhaseStats fixedStats;
    String collector;
    Wrk.Result listWarmup;
    Wrk.Result list;
    Monitor.PhaseStats listStats;
    int partitions;
    DeactivationLatency.Result deactivationWarmup;
    DeactivationLatency.Result deactivation;
    Monitor.PhaseStats deactivationStats;
    long overallMaxRssKb;
    long peakRssKb;
    List<String> log = List.of();

    Report(PhoneServiceBench.Options options) {
        this.options = options;
    }

    record Quiet(boolean reached, long waitedSeconds, String loadAverage) {
    }

    boolean getRpsMet() {
        return get.requestsPerSecond() >= PhoneServiceBench.TARGET_GET_RPS && get.errors() == 0;
    }

    /** p99 at saturation: wrk's closed loop at full speed. */
    boolean getP99AtSaturationMet() {
        return get.latencyMs("p99") < PhoneServiceBench.TARGET_GET_P99_MS;
    }

    /** p99 at the target's rate (fixed-rate run), the reading the target is judged on. */
    boolean getP99AtRateMet() {
        return fixed != null && fixed.failed() == 0 && fixed.non200() == 0
                && fixed.achievedRate() >= 0.99 * fixed.rate()
                && ms(fixed.latency().getValueAtPercentile(99)) < PhoneServiceBench.TARGET_GET_P99_MS;
    }

    boolean eventP99Met() {
        return deactivation.missingEvents() == 0 && deactivation.failed() == 0
                && ms(deactivation.responseToEvent().getValueAtPercentile(99)) < PhoneServiceBench.TARGET_EVENT_P99_MS;
    }

    /** The highest RSS sampled under the /phones/get load (closed loop and fixed rate). */
    long getLoadRssKb() {
        return Math.max(getStats.maxRssKb(), fixedStats == null ? 0 : fixedStats.maxRssKb());
    }

    /** 300 MB read as 300 × 10^6 bytes (met), or only as 300 MiB (borderline), or neither. */
    String rssVerdict() {
        double bytes = getLoadRssKb() * 1024.0;
        if (bytes < PhoneServiceBench.TARGET_RSS_MB * 1e6) {
            return "met";
        }
        if (bytes < PhoneServiceBench.TARGET_RSS_MB * 1024 * 1024) {
            return "**met only if MB means MiB**";
        }
        return "**not met**";
    }

    String fixedSummary() {
        Histogram h = fixed.latency();
        return String.format("fixed %d/s: achieved %,.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d non-200, %d failed",
                fixed.rate(), fixed.achievedRate(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()), fixed.non200(), fixed.failed());
    }

    String deactivationSummary() {
        Histogram h = deactivation.responseToEvent();
        return String.format("deactivate -> event: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d of %d matched, %d failed, %d missing)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                h.getTotalCount(), deactivation.requested(), deactivation.failed(), deactivation.missingEvents());
    }

    /** The figures against the targets, as a Markdown table. */
    String summaryTable() {
        Histogram event = deactivation.responseToEvent();
        StringBuilder md = new StringBuilder();
        md.append("| figure | measured | target | |\n|---|---|---|---|\n");
        md.append(String.format("| `/phones/get`, %d connections, closed loop: throughput | **%,.0f requests/s** | ≥ 5,000 requests/s | %s |%n",
                options.connections, get.requestsPerSecond(), met(getRpsMet())));
        md.append(String.format("| `/phones/get`, same run (at saturation): latency p50 / p99 | %.2f ms / **%.2f ms** | (p99 < 20 ms) | %s |%n",
                get.latencyMs("p50"), get.latencyMs("p99"), getP99AtSaturationMet() ? "(met)" : "(not met)"));
        if (fixed != null) {
            Histogram h = fixed.latency();
            md.append(String.format("| `/phones/get` at a fixed %,d requests/s, open loop, ≤ %d connections: latency p50 / p99 / max | %.2f ms / **%.2f ms** / %.2f ms | p99 < 20 ms | %s |%n",
                    fixed.rate(), options.connections, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                    ms(h.getMaxValue()), met(getP99AtRateMet())));
        }
        md.append(String.format("| `/phones/list` (%s), %d connections, closed loop: throughput | **%,.0f requests/s** | none | |%n",
                listDescription(), options.connections, list.requestsPerSecond()));
        md.append(String.format("| `/phones/list`, same run: latency p50 / p99 | %.2f ms / **%.2f ms** | none | |%n",
                list.latencyMs("p50"), list.latencyMs("p99")));
        md.append(String.format("| deactivate → `phone.deactivated` read from Kafka, %d/s: p50 / p99 / max | %.2f ms / **%.2f ms** / %.2f ms | p99 < 50 ms | %s |%n",
                deactivation.ratePerSecond(), ms(event.getValueAtPercentile(50)), ms(event.getValueAtPercentile(99)),
                ms(event.getMaxValue()), met(eventP99Met())));
        md.append(String.format("| phone-service RSS, max under the `/phones/get` load | **%s MiB** (%.0f MB) | < 300 MB | %s |%n",
                PhoneServiceBench.mb(getLoadRssKb()), getLoadRssKb() * 1024 / 1e6, rssVerdict()));
        return md.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# phone-service benchmark, ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append(" UTC\n\n");
        md.append("Recorded by `").append(options.command).append("` at commit ").append(revision)
                .append(". All figures are from one run on the machine below; the load generator, PostgreSQL, Kafka and the")
                .append(" other services share its cores with phone-service (see `bench/README.md`).\n\n");

        md.append("## Figures\n\n").append(summaryTable()).append('\n');
        appendDisturbed(md, phases());
        md.append("Targets met: ").append(countMet()).append(" of 4 (the p99 target judged at the fixed rate, i.e. while serving")
                .append(" 5,000 requests/s; the closed-loop run's p99 is at saturation, where every request queues, and is shown")
                .append(" in parentheses). wrk's percentiles are corrected by wrk for coordinated omission (see bench/README.md).\n\n");

        appendMachine(md, options.maxLoad, quietBeforeStart, quietBeforeMeasuring, "start and seeding", "| wrk | " + wrkVersion + " |");

        md.append("## Set-up\n\n");
        md.append("- Platform: `LocalPlatform` (deploy/local) with ").append(String.join(", ", services))
                .append(", embedded PostgreSQL, an in-JVM Kafka broker and Apicurio Registry; started in ")
                .append(String.format("%.1f s", platformStart.toMillis() / 1000.0)).append(" (data wiped first). ")
                .append("phone-service's own start (Quarkus \"started in\"): ").append(serviceStartedIn)
                .append("; RSS ").append(PhoneServiceBench.mb(rssAfterStartKb)).append(" MiB right after start; garbage collector ")
                .append(collector).append(".\n");
        md.append("- phone-service, pid ").append(servicePid).append(", hit directly on ").append(serviceUrl)
                .append(" (not through the router):\n\n  ```\n  ").append(serviceCommand).append("\n  ```\n");
        md.append(String.format("- Data: %,d sandbox phones, %d owners (user identities) × %d phones, created %d at a time in %.1f s.%n",
                seed.deviceIds().size(), seed.owners().size(), options.phonesPerOwner, 8, seed.took().toMillis() / 1000.0));
        md.append(String.format("- `/phones/get?device_id=<random one of the %,d phones>`: 200, %,d bytes of JSON (one phone).%n",
                seed.deviceIds().size(), getProbe.body().getBytes(StandardCharsets.UTF_8).length));
        md.append(String.format("- `/phones/list?limit=%d&owner_user_identity_id=<random one of the %d owners>`: %s, %,d bytes of JSON.%n",
                options.listLimit, seed.owners().size(), listDescription(), listProbe.body().getBytes(StandardCharsets.UTF_8).length));
        md.append(String.format("- wrk: %d threads, %d connections, closed loop, %d s warm-up then %d s measured, per endpoint.%n",
                options.threads, options.connections, options.warmupSeconds, options.durationSeconds));
        if (fixed != null) {
            md.append(String.format("- Fixed rate: `/phones/get` (random phone) at %,d requests/s for %d s after a %d s warm-up at that rate,"
                            + " from the benchmark JVM (Vert.x HTTP client, one event loop, at most %d connections); latency counted from each"
                            + " request's scheduled time.%n",
                    fixed.rate(), fixed.seconds(), options.fixedRateWarmupSeconds, options.connections));
        }
        md.append(String.format("- Deactivations: %d warm-up then %d measured, each at %d/s on an open-loop schedule"
                        + " (a DELETE every %.0f ms whether or not earlier ones have returned), in random order; a Kafka consumer"
                        + " assigned to all %d partitions of `lockstep.phone.events` polls every %d ms from before the first DELETE.%n",
                deactivationWarmup.requested(), deactivation.requested(), deactivation.ratePerSecond(), 1000.0 / deactivation.ratePerSecond(),
                partitions, DeactivationLatency.POLL_TIMEOUT.toMillis()));
        md.append("\nCommands (the sandbox API key shown as `$API_KEY`; ids files written by the benchmark):\n\n```\n");
        md.append(options.command).append('\n');
        for (Wrk.Result run : List.of(getWarmup, get, listWarmup, list)) {
            md.append(run.command()).append('\n');
        }
        md.append("```\n\n");

        md.append("## `/phones/get`\n\n").append(wrkDetails(get)).append('\n');
        if (fixed != null) {
            md.append("## `/phones/get` at a fixed ").append(String.format("%,d", fixed.rate())).append(" requests/s\n\n");
            md.append(String.format("%,d requests scheduled over %d s, achieved %,.0f requests/s: %,d answered 200, %d another status, %d failed.%n%n",
                    fixed.requests(), fixed.seconds(), fixed.achievedRate(), fixed.ok(), fixed.non200(), fixed.failed()));
            md.append("| ms | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n");
            md.append(percentileRow("**scheduled time → response (the figure)**", fixed.latency(), 1000.0));
            md.append(percentileRow("written on a connection → response", fixed.serviceTime(), 1000.0));
            md.append(percentileRow("handed to the client later than scheduled", fixed.sendLag(), 1000.0));
            md.append('\n');
        }
        md.append("## `/phones/list`\n\n").append(wrkDetails(list)).append('\n');

        md.append("## Deactivate → `phone.deactivated` on Kafka\n\n");
        md.append(String.format("%d DELETEs scheduled over %.1f s; %d answered 200, %d failed%s; %d events not seen; %d events read before their DELETE's response arrived (counted as 0 ms).%n%n",
                deactivation.requested(), deactivation.sendingSeconds(), deactivation.succeeded(), deactivation.failed(),
                deactivation.failureStatuses().isEmpty() ? "" : " " + deactivation.failureStatuses(),
                deactivation.missingEvents(), deactivation.eventBeforeResponse()));
        md.append("| ms | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n");
        md.append(percentileRow("**DELETE's 200 → event read (the figure)**", deactivation.responseToEvent(), 1000.0));
        md.append(percentileRow("DELETE sent → its 200", deactivation.deleteLatency(), 1000.0));
        md.append(percentileRow("`occurred_at` → Kafka record timestamp (outbox relay; wall clock, 1 ms resolution)", deactivation.occurredToRecordMs(), 1.0));
        md.append(percentileRow("Kafka record timestamp → read by the consumer (wall clock, 1 ms resolution)", deactivation.recordToConsumerMs(), 1.0));
        md.append(percentileRow("DELETE sent later than scheduled (open loop held if small)", deactivation.scheduleLag(), 1000.0));
        md.append(String.format("%nWarm-up run (not counted): %s.%n", warmupSummary()));
        if (deactivation.pollErrors() > 0) {
            md.append(String.format("%nThe consumer's poll failed %d times; last: `%s`.%n", deactivation.pollErrors(), deactivation.lastPollError()));
        }
        md.append('\n');

        md.append("## phone-service memory\n\n");
        md.append("| | RSS (MiB) |\n|---|---|\n");
        md.append("| right after start | ").append(PhoneServiceBench.mb(rssAfterStartKb)).append(" |\n");
        for (Monitor.PhaseStats stats : phases()) {
            md.append("| max sampled (every 100 ms) during ").append(stats.name()).append(" | ").append(PhoneServiceBench.mb(stats.maxRssKb())).append(" |\n");
        }
        md.append("| max sampled over the whole run | ").append(PhoneServiceBench.mb(overallMaxRssKb)).append(" |\n");
        md.append("| peak since the service started (VmHWM, includes seeding) | ").append(PhoneServiceBench.mb(peakRssKb)).append(" |\n\n");

        md.append("## Where the CPU went\n\n");
        md.append("Average cores busy during each measured phase, from `/proc/<pid>/stat` (1.00 = one core all the time; the machine has ")
                .append(Machine.processors()).append("):\n\n");
        List<Monitor.PhaseStats> phases = phases();
        Set<String> labels = new LinkedHashSet<>();
        phases.forEach(stats -> labels.addAll(stats.cores().keySet()));
        appendCpuAndGc(md, phases, labels, label -> label, "phone-service", collector);

        md.append("## Log\n\n```\n").append(String.join("\n", log)).append("\n```\n");
        return md.toString();
    }

    /** Warns of each phase during which processes that are not the benchmark's took a noticeable share of the CPU. */
    static void appendDisturbed(StringBuilder md, List<Monitor.PhaseStats> phases) {
        for (Monitor.PhaseStats stats : phases) {
            double others = stats.cores().getOrDefault(Monitor.NOT_OURS, 0.0);
            if (others >= 0.2) {
                md.append(String.format("**Disturbed:** during %s, processes that are not this benchmark's used %.2f cores"
                        + " (see \"Where the CPU went\"); its figures are pessimistic.%n%n", stats.name(), others));
            }
        }
    }

    /**
     * The "Machine" section every report has: the machine, the load averages before the run and
     * before the measurements ({@code measuredAfter}: what came between), {@code java -version};
     * {@code extraRows} are further "| name | value |" rows of its table.
     */
    static void appendMachine(StringBuilder md, double maxLoad, Quiet beforeStart, Quiet beforeMeasuring, String measuredAfter,
                              String... extraRows) {
        md.append("## Machine\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| processors (`nproc`) | ").append(Machine.processors()).append(" (").append(Machine.cpuModel()).append(") |\n");
        md.append("| memory | ").append(Machine.memory()).append(" |\n");
        md.append("| kernel | ").append(Machine.kernel()).append(" |\n");
        for (String row : extraRows) {
            md.append(row).append('\n');
        }
        md.append("| load average (1, 5, 15 min) before the run | ").append(quiet(beforeStart, maxLoad)).append(" |\n");
        md.append("| load average before the measurements (after ").append(measuredAfter).append(") | ")
                .append(quiet(beforeMeasuring, maxLoad)).append(" |\n");
        md.append("\n`java -version` (the benchmark and every service run on it):\n\n```\n").append(Machine.javaVersion()).append("\n```\n\n");
    }

    private static String quiet(Quiet quiet, double maxLoad) {
        if (quiet == null) {
            return "?";
        }
        return quiet.loadAverage() + (quiet.reached() ? "" : " (had not fallen below " + maxLoad + " in " + quiet.waitedSeconds() + " s)");
    }

    /**
     * The cores each process used in each phase, the busiest other processes, and the service's
     * garbage collections: the tables every benchmark report ends with.
     */
    static void appendCpuAndGc(StringBuilder md, List<Monitor.PhaseStats> phases, Set<String> labels,
                               java.util.function.UnaryOperator<String> labelName, String service, String collector) {
        md.append("| process |");
        phases.forEach(stats -> md.append(' ').append(stats.name()).append(" |"));
        md.append("\n|---|");
        phases.forEach(stats -> md.append("---|"));
        md.append('\n');
        for (String label : labels) {
            md.append("| ").append(labelName.apply(label)).append(" |");
            for (Monitor.PhaseStats stats : phases) {
                md.append(String.format(" %.2f |", stats.cores().getOrDefault(label, 0.0)));
            }
            md.append('\n');
        }
        md.append("| stolen by the hypervisor |");
        phases.forEach(stats -> md.append(String.format(" %.2f |", stats.stealCores())));
        md.append("\n| **whole machine** |");
        phases.forEach(stats -> md.append(String.format(" **%.2f** |", stats.machineCores())));
        md.append("\n| load average at start → end of phase |");
        phases.forEach(stats -> md.append(' ').append(stats.loadBefore()).append(" → ").append(stats.loadAfter()).append(" |"));
        md.append("\n\n");
        for (Monitor.PhaseStats stats : phases) {
            if (!stats.busiestOthers().isEmpty()) {
                md.append("Busiest other processes during ").append(stats.name()).append(" (cores, command): ")
                        .append(String.join("; ", stats.busiestOthers().stream().map(o -> "`" + o.replace("`", "'") + "`").toList()))
                        .append(".\n\n");
            }
        }
        md.append(service).append("'s garbage collections (").append(collector).append(", `jstat -gc`) during each phase:\n\n");
        md.append("| | ");
        phases.forEach(stats -> md.append(stats.name()).append(" | "));
        md.append("\n|---|");
        phases.forEach(stats -> md.append("---|"));
        md.append("\n| young / full / concurrent collections |");
        phases.forEach(stats -> md.append(stats.gc() == null ? " ? |"
                : String.format(" %d / %d / %d |", stats.gc().young(), stats.gc().full(), stats.gc().concurrent())));
        md.append("\n| time in GC pauses (share of the phase) |");
        phases.forEach(stats -> md.append(stats.gc() == null ? " ? |"
                : String.format(" %.0f ms (%.1f %%) |", stats.gc().seconds() * 1000, stats.gc().seconds() * 100 / stats.seconds())));
        md.append("\n| heap committed at the end |");
        phases.forEach(stats -> md.append(stats.gc() == null ? " ? |" : String.format(" %.0f MiB |", stats.gc().heapCommittedMb())));
        md.append("\n\n");
    }

    private List<Monitor.PhaseStats> phases() {
        List<Monitor.PhaseStats> phases = new java.util.ArrayList<>();
        phases.add(getStats);
        if (fixedStats != null) {
            phases.add(fixedStats);
        }
        phases.add(listStats);
        phases.add(deactivationStats);
        return phases;
    }

    private String listDescription() {
        int phones = listProbe.json().path("phones").size();
        boolean next = listProbe.json().path("pagination").path("has_next_page").asBoolean();
        return phones + " phones per page, has_next_page " + next;
    }

    private String wrkDetails(Wrk.Result result) {
        StringBuilder md = new StringBuilder();
        md.append(String.format("%,d requests in %.1f s: **%,.0f requests/s**; latency mean %.2f ms, p50 %.2f, p75 %.2f, p90 %.2f, **p99 %.2f**, p99.9 %.2f, max %.2f ms;"
                        + " %.0f bytes per response (headers included); errors: %d non-2xx, %d connect, %d read, %d write, %d timeout.%n%n",
                result.requests(), result.seconds(), result.requestsPerSecond(), result.latencyMs("mean"), result.latencyMs("p50"),
                result.latencyMs("p75"), result.latencyMs("p90"), result.latencyMs("p99"), result.latencyMs("p999"), result.latencyMs("max"),
                result.bytesPerResponse(), result.non2xx(), result.json().path("errors_connect").asLong(),
                result.json().path("errors_read").asLong(), result.json().path("errors_write").asLong(),
                result.json().path("errors_timeout").asLong()));
        md.append("wrk's output:\n\n```\n").append(result.output().strip()).append("\n```\n");
        return md.toString();
    }

    private String warmupSummary() {
        Histogram h = deactivationWarmup.responseToEvent();
        return String.format("%d deactivations, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d failed, %d missing",
                deactivationWarmup.requested(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                deactivationWarmup.failed(), deactivationWarmup.missingEvents());
    }

    static String percentileRow(String name, Histogram h, double perMs) {
        return String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name,
                h.getValueAtPercentile(50) / perMs, h.getValueAtPercentile(90) / perMs, h.getValueAtPercentile(99) / perMs,
                h.getValueAtPercentile(99.9) / perMs, h.getMaxValue() / perMs);
    }

    private int countMet() {
        int met = 0;
        for (boolean target : new boolean[] {getRpsMet(), getP99AtRateMet(), eventP99Met(), rssVerdict().equals("met")}) {
            met += target ? 1 : 0;
        }
        return met;
    }

    static String met(boolean met) {
        return met ? "met" : "**not met**";
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }
}
