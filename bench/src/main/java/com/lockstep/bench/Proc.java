package com.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** What Linux's {@code /proc} tells about processes and the machine; nothing here throws for a process that has gone. */
final class Proc {

    /** Clock ticks per second of {@code /proc/<pid>/stat}'s utime and stime ({@code getconf CLK_TCK}). */
    static final long CLOCK_TICKS = clockTicks();

    private Proc() {
    }

    /** Resident set size now (VmRSS), in kB. */
    static OptionalLong rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Peak resident set size since the process started (VmHWM), in kB. */
    static OptionalLong peakRssKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** CPU time used so far (user + system), in clock ticks; -1 if the process has gone. */
    static long cpuTicks(long pid) {
        String[] fields = statFields(pid);
        if (fields == null || fields.length < 13) {
            return -1;
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU time used so far by the process's children that have ended and been waited for (cutime +
     * cstime), in clock ticks; -1 if the process has gone.
     */
    static long reapedChildrenCpuTicks(long pid) {
        String[] fields = statFields(pid);
        if (fields == null || fields.length < 15) {
            return -1;
        }
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    /** Every process's parent: pid to ppid. */
    static Map<Long, Long> parents() {
        Map<Long, Long> parents = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                String[] fields = statFields(pid);
                if (fields != null && fields.length > 1) {
                    parents.put(pid, Long.parseLong(fields[1]));
                }
            }
        } catch (IOException e) {
            // An empty map: no accounting rather than no benchmark.
        }
        return parents;
    }

    /** The process's command line, arguments separated by spaces; empty if it has gone. */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The whole machine's CPU time so far, in clock ticks: {busy, total, steal, irq + softirq}. Idle
     * and iowait are not busy; steal (time the hypervisor gave this machine's vCPUs to others) and
     * interrupt handling (no process's time: e.g. loopback networking) are.
     */
    static long[] machineCpuTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] fields = line.trim().split("\\s+");
                    long total = 0;
                    // user nice system idle iowait irq softirq steal (guest times are included in user/nice)
                    for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
                        total += Long.parseLong(fields[i]);
                    }
                    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                    long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
                    long interrupts = Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
                    return new long[] {total - idle, total, steal, interrupts};
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through.
        }
        return new long[] {0, 0, 0, 0};
    }

    /** The process's name ({@code /proc/<pid>/comm}), e.g. a kernel thread's; empty if it has gone. */
    static String name(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute load averages. */
    static double[] loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    static String loadAverageText() {
        double[] load = loadAverage();
        return String.format("%.2f %.2f %.2f", load[0], load[1], load[2]);
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may itself contain spaces and parentheses.
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static OptionalLong statusField(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return OptionalLong.of(Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone.
        }
        return OptionalLong.empty();
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            getconf.waitFor();
            return Long.parseLong(output);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
