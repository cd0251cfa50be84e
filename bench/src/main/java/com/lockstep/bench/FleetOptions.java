package com.lockstep.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The options of the benchmarks that start the whole platform and seed the lost-phone fleet
 * ({@link LostPhoneBench}, {@link ConsistencyBench}): where things are, how the fleet is seeded, how
 * long to wait for a quiet machine. Each benchmark's {@code Options} extends it with its own.
 */
abstract class FleetOptions {

    Path projectRoot = Path.of("").toAbsolutePath();
    Path resultsDirectory;
    Path dataDirectory;
    int phonesPerOwner = 10;
    int credentialsPerIdentity = 3;
    int seedConcurrency = 8;
    int seedTimeoutSeconds = 1800;
    double maxLoad = 1.0;
    int loadWaitSeconds = 900;
    int settleWaitSeconds = 180;
    double maxOtherCores = 0.1;
    int quietWaitSeconds = 300;
    String serviceMaxHeap;
    /** System properties for every service, e.g. a longer connection acquisition timeout on a crowded machine. */
    final Map<String, String> serviceProperties = new LinkedHashMap<>();
    String command;
    boolean help;

    FleetOptions(String mainClass) {
        this.command = "java -cp bench.jar com.lockstep.bench." + mainClass;
    }

    /**
     * The usage text: the shared options around the benchmark's own ({@code ownOptions}, lines of
     * the same layout).
     *
     * @param name the script's name ({@code bench/<name>.sh}) and its data folder's ({@code bench/target/<name>-platform})
     */
    static String usage(String mainClass, String name, String ownOptions) {
        return """
                Usage: java -cp bench.jar com.lockstep.bench.%1$s [options]
                       (normally run by bench/%2$s.sh)
                  --project-root DIR               the Lockstep checkout (default: the current directory)
                  --results-dir DIR                where the report goes (default: <root>/bench/results)
                  --data-dir DIR                   the platform's data, wiped first (default <root>/bench/target/%2$s-platform)
                """.formatted(mainClass, name) + ownOptions + """
                  --phones-per-owner N             phones per user identity (default 10)
                  --credentials-per-identity N     multi-phone-sync mobile keys per identity, so credentials per phone (default 3)
                  --seed-concurrency N             parallel requests while seeding (default 8)
                  --seed-timeout-seconds N         give up seeding (or settling) after N s (default 1800)
                  --max-load X                     wait for the 1-minute load average to fall below X (default 1.0)
                  --load-wait-seconds N            ... before starting the platform, at most N s (default 900)
                  --settle-wait-seconds N          ... after seeding and warm-up, before measuring, at most N s (default 180)
                  --max-other-cores X              before each measured run, wait until processes not of this benchmark
                                                   use less than X cores (default 0.1) ...
                  --quiet-wait-seconds N           ... at most N s each time (default 300)
                  --service-max-heap SIZE          each service's -Xmx, e.g. 256m (default: the platform's)
                  --service-property KEY=VALUE     a system property for every service (repeatable; default none), e.g.
                                                   quarkus.datasource.jdbc.acquisition-timeout=10S on a crowded machine
                  --command TEXT                   how the benchmark was invoked, for the report
                """;
    }

    /**
     * Reads {@code args}: {@code own} takes the benchmark's own options (and answers false for any
     * other name), this class the shared ones; an unknown name is an {@link IllegalArgumentException}.
     */
    void parse(String[] args, String name, BiPredicate<String, String> own) {
        help = CommandLine.parse(args, (option, value) -> {
            if (!own.test(option, value)) {
                accept(option, value);
            }
        });
        if (resultsDirectory == null) {
            resultsDirectory = projectRoot.resolve("bench/results");
        }
        if (dataDirectory == null) {
            dataDirectory = projectRoot.resolve("bench/target/" + name + "-platform");
        }
    }

    private void accept(String name, String value) {
        switch (name) {
        case "--project-root" -> projectRoot = Path.of(value).toAbsolutePath().normalize();
        case "--results-dir" -> resultsDirectory = Path.of(value).toAbsolutePath();
        case "--data-dir" -> dataDirectory = Path.of(value).toAbsolutePath();
        case "--phones-per-owner" -> phonesPerOwner = CommandLine.positive(name, value);
        case "--credentials-per-identity" -> credentialsPerIdentity = CommandLine.positive(name, value);
        case "--seed-concurrency" -> seedConcurrency = CommandLine.positive(name, value);
        case "--seed-timeout-seconds" -> seedTimeoutSeconds = CommandLine.positive(name, value);
        case "--max-load" -> maxLoad = Double.parseDouble(value);
        case "--load-wait-seconds" -> loadWaitSeconds = Integer.parseInt(value);
        case "--settle-wait-seconds" -> settleWaitSeconds = Integer.parseInt(value);
        case "--max-other-cores" -> maxOtherCores = Double.parseDouble(value);
        case "--quiet-wait-seconds" -> quietWaitSeconds = Integer.parseInt(value);
        case "--service-max-heap" -> serviceMaxHeap = value;
        case "--service-property" -> {
            int equals = value.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(name + " takes KEY=VALUE, not " + value);
            }
            serviceProperties.put(value.substring(0, equals), value.substring(equals + 1));
        }
        case "--command" -> command = value;
        default -> throw new IllegalArgumentException("Unknown option " + name);
        }
    }
}
