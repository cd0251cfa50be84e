package com.lockstep.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's data directory: PostgreSQL's cluster, Kafka's log, the registry's database, the
 * services' logs, the sandbox API key and the ports that must stay the same across restarts.
 *
 * <p>One platform at a time uses it (a file lock, released by the OS even when the JVM is killed).
 * The processes the platform starts are recorded under {@code run/}, so that the next start stops
 * those a killed launcher left behind.
 */
final class DataDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    /** Marks a directory as ours: {@code --clean} wipes nothing else. */
    private static final String MARKER = ".lockstep-data";
    private static final String LOCK = ".lock";
    private static final Set<String> KEPT_BY_CLEAN = Set.of(MARKER, LOCK);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Locks the directory, stops what a killed platform left running on it, and wipes it if asked. */
    static DataDirectory open(Path directory, boolean clean) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        Files.createDirectories(root);
        if (!Files.exists(root.resolve(MARKER)) && !isEmpty(root)) {
            throw new IllegalStateException(root + " is not empty and is not a Lockstep data directory;"
                    + " choose another data directory (--data-dir)");
        }
        FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another Lockstep platform is running on " + root
                    + "; stop it first, or choose another data directory (--data-dir)");
        }
        DataDirectory data = new DataDirectory(root, channel, lock);
        try {
            data.stopLeftovers();
            if (clean) {
                LOG.info("Wiping {}", root);
                data.wipe();
            }
            Files.createDirectories(data.logs());
            Files.createDirectories(data.run());
            if (!Files.exists(root.resolve(MARKER))) {
                Files.writeString(root.resolve(MARKER), "Lockstep local platform data; --clean wipes it.\n");
            }
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
        return data;
    }

    Path root() {
        return root;
    }

    Path postgres() {
        return root.resolve("postgres");
    }

    Path kafka() {
        return root.resolve("kafka");
    }

    Path apicurio() {
        return root.resolve("apicurio");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path serviceLog(String service) {
        return logs().resolve(service + ".log");
    }

    Path sandboxApiKeyFile() {
        return root.resolve("sandbox-api-key");
    }

    Path sandboxWorkspaceIdFile() {
        return root.resolve("sandbox-workspace-id");
    }

    private Path run() {
        return root.resolve("run");
    }

    private Path portsFile() {
        return root.resolve("ports.properties");
    }

    /** A port kept across restarts, picking a free one the first time. */
    synchronized int stablePort(String name) throws IOException {
        Properties ports = new Properties();
        if (Files.exists(portsFile())) {
            try (InputStream in = Files.newInputStream(portsFile())) {
                ports.load(in);
            }
        }
        String port = ports.getProperty(name);
        if (port != null) {
            return Integer.parseInt(port.trim());
        }
        int picked = FreePorts.pick();
        ports.setProperty(name, String.valueOf(picked));
        writeAtomically(portsFile(), out -> ports.store(out, "Ports the local platform keeps across restarts"));
        return picked;
    }

    Optional<String> readText(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    void writeText(Path file, String text) throws IOException {
        writeAtomically(file, out -> out.write((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Records a process the platform started, so that the next start can stop it if this JVM dies without doing so. */
    void recordProcess(String name, ProcessHandle process) {
        try {
            writeText(run().resolve(name + ".pid"), process.pid() + " " + startMillis(process));
        } catch (IOException e) {
            LOG.warn("Could not record the process id of {}: {}", name, e.toString());
        }
    }

    void forgetProcess(String name) {
        try {
            Files.deleteIfExists(run().resolve(name + ".pid"));
        } catch (IOException e) {
            LOG.warn("Could not delete the process id file of {}: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("Could not release the lock on {}: {}", root, e.toString());
        }
    }

    /** Stops the processes recorded under {@code run/} and a postmaster left on our cluster, all at once. */
    private void stopLeftovers() throws IOException {
        Map<String, ProcessHandle> leftovers = new LinkedHashMap<>();
        if (Files.isDirectory(run())) {
            try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(run(), "*.pid")) {
                for (Path pidFile : pidFiles) {
                    List<String> fields = List.of(Files.readString(pidFile).trim().split("\\s+"));
                    if (fields.size() == 2) {
                        ProcessHandle.of(Long.parseLong(fields.get(0)))
                                .filter(process -> String.valueOf(startMillis(process)).equals(fields.get(1)))
                                .ifPresent(process -> leftovers.put(pidFile.getFileName().toString().replace(".pid", ""), process));
                    }
                    Files.delete(pidFile);
                }
            }
        }
        Path postmasterPid = postgres().resolve("postmaster.pid");
        if (Files.exists(postmasterPid)) {
            List<String> lines = Files.readAllLines(postmasterPid);
            if (!lines.isEmpty()) {
                ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                        .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false))
                        .ifPresent(process -> leftovers.put("postgres", process));
            }
        }
        if (leftovers.isEmpty()) {
            return;
        }
        leftovers.forEach((name, process) -> {
            LOG.warn("Stopping {} (pid {}), left running by an earlier platform", name, process.pid());
            process.destroy();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ProcessHandle process : leftovers.values()) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    private void wipe() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (!KEPT_BY_CLEAN.contains(entry.getFileName().toString())) {
                    deleteRecursively(entry);
                }
            }
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return !entries.iterator().hasNext();
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path file, Writer writer) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            writer.write(out);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }
}
