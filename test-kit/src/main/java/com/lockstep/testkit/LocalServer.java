package com.lockstep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A real server run on this machine for tests or the local platform: started, stopped and
 * restarted on the same ports and data, and closed for good at the latest when the JVM exits
 * normally (a shutdown hook), so no child process outlives it.
 */
public abstract class LocalServer implements AutoCloseable {

    /** Every server binds the loopback interface only. */
    public static final String HOST = "127.0.0.1";

    private final String name;
    private final Path temporaryDirectory;
    private final Thread shutdownHook;
    private boolean running;
    private boolean closed;

    /**
     * @param temporaryDirectory a directory this server created for its data, deleted by
     *     {@link #close()}; {@code null} when the caller chose the directories
     */
    protected LocalServer(String name, Path temporaryDirectory) {
        this.name = name;
        this.temporaryDirectory = temporaryDirectory;
        this.shutdownHook = new Thread(this::close, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * For an owner that stops its servers in order in a shutdown hook of its own: the JVM runs all
     * hooks at once, so this server's hook would otherwise take it down while its clients still
     * shut down.
     */
    public final synchronized void unregisterShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // Too late: the hook is about to run and will close this server.
        }
    }

    /** Starts the server unless it runs already; returns when it serves. */
    public final synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (running) {
            return;
        }
        try {
            startServer();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start " + name, e);
        }
        running = true;
    }

    /** Stops the server, keeping its ports and data for a later {@link #start()}. */
    public final synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            stopServer();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop " + name, e);
        }
    }

    /** Stops and starts again on the same ports with the same data. */
    public final synchronized void restart() {
        stop();
        start();
    }

    public final synchronized boolean isRunning() {
        return running;
    }

    /** Stops the server for good and deletes the temporary directory it created, if any. */
    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (temporaryDirectory != null) {
                deleteRecursively(temporaryDirectory);
            }
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shutdownInProgress) {
                    // The JVM is exiting: the hook is running or about to, and will find us closed.
                }
            }
        }
    }

    /** Starts the server and returns when it serves. */
    protected abstract void startServer() throws Exception;

    /** Stops the server and returns when it is gone. */
    protected abstract void stopServer() throws Exception;

    static Path createTemporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }
}
