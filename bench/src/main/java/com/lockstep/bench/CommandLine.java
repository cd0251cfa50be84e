package com.lockstep.bench;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** What every benchmark's command line and {@code main} do the same way. */
final class CommandLine {

    private CommandLine() {
    }

    /** A benchmark's run with its options; returns the report it wrote. */
    interface Benchmark<O> {
        Path run(O options) throws Exception;
    }

    /**
     * Parses the options (a mistake prints it and the usage, and exits 2), answers {@code --help},
     * runs the benchmark and says where its report went. A run stopped by Ctrl-C or SIGTERM (the
     * shutdown hooks stop the platform) writes nothing and says so.
     */
    static <O> void main(String[] args, String usage, Function<String[], O> parse, Predicate<O> help, Benchmark<O> benchmark)
            throws Exception {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        if (help.test(options)) {
            System.out.println(usage);
            return;
        }
        Path report;
        try {
            report = benchmark.run(options);
        } catch (Exception e) {
            if (isShuttingDown()) {
                System.err.println("Stopped before the end (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                        + "); no results written.");
                return;
            }
            throw e;
        }
        System.out.println();
        System.out.println("Results written to " + report);
        System.exit(0);
    }

    private static boolean isShuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }

    /**
     * Calls {@code option} with each {@code --name value} pair, in order; returns true if
     * {@code --help} or {@code -h} was among the arguments.
     */
    static boolean parse(String[] args, BiConsumer<String, String> option) {
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + name);
            }
            option.accept(name, args[++i]);
        }
        return help;
    }

    static int positive(String name, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a whole number, not " + value);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }

    static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " takes true or false");
        };
    }
}
