package com.lockstep.bench;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the reports of the benchmarks that run the whole platform ({@link LostPhoneReport},
 * {@link ConsistencyReport}) share: the run's header, the platform's paragraph, the CPU section
 * and the log. {@link LostPhonePlatform#run} fills the fields it knows.
 */
abstract class FleetReport {

    ZonedDateTime started;
    String revision;
    Report.Quiet quietBeforeStart;
    Report.Quiet quietBeforeMeasuring;
    Duration platformStart;
    String collector;
    String serviceCommand;
    List<String> log = List.of();

    /** The whole report, in Markdown. */
    abstract String markdown();

    /** The figures against their targets, printed at the end of the run. */
    abstract String summaryTable();

    /** The title with the start time, the command and commit, and that everything shared the machine. */
    void appendTitle(StringBuilder md, String title, String command) {
        md.append("# ").append(title).append(", ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append("\n\n");
        md.append("Recorded by `").append(command).append("` at commit ").append(revision)
                .append(". All figures are from one run on the machine below: the whole platform (four services, PostgreSQL,"
                        + " one Kafka broker, the registry) and the load generator share its cores (see `bench/README.md`).\n\n");
    }

    /** The set-up's first item: the platform, its start, and how a service runs. */
    void appendPlatform(StringBuilder md, Collection<String> services) {
        md.append(String.format("- Platform: `LocalPlatform` (deploy/local) with %s, embedded PostgreSQL, an in-JVM Kafka broker and"
                + " Apicurio Registry; started in %.1f s (data wiped first). Each service runs as (credential-service's command; the"
                + " others differ only in their ports, database and jar; garbage collector %s):%n%n  ```%n  %s%n  ```%n",
                String.join(", ", services), platformStart.toMillis() / 1000.0, collector, serviceCommand));
    }

    /** The last sections: each process's CPU and credential-service's collections in each measured run, and the log. */
    void appendCpuAndLog(StringBuilder md, List<Monitor.PhaseStats> phases, String benchJvm) {
        md.append("## Where the CPU went\n\n");
        md.append("Average cores busy during each measured run, from `/proc/<pid>/stat` (1.00 = one core all the time; the machine has ")
                .append(Machine.processors()).append(").\n\n");
        Set<String> labels = new LinkedHashSet<>();
        phases.forEach(stats -> labels.addAll(stats.cores().keySet()));
        Report.appendCpuAndGc(md, phases, labels, label -> label.equals(Monitor.BENCH_JVM) ? benchJvm : label,
                LostPhoneBench.CREDENTIAL_SERVICE, collector);
        md.append("## Log\n\n```\n").append(String.join("\n", log)).append("\n```\n");
    }
}
