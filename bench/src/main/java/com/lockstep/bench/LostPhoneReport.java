package com.lockstep.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** The figures of one lost-phone run, and the Markdown that records them in {@code bench/results/}. */
final class LostPhoneReport extends FleetReport {

    private final LostPhoneBench.Options options;

    final Map<String, ServiceStart> firstStarts = new LinkedHashMap<>();
    String acsSystem;
    Duration seedTook;
    int owners;
    int phones;
    long liveCredentialsAfterSeed;
    /** Seeding requests answered 503 by a read fence that waited out its bound, and sent again. */
    long seedCatchingUpRetries;
    Map<String, Long> rssAfterSeedKb = Map.of();
    int partitions;
    KafkaRoundTrip.Result rawIdle;
    Monitor.PhaseStats rawIdleStats;
    KafkaRoundTrip.Result rawUnderLoad;
    KafkaRoundTrip.Result rawIdleAfter;
    final List<Step> steps = new ArrayList<>();
    Map<String, Long> deadLetters = Map.of();
    Map<String, Long> peakRssKb = Map.of();
    final Map<String, Restart> restarts = new LinkedHashMap<>();

    LostPhoneReport(LostPhoneBench.Options options) {
        this.options = options;
    }

    record ServiceStart(String quarkusStartedIn, long rssKb) {
    }

    record Restart(Duration launchedToReady, String quarkusStartedIn, long rssKb) {
    }

    record Step(int rate, RevocationLatency.Result result, Monitor.PhaseStats stats) {
    }

    // ---- Verdicts ----

    /** Every phone revoked (every DELETE answered 200, every credential's deletion read) and p99 under the target. */
    static boolean withinTarget(RevocationLatency.Result result) {
        return result.failed() == 0 && result.incomplete() == 0 && result.succeeded() == result.requested()
                && p99(result.sentToLastDeleted()) < LostPhoneBench.TARGET_P99_MS;
    }

    private Step first() {
        return steps.isEmpty() ? null : steps.get(0);
    }

    /** The highest rate whose run, and every run before it, stayed within the target; 0 if none. */
    int highestRate() {
        int highest = 0;
        for (Step step : steps) {
            if (!withinTarget(step.result)) {
                break;
            }
            highest = step.rate;
        }
        return highest;
    }

    boolean sweepEndedBelowTarget() {
        return !steps.isEmpty() && withinTarget(steps.get(steps.size() - 1).result);
    }

    double ratio() {
        if (first() == null || rawIdle == null || rawIdle.sendToRead().getTotalCount() == 0) {
            return Double.NaN;
        }
        return p99(first().result.sentToLastDeleted()) / p99(rawIdle.sendToRead());
    }

    boolean ratioMet() {
        return first() != null && withinTarget(first().result) && rawIdle.complete() && ratio() <= LostPhoneBench.TARGET_RATIO;
    }

    boolean rateMet() {
        return highestRate() >= LostPhoneBench.TARGET_RATE;
    }

    /** Every service's highest RSS sampled during the measured runs, in kB. */
    Map<String, Long> maxRssUnderLoadKb() {
        Map<String, Long> max = new LinkedHashMap<>();
        for (Step step : steps) {
            step.stats.maxRssKbByService().forEach((service, kb) -> max.merge(service, kb, Math::max));
        }
        return max;
    }

    boolean rssMet() {
        Map<String, Long> max = maxRssUnderLoadKb();
        return !max.isEmpty() && max.values().stream().allMatch(kb -> kb * 1024 < LostPhoneBench.TARGET_RSS_BYTES);
    }

    // ---- Text ----

    static String summary(RevocationLatency.Result result) {
        Histogram h = result.sentToLastDeleted();
        return String.format("deactivate sent -> last acs_credential.deleted read: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                        + " (%,d of %,d phones complete, %d failed, %d incomplete, %,d deletions read)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getTotalCount(),
                result.requested(), result.failed(), result.incomplete(), result.deletedEvents());
    }

    static String summary(KafkaRoundTrip.Result result) {
        Histogram h = result.sendToRead();
        return String.format("raw Kafka send -> read: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d of %,d read, %d failed)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getTotalCount(),
                result.sent(), result.failed());
    }

    @Override
    String summaryTable() {
        StringBuilder md = new StringBuilder();
        md.append("| figure | measured | target | |\n|---|---|---|---|\n");
        Step first = first();
        if (first != null) {
            Histogram h = first.result.sentToLastDeleted();
            md.append(String.format("| lost phone end to end at %d phones/s (3 credentials each): p50 / p99 / max | %.2f / **%.2f** / %.2f ms"
                            + " | p99 < %.0f ms | %s |%n", first.rate, ms(h.getValueAtPercentile(50)), p99(h), ms(h.getMaxValue()),
                    LostPhoneBench.TARGET_P99_MS, met(withinTarget(first.result))));
        }
        if (rawIdle != null) {
            Histogram h = rawIdle.sendToRead();
            md.append(String.format("| raw Kafka round trip, same broker, 100 records/s, platform idle: p50 / p99 / max | %.2f / **%.2f** / %.2f ms | | |%n",
                    ms(h.getValueAtPercentile(50)), p99(h), ms(h.getMaxValue())));
            md.append(String.format("| lost-phone p99 / raw Kafka p99 | **%.1f×** | ≤ %.0f× | %s |%n", ratio(), LostPhoneBench.TARGET_RATIO,
                    met(ratioMet())));
        }
        if (rawUnderLoad != null) {
            Histogram h = rawUnderLoad.sendToRead();
            md.append(String.format("| raw Kafka round trip alongside the %d phones/s run: p50 / p99 (diagnostic) | %.2f / %.2f ms (ratio %.1f×) | | |%n",
                    first.rate, ms(h.getValueAtPercentile(50)), p99(h), p99(first.result.sentToLastDeleted()) / p99(h)));
        }
        md.append(String.format("| highest rate with p99 < %.0f ms (rates tried: %s) | **%,d phones/s**%s | ≥ %,d phones/s | %s |%n",
                LostPhoneBench.TARGET_P99_MS, steps.stream().map(s -> Integer.toString(s.rate)).reduce((a, b) -> a + ", " + b).orElse("none"),
                highestRate(), sweepEndedBelowTarget() ? " (the highest tried; every rate met)" : "",
                LostPhoneBench.TARGET_RATE, met(rateMet())));
        Map<String, Long> rss = maxRssUnderLoadKb();
        md.append("| RSS under load, max sampled every 100 ms over every measured rate: ");
        md.append(String.join(", ", rss.keySet())).append(" | ");
        md.append(String.join(" / ", rss.values().stream().map(kb -> String.format("%.0f", kb * 1024 / 1e6)).toList()))
                .append(" MB (").append(String.join(" / ", rss.values().stream().map(LostPhoneBench::mb).toList())).append(" MiB)");
        md.append(" | each < 300 MB | ").append(met(rssMet())).append(" |\n");
        md.append("| start: Quarkus \"started in\", all four started together / each restarted alone (launched → ready) | ");
        List<String> starts = new ArrayList<>();
        for (String service : firstStarts.keySet()) {
            Restart restart = restarts.get(service);
            starts.add(service + " " + firstStarts.get(service).quarkusStartedIn() + " / "
                    + (restart == null ? "?" : restart.quarkusStartedIn() + String.format(" (%.2f s)", restart.launchedToReady().toMillis() / 1000.0)));
        }
        md.append(String.join("; ", starts)).append(" | none | |\n");
        return md.toString();
    }

    @Override
    String markdown() {
        StringBuilder md = new StringBuilder();
        appendTitle(md, "Lost-phone benchmark", options.command);
        md.append("## Figures\n\n").append(summaryTable()).append('\n');
        Report.appendDisturbed(md, phases());
        int met = (ratioMet() ? 1 : 0) + (rateMet() ? 1 : 0) + (rssMet() ? 1 : 0);
        md.append("Targets met: ").append(met).append(" of 3.\n\n");

        Report.appendMachine(md, options.maxLoad, quietBeforeStart, quietBeforeMeasuring, "start, seeding and warm-up");

        md.append("## Set-up\n\n");
        appendPlatform(md, firstStarts.keySet());
        md.append(String.format("- Seeding, %.0f s (not measured): %,d user identities through identity-service, each with an ACS user on"
                        + " the sandbox ACS system %s and %d multi-phone-sync mobile keys (credential-service's API); %d phones each through"
                        + " phone-service's `/phones/simulate/create_sandbox_phone` (%,d phones), to each of which credential-service"
                        + " issued a child of every key: %,d live credentials when seeding ended. %,d seeding requests were answered"
                        + " 503 by a read fence that had waited out its bound before the request ran (\"catching up with events\"),"
                        + " and were sent again.%n",
                seedTook.toMillis() / 1000.0, owners, acsSystem, options.credentialsPerIdentity, options.phonesPerOwner, phones,
                liveCredentialsAfterSeed, seedCatchingUpRetries));
        md.append(String.format("- Warm-up (not counted): %s deactivations/s for %d s each, then a raw round-trip run.%n",
                joined(options.warmupRates), options.warmupSeconds));
        md.append("- Lost phones: at each rate, one `DELETE /phones/deactivate?device_id=...` to phone-service's own port every 1/rate s"
                + " (open loop: whether or not earlier ones have returned), each phone used once, in random order. A Kafka consumer"
                + " assigned to all partitions of `lockstep.phone.events` and `lockstep.acs_credential.events` (no group, from the end)"
                + " polls from before the first DELETE. **The figure**: for each phone, from the moment its DELETE was sent to the moment"
                + " the last of its `acs_credential.deleted` (one per credential it held) was read. Between rates the benchmark waits"
                + " until every consumer group has caught up. The sweep stops at the first rate whose p99 reaches "
                + String.format("%.0f", LostPhoneBench.TARGET_P99_MS) + " ms or at which a phone is not fully revoked.\n");
        md.append(String.format("- Raw Kafka round trip: a plain `KafkaProducer` (%s; String keys, %d-byte values, no registry) sends to"
                        + " `%s` (%d partitions, the same as the platform's topics) on the same broker, 100 records/s on an open-loop"
                        + " schedule; a plain `KafkaConsumer` assigned to every partition and polling (as the lost-phone consumer) reads"
                        + " them. Each record is timed from `send()` to its read. Measured with the platform idle right before the 100/s"
                        + " run (the figure the ratio uses), alongside the 100/s run, and again idle after the sweep.%n",
                KafkaRoundTrip.PRODUCER_SETTINGS.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").sorted()
                        .reduce((a, b) -> a + ", " + b).orElse(""), KafkaRoundTrip.VALUE_BYTES, KafkaRoundTrip.TOPIC, partitions));
        md.append("- RSS: every service's `VmRSS` (`/proc/<pid>/status`) sampled every 100 ms during each measured run.\n\n");

        md.append("## 1. Raw Kafka round trip\n\n");
        md.append("| ms | p50 | p90 | p99 | p99.9 | max | read / sent |\n|---|---|---|---|---|---|---|\n");
        appendRaw(md, "**send → read, platform idle (the figure)**", rawIdle);
        appendRaw(md, "send → read, alongside the first lost-phone run", rawUnderLoad);
        appendRaw(md, "send → read, platform idle after the sweep", rawIdleAfter);
        if (rawIdle != null) {
            appendPercentiles(md, "send → broker's acknowledgement (`acks=all`), platform idle", rawIdle.sendToAck(), "");
        }
        md.append('\n');

        md.append("## 2. Lost phones at each rate\n\n");
        md.append("| rate (phones/s) | phones | deletions read | failed / incomplete | p50 | p90 | p99 | p99.9 | max | p99 from the DELETE's 200 | within target |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step step : steps) {
            RevocationLatency.Result r = step.result;
            Histogram h = r.sentToLastDeleted();
            md.append(String.format("| %,d | %,d | %,d | %d / %d | %.2f | %.2f | **%.2f** | %.2f | %.2f | %.2f | %s |%n",
                    step.rate, r.requested(), r.deletedEvents(), r.failed(), r.incomplete(),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), p99(h), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()), p99(r.responseToLastDeleted()), withinTarget(r) ? "yes" : "**no**"));
        }
        md.append("\nWhere the time goes, p50 / p99 (ms) at each rate:\n\n");
        md.append("| rate | DELETE sent → 200 | 200 → `phone.deactivated` read | `phone.deactivated` read → last deletion read"
                + " | `phone.deactivated` record → deletions' `occurred_at` (credential-service's consumer and transaction) | `occurred_at` → last"
                + " deletion's record (its outbox relay) | record → read here | DELETE sent late (schedule) |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Step step : steps) {
            RevocationLatency.Result r = step.result;
            md.append("| ").append(step.rate).append(" | ")
                    .append(pair(r.deleteLatency(), 1000)).append(" | ")
                    .append(pair(r.responseToPhoneEvent(), 1000)).append(" | ")
                    .append(pair(r.phoneEventToLastDeleted(), 1000)).append(" | ")
                    .append(pair(r.phoneRecordToRevokedMs(), 1)).append(" | ")
                    .append(pair(r.revokedToRecordMs(), 1)).append(" | ")
                    .append(pair(r.recordToConsumerMs(), 1)).append(" | ")
                    .append(pair(r.scheduleLag(), 1000)).append(" |\n");
        }
        md.append("\n(The last three from wall clocks at 1 ms resolution: record timestamps and `occurred_at`.)\n\n");
        md.append("Dead-letter topics of the topics credential-service consumes, at the end (records): ").append(deadLetters).append(".\n\n");

        md.append("## 3. Memory\n\n");
        md.append("Every service's RSS in MiB (and MB = 10^6 bytes for the target): after start, after seeding, the highest sampled during each measured run, and the kernel's peak (`VmHWM`) over the whole run.\n\n");
        md.append("| service | after start | after seeding |");
        steps.forEach(step -> md.append(' ').append(step.rate).append("/s |"));
        md.append(" peak (`VmHWM`, seeding included) | max under load |\n|---|---|---|");
        steps.forEach(step -> md.append("---|"));
        md.append("---|---|\n");
        Map<String, Long> underLoad = maxRssUnderLoadKb();
        for (String service : firstStarts.keySet()) {
            md.append("| ").append(service).append(" | ").append(LostPhoneBench.mb(firstStarts.get(service).rssKb())).append(" | ")
                    .append(LostPhoneBench.mb(rssAfterSeedKb.getOrDefault(service, 0L))).append(" |");
            for (Step step : steps) {
                md.append(' ').append(LostPhoneBench.mb(step.stats.maxRssKbByService().getOrDefault(service, 0L))).append(" |");
            }
            long peak = peakRssKb.getOrDefault(service, 0L);
            long load = underLoad.getOrDefault(service, 0L);
            md.append(' ').append(LostPhoneBench.mb(peak)).append(String.format(" (%.0f MB)", peak * 1024 / 1e6)).append(" | ")
                    .append(LostPhoneBench.mb(load)).append(String.format(" (**%.0f MB**)", load * 1024 / 1e6)).append(" |\n");
        }
        md.append('\n');

        md.append("## 4. Start times\n\n");
        md.append("| service | Quarkus \"started in\", the four started together with the platform | restarted alone on the idle platform:"
                + " launched → `/q/health/ready` | its Quarkus \"started in\" | RSS right after the restart (MiB) |\n|---|---|---|---|---|\n");
        for (String service : firstStarts.keySet()) {
            Restart restart = restarts.get(service);
            md.append("| ").append(service).append(" | ").append(firstStarts.get(service).quarkusStartedIn()).append(" | ")
                    .append(restart == null ? "not run" : String.format("%.2f s", restart.launchedToReady().toMillis() / 1000.0)).append(" | ")
                    .append(restart == null ? "" : restart.quarkusStartedIn()).append(" | ")
                    .append(restart == null ? "" : LostPhoneBench.mb(restart.rssKb())).append(" |\n");
        }
        md.append('\n');

        appendCpuAndLog(md, phases(), "bench JVM (Kafka broker, router, Kafka consumers and producer, HTTP client)");
        return md.toString();
    }

    /** The measured runs: the idle raw round trip, then each rate. */
    private List<Monitor.PhaseStats> phases() {
        List<Monitor.PhaseStats> phases = new ArrayList<>();
        if (rawIdleStats != null) {
            phases.add(rawIdleStats);
        }
        steps.forEach(step -> phases.add(step.stats));
        return phases;
    }

    private static void appendRaw(StringBuilder md, String name, KafkaRoundTrip.Result result) {
        if (result != null) {
            appendPercentiles(md, name, result.sendToRead(), String.format("%,d / %,d", result.sendToRead().getTotalCount(), result.sent()));
        }
    }

    private static void appendPercentiles(StringBuilder md, String name, Histogram h, String last) {
        md.append(String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", name, ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), last));
    }

    /** p50 / p99 of a histogram recorded in microseconds ({@code perMs} 1000) or milliseconds (1). */
    private static String pair(Histogram h, double perMs) {
        return String.format("%.2f / %.2f", h.getValueAtPercentile(50) / perMs, h.getValueAtPercentile(99) / perMs);
    }

    private static String joined(int[] values) {
        return String.join(", ", java.util.Arrays.stream(values).mapToObj(Integer::toString).toList());
    }

    private static String met(boolean met) {
        return met ? "met" : "**not met**";
    }

    static double p99(Histogram h) {
        return ms(h.getValueAtPercentile(99));
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }
}
