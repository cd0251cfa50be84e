package com.lockstep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the benchmark's processes: samples every service's resident set size (VmRSS) every
 * 100 ms, and tells how much CPU each of the platform's processes, and the rest of the machine,
 * used during a phase (from {@code /proc}).
 */
final class Monitor implements AutoCloseable {

    static final String BENCH_JVM = "bench JVM (Kafka broker, router, Kafka consumer, HTTP client)";
    static final String POSTGRES = "PostgreSQL (all backends)";
    static final String APICURIO = "Apicurio Registry";
    /** wrk, running or ended (ended children of the bench JVM count here: during a phase, only wrk ends; jstat runs outside). */
    static final String WRK = "wrk";
    static final String OTHER_CHILDREN = "other child processes of the bench";
    static final String INTERRUPTS = "kernel: interrupts (e.g. loopback networking)";
    static final String NOT_OURS = "everything else on the machine (not this benchmark)";

    private static final long SAMPLE_MILLIS = 100;

    private final long self = ProcessHandle.current().pid();
    private final String serviceName;
    private final long servicePid;
    private final Map<Long, String> services;
    private final Path postmasterPidFile;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-rss-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong phaseMaxRssKb = new AtomicLong();
    /** Every service's highest VmRSS in the phase, by pid. */
    private final Map<Long, AtomicLong> phaseMaxRssKbByPid = new ConcurrentHashMap<>();
    private final AtomicLong overallMaxRssKb = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();

    /**
     * @param serviceName the measured service, whose RSS is sampled
     * @param services every service process: pid to name
     * @param postmasterPidFile PostgreSQL's {@code postmaster.pid}, whose first line is the postmaster's pid
     */
    Monitor(String serviceName, Map<Long, String> services, Path postmasterPidFile) {
        this.serviceName = serviceName;
        this.services = Map.copyOf(services);
        this.servicePid = services.entrySet().stream().filter(e -> e.getValue().equals(serviceName))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new IllegalArgumentException("No pid for " + serviceName));
        this.postmasterPidFile = postmasterPidFile;
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    long servicePid() {
        return servicePid;
    }

    String serviceName() {
        return serviceName;
    }

    /** The highest VmRSS sampled since this monitor started, in kB. */
    long overallMaxRssKb() {
        return overallMaxRssKb.get();
    }

    /** The service's VmHWM: the kernel's own peak RSS since the service started, in kB (0 if unknown). */
    long peakRssKb() {
        return Proc.peakRssKb(servicePid).orElse(0);
    }

    long currentRssKb() {
        return Proc.rssKb(servicePid).orElse(0);
    }

    Phase begin(String name) {
        // jstat first: it is a child process of this JVM, whose CPU time must not count in the phase.
        Gc gcBefore = gc();
        phaseMaxRssKb.set(currentRssKb());
        services.keySet().forEach(pid -> phaseMaxRssKbByPid.computeIfAbsent(pid, p -> new AtomicLong())
                .set(Proc.rssKb(pid).orElse(0)));
        Map<Long, Long> others = new HashMap<>();
        Map<String, Long> ours = cpuByLabel(others);
        return new Phase(name, System.nanoTime(), ours, Proc.machineCpuTicks(), Proc.loadAverageText(), gcBefore, others);
    }

    PhaseStats end(Phase phase) {
        long endNanos = System.nanoTime();
        Map<Long, Long> othersAfter = new HashMap<>();
        Map<String, Long> after = cpuByLabel(othersAfter);
        long[] machineAfter = Proc.machineCpuTicks();
        double seconds = (endNanos - phase.startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        double ours = 0;
        for (String label : order(after.keySet())) {
            long delta = Math.max(0, after.get(label) - phase.cpuBefore.getOrDefault(label, 0L));
            double used = delta / (double) Proc.CLOCK_TICKS / seconds;
            cores.put(label, used);
            ours += used;
        }
        double machine = (machineAfter[0] - phase.machineBefore[0]) / (double) Proc.CLOCK_TICKS / seconds;
        double steal = (machineAfter[2] - phase.machineBefore[2]) / (double) Proc.CLOCK_TICKS / seconds;
        double interrupts = (machineAfter[3] - phase.machineBefore[3]) / (double) Proc.CLOCK_TICKS / seconds;
        cores.put(INTERRUPTS, interrupts);
        cores.put(NOT_OURS, Math.max(0, machine - ours - steal - interrupts));
        // The busiest other processes (alive at the end; one that started during the phase counts from 0).
        List<String> busiestOthers = othersAfter.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - phase.othersBefore.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() / (double) Proc.CLOCK_TICKS / seconds >= 0.02)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(3)
                .map(e -> String.format("%.2f %s", e.getValue() / (double) Proc.CLOCK_TICKS / seconds, shortCommand(e.getKey())))
                .toList();
        Gc gcAfter = gc();
        Gc gcDuring = phase.gcBefore == null || gcAfter == null ? null : gcAfter.minus(phase.gcBefore);
        Map<String, Long> maxRssKbByService = new LinkedHashMap<>();
        services.forEach((pid, name) -> maxRssKbByService.put(name, phaseMaxRssKbByPid.getOrDefault(pid, new AtomicLong()).get()));
        return new PhaseStats(phase.name, seconds, phaseMaxRssKb.get(), maxRssKbByService, cores, machine, steal, phase.loadBefore,
                Proc.loadAverageText(), gcDuring, busiestOthers);
    }

    private static String shortCommand(long pid) {
        String command = Proc.commandLine(pid);
        if (command.isEmpty()) {
            String name = Proc.name(pid);
            command = name.isEmpty() ? "(pid " + pid + ", gone)" : "[" + name + "]";
        }
        // Arguments can be long class paths: keep the program and the tail.
        return command.length() <= 90 ? command : command.substring(0, 40) + " … " + command.substring(command.length() - 45);
    }

    /** The service's garbage collections so far, from {@code jstat -gc}; null if jstat cannot tell. */
    Gc gc() {
        String jstat = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
        List<String> lines = Machine.run(List.of(jstat, "-gc", Long.toString(servicePid)), null).lines()
                .filter(line -> !line.isBlank()).toList();
        // The header is the line with YGC (JAVA_TOOL_OPTIONS, for one, makes the JVM print a line first).
        int header = -1;
        for (int i = 0; i < lines.size() - 1 && header < 0; i++) {
            if (lines.get(i).contains("YGC")) {
                header = i;
            }
        }
        if (header < 0) {
            return null;
        }
        String[] names = lines.get(header).trim().split("\\s+");
        String[] values = lines.get(header + 1).trim().split("\\s+");
        Map<String, Double> byName = new HashMap<>();
        for (int i = 0; i < Math.min(names.length, values.length); i++) {
            try {
                byName.put(names[i], Double.parseDouble(values[i]));
            } catch (NumberFormatException notANumber) {
                // "-" for a column the collector does not have.
            }
        }
        if (!byName.containsKey("YGC") || !byName.containsKey("GCT")) {
            return null;
        }
        return new Gc(byName.get("YGC").longValue(), byName.getOrDefault("FGC", 0.0).longValue(),
                byName.getOrDefault("CGC", 0.0).longValue(), byName.get("GCT"),
                (byName.getOrDefault("EC", 0.0) + byName.getOrDefault("S0C", 0.0) + byName.getOrDefault("S1C", 0.0)
                        + byName.getOrDefault("OC", 0.0)) / 1024.0);
    }

    /** The service's collector, from {@code jcmd <pid> VM.flags}, e.g. {@code G1}. */
    String collector() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("-XX:\\+Use(\\w+)GC")
                .matcher(Machine.run(List.of(jcmd, Long.toString(servicePid), "VM.flags"), null));
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private void sample() {
        Proc.rssKb(servicePid).ifPresent(kb -> {
            phaseMaxRssKb.accumulateAndGet(kb, Math::max);
            overallMaxRssKb.accumulateAndGet(kb, Math::max);
            samples.incrementAndGet();
        });
        for (long pid : services.keySet()) {
            Proc.rssKb(pid).ifPresent(kb -> phaseMaxRssKbByPid.computeIfAbsent(pid, p -> new AtomicLong()).accumulateAndGet(kb, Math::max));
        }
    }

    /** CPU ticks used so far by each of this benchmark's processes, grouped by label. */
    private Map<String, Long> cpuByLabel() {
        return cpuByLabel(null);
    }

    /** As {@link #cpuByLabel()}; also puts each other process's CPU ticks in {@code others}, if given. */
    private Map<String, Long> cpuByLabel(Map<Long, Long> others) {
        Map<Long, Long> parents = Proc.parents();
        long postmaster = postmasterPid();
        Map<Long, String> childLabels = new HashMap<>();
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (long pid : parents.keySet()) {
            String label = label(pid, parents, postmaster, childLabels);
            long used = Proc.cpuTicks(pid);
            if (label != null) {
                if (used >= 0) {
                    ticks.merge(label, used, Long::sum);
                }
            } else if (others != null && used > 0) {
                others.put(pid, used);
            }
        }
        // wrk has ended by the end of a phase: its CPU time is then in this JVM's reaped children's.
        long reaped = Proc.reapedChildrenCpuTicks(self);
        if (reaped >= 0) {
            ticks.merge(WRK, reaped, Long::sum);
        }
        return ticks;
    }

    /** Which of our processes pid belongs to, found by walking up its parents; null if none. */
    private String label(long pid, Map<Long, Long> parents, long postmaster, Map<Long, String> childLabels) {
        if (pid == self) {
            return BENCH_JVM;
        }
        long current = pid;
        long below = -1;
        for (int depth = 0; depth < 64 && current > 1; depth++) {
            if (current == postmaster) {
                return POSTGRES;
            }
            if (current == self) {
                long child = below;
                return childLabels.computeIfAbsent(child, this::labelOfChild);
            }
            below = current;
            Long parent = parents.get(current);
            if (parent == null) {
                return null;
            }
            current = parent;
        }
        return null;
    }

    /** Labels a direct child of the bench JVM. */
    private String labelOfChild(long child) {
        String service = services.get(child);
        if (service != null) {
            return service;
        }
        String command = Proc.commandLine(child);
        if (command.contains("apicurio")) {
            return APICURIO;
        }
        String program = command.isEmpty() ? "" : command.split(" ")[0];
        if (program.equals("wrk") || program.endsWith("/wrk")) {
            return WRK;
        }
        if (command.contains("postgres")) {
            return POSTGRES;
        }
        return OTHER_CHILDREN;
    }

    private long postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(postmasterPidFile);
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    /** The measured service first, then the other labels in a stable order. */
    private List<String> order(Iterable<String> labels) {
        List<String> preferred = new ArrayList<>(List.of(serviceName, POSTGRES, BENCH_JVM, WRK));
        preferred.addAll(services.values().stream().filter(name -> !name.equals(serviceName)).sorted().toList());
        preferred.add(APICURIO);
        preferred.add(OTHER_CHILDREN);
        List<String> present = new ArrayList<>();
        labels.forEach(present::add);
        List<String> ordered = new ArrayList<>();
        for (String label : preferred) {
            if (present.remove(label)) {
                ordered.add(label);
            }
        }
        ordered.addAll(present);
        return ordered;
    }

    record Phase(String name, long startNanos, Map<String, Long> cpuBefore, long[] machineBefore, String loadBefore, Gc gcBefore,
                 Map<Long, Long> othersBefore) {
    }

    /**
     * Garbage collections: counts, total time in seconds (pauses; for G1 the concurrent cycles' pauses
     * are in it too), and the heap's committed size in MiB at the end.
     */
    record Gc(long young, long full, long concurrent, double seconds, double heapCommittedMb) {

        Gc minus(Gc before) {
            return new Gc(young - before.young, full - before.full, concurrent - before.concurrent,
                    seconds - before.seconds, heapCommittedMb);
        }
    }

    /**
     * @param maxRssKbByService every service's highest VmRSS sampled during the phase, in kB
     * @param cores CPU used during the phase, in cores (1.0 = one core busy all the time), by label;
     *              the last entry is the rest of the machine
     * @param machineCores the whole machine's busy cores
     * @param stealCores of which stolen by the hypervisor
     * @param gc the service's garbage collections during the phase (null if unknown)
     * @param busiestOthers the other processes that used the most CPU ("cores command"), busiest first
     */
    record PhaseStats(String name, double seconds, long maxRssKb, Map<String, Long> maxRssKbByService, Map<String, Double> cores, double machineCores,
                      double stealCores, String loadBefore, String loadAfter, Gc gc, List<String> busiestOthers) {
    }
}
