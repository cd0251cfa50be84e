package com.lockstep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * What the benchmarks share around their measurements: waiting for a quiet machine (other sessions'
 * builds and tests start and stop at any time), and writing the day's result file.
 */
final class QuietMachine {

    private QuietMachine() {
    }

    /**
     * Writes a run's report as {@code <name>-<date>.md} (a second run on the same day gets {@code -2},
     * and so on) and as {@code <name>-latest.md}; returns the dated file.
     */
    static Path writeResults(Path directory, String name, String markdown) throws IOException {
        Files.createDirectories(directory);
        String date = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
        Path file = directory.resolve(name + "-" + date + ".md");
        for (int n = 2; Files.exists(file); n++) {
            file = directory.resolve(name + "-" + date + "-" + n + ".md");
        }
        Files.writeString(file, markdown);
        Files.copy(file, directory.resolve(name + "-latest.md"), StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Waits until the 1-minute load average is below {@code maxLoad}, or {@code maxSeconds} are up. */
    static Report.Quiet waitForLoad(double maxLoad, String before, int maxSeconds, Consumer<String> say)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxSeconds * 1_000_000_000L;
        long lastSaid = 0;
        while (true) {
            double load = Proc.loadAverage()[0];
            long waited = (System.nanoTime() - start) / 1_000_000_000L;
            if (load < maxLoad) {
                if (waited > 0) {
                    say.accept(String.format("Load average %.2f is below %.2f after %d s", load, maxLoad, waited));
                }
                return new Report.Quiet(true, waited, Proc.loadAverageText());
            }
            if (System.nanoTime() > deadline) {
                say.accept(String.format("Load average still %.2f (limit %.2f) after %d s: going on anyway", load, maxLoad, waited));
                return new Report.Quiet(false, waited, Proc.loadAverageText());
            }
            if (waited - lastSaid >= 30 || waited == 0 && lastSaid == 0) {
                say.accept(String.format("Waiting for the 1-minute load average (%.2f) to fall below %.2f before %s (up to %d s)",
                        load, maxLoad, before, maxSeconds));
                lastSaid = Math.max(waited, 1);
            }
            Thread.sleep(2_000);
        }
    }

    /**
     * Waits until the processes that are not the benchmark's use less than {@code maxOtherCores}
     * (measured over 5 s), at most {@code maxSeconds}: the load average cannot tell them from the
     * benchmark's own load.
     */
    static void waitForOtherCpu(Monitor monitor, double maxOtherCores, int maxSeconds, String before, Consumer<String> say)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        long start = System.nanoTime();
        while (true) {
            Monitor.Phase probe = monitor.begin("probe");
            Thread.sleep(5_000);
            Monitor.PhaseStats stats = monitor.end(probe);
            double others = stats.cores().getOrDefault(Monitor.NOT_OURS, 0.0);
            long waited = (System.nanoTime() - start) / 1_000_000_000L;
            if (others < maxOtherCores) {
                if (waited > 10) {
                    say.accept(String.format("Other processes now use %.2f cores: going on with %s after %d s", others, before, waited));
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                say.accept(String.format("Other processes still use %.2f cores after %d s: going on with %s anyway", others, waited, before));
                return;
            }
            say.accept(String.format("Other processes use %.2f cores (%s): waiting before %s (up to %d s)", others,
                    stats.busiestOthers().isEmpty() ? "short-lived" : String.join("; ", stats.busiestOthers()),
                    before, maxSeconds));
        }
    }
}
