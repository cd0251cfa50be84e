package com.lockstep.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The Apicurio Registry server distribution ({@code io.apicurio:apicurio-registry-app:tar.gz:all}),
 * which the test-kit build brings into the local Maven repository, unpacked once into
 * {@code ~/.cache/lockstep/apicurio-registry-<version>/}.
 */
final class ApicurioDistribution {

    static final String VERSION = loadVersion();

    private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern LOCAL_REPOSITORY_SETTING = Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>");

    private ApicurioDistribution() {
    }

    /** The runnable jar of the unpacked distribution, unpacking it first if no JVM has yet. */
    static synchronized Path runnerJar() {
        Path directory = cacheDirectory().resolve("apicurio-registry-" + VERSION);
        Path runnerJar = directory.resolve("apicurio-registry-app-" + VERSION + "-runner.jar");
        try {
            Files.createDirectories(directory.getParent());
            // A file lock, so that test JVMs running in parallel unpack it only once.
            try (FileChannel lockFile = FileChannel.open(directory.resolveSibling(directory.getFileName() + ".lock"),
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                if (!Files.exists(directory)) {
                    unpack(archive(), directory);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack Apicurio Registry " + VERSION + " into " + directory, e);
        }
        if (!Files.isRegularFile(runnerJar)) {
            throw new IllegalStateException(runnerJar + " is missing: delete " + directory + " to unpack it again");
        }
        return runnerJar;
    }

    private static Path archive() {
        Path archive = localRepository().resolve("io/apicurio/apicurio-registry-app/" + VERSION
                + "/apicurio-registry-app-" + VERSION + "-all.tar.gz");
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException(archive + " is missing: building test-kit downloads it"
                    + " (./mvnw -pl test-kit install)");
        }
        return archive;
    }

    /** Unpacks into a fresh sibling directory first, so a crash never leaves a half-unpacked one behind. */
    private static void unpack(Path archive, Path directory) throws IOException {
        Path unpacking = Files.createTempDirectory(directory.getParent(), directory.getFileName() + ".unpacking-");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = unpacking.resolve(entry.getName()).normalize();
                if (!target.startsWith(unpacking)) {
                    throw new IOException("Archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                }
            }
            Files.move(unpacking, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LocalServer.deleteRecursively(unpacking);
            throw e;
        }
    }

    /** {@code -Dmaven.repo.local}, else {@code <localRepository>} of {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}. */
    static Path localRepository() {
        String userHome = System.getProperty("user.home");
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path settings = Path.of(userHome, ".m2", "settings.xml");
        if (Files.isRegularFile(settings)) {
            try {
                String withoutComments = XML_COMMENT.matcher(Files.readString(settings)).replaceAll("");
                Matcher setting = LOCAL_REPOSITORY_SETTING.matcher(withoutComments);
                if (setting.find()) {
                    return Path.of(setting.group(1).replace("${user.home}", userHome));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + settings, e);
            }
        }
        return Path.of(userHome, ".m2", "repository");
    }

    private static Path cacheDirectory() {
        String xdgCacheHome = System.getenv("XDG_CACHE_HOME");
        Path cacheHome = xdgCacheHome == null || xdgCacheHome.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache")
                : Path.of(xdgCacheHome);
        return cacheHome.resolve("lockstep");
    }

    private static String loadVersion() {
        Properties versions = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions.getProperty("apicurio-registry");
    }
}
