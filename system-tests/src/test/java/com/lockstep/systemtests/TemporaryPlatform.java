package com.lockstep.systemtests;

import com.lockstep.local.LocalPlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** The whole platform on free ports for one test class, its data in a temporary folder that goes when it stops. */
final class TemporaryPlatform implements AutoCloseable {

    private final Path dataDirectory;
    private final LocalPlatform platform;

    private TemporaryPlatform(Path dataDirectory, LocalPlatform platform) {
        this.dataDirectory = dataDirectory;
        this.platform = platform;
    }

    /** Starts every service, or only {@code services} if given; the folder's name begins with {@code prefix}. */
    static TemporaryPlatform start(String prefix, String... services) throws IOException {
        return start(prefix, 1, services);
    }

    /** As {@link #start(String, String...)}, with {@code replicas} processes of each service behind the router. */
    static TemporaryPlatform start(String prefix, int replicas, String... services) throws IOException {
        LocalPlatform.Options options = LocalPlatform.options().replicas(replicas);
        if (services.length > 0) {
            options.services(services);
        }
        return start(prefix, options);
    }

    /** Every service, each given {@code serviceProperties} as system properties. */
    static TemporaryPlatform start(String prefix, Map<String, String> serviceProperties) throws IOException {
        LocalPlatform.Options options = LocalPlatform.options();
        serviceProperties.forEach(options::serviceProperty);
        return start(prefix, options);
    }

    private static TemporaryPlatform start(String prefix, LocalPlatform.Options options) throws IOException {
        Path dataDirectory = Files.createTempDirectory(prefix);
        options.port(0).dataDirectory(dataDirectory).clean(true);
        try {
            return new TemporaryPlatform(dataDirectory, new LocalPlatform(options).start());
        } catch (RuntimeException e) {
            deleteRecursively(dataDirectory);
            throw e;
        }
    }

    LocalPlatform platform() {
        return platform;
    }

    @Override
    public void close() throws IOException {
        try {
            platform.stop();
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
