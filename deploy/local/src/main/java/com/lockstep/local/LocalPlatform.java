package com.lockstep.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.lockstep.schemas.registry.SchemaRegistrar;
import com.lockstep.testkit.ApicurioServer;
import com.lockstep.testkit.KafkaServer;
import com.lockstep.testkit.LocalServer;
import com.lockstep.testkit.PostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on this machine: PostgreSQL (one database per service), a Kafka broker,
 * Apicurio Registry with every schema registered, each service as one or more child processes (its
 * replicas, sharing its database), and a router that serves the whole API on one base URL and
 * spreads each service's requests over its replicas. Data lives in one directory, so a restart
 * keeps it.
 *
 * <pre>{@code
 * try (LocalPlatform platform = new LocalPlatform(LocalPlatform.options().port(0).dataDirectory(dir).clean(true)).start()) {
 *     // platform.baseUrl(), platform.sandboxApiKey(), platform.kill("phone-service"), ...
 * }
 * }</pre>
 *
 * <p>{@link #stop()} (or {@link #close()}) leaves no process behind; a JVM that exits normally
 * stops the platform in a shutdown hook, and the next start on the same data directory stops what
 * a killed JVM left running.
 */
public final class LocalPlatform implements AutoCloseable {

    public static final int DEFAULT_PORT = 8080;
    /** For local development only; set {@code LOCKSTEP_ADMIN_TOKEN} to use another. */
    public static final String DEFAULT_ADMIN_TOKEN = "lockstep-local-admin-token";
    public static final String ADMIN_TOKEN_ENV = "LOCKSTEP_ADMIN_TOKEN";
    /** The name of the workspace the platform creates on its first start. */
    public static final String SANDBOX_WORKSPACE_NAME = "Sandbox";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
    private static final int POSTGRES_MAX_CONNECTIONS = 300;
    private static final Duration KEY_ACCEPTANCE_TIMEOUT = Duration.ofSeconds(30);
    private static final String APICURIO_PROCESS = "apicurio-registry";

    private final Options options;
    private final Object state = new Object();
    private final Thread shutdownHook = new Thread(this::stop, "lockstep-local-shutdown");
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    // Guarded by state: what stop() must stop.
    private boolean started;
    private boolean stopping;
    private DataDirectory data;
    private PostgresServer postgres;
    private KafkaServer kafka;
    private ApicurioServer apicurio;
    /** Each service's replicas, replica i at index i. */
    private final Map<String, List<ServiceProcess>> services = new LinkedHashMap<>();
    private PathRouter router;
    private ProcessHandle postmaster;

    private volatile String baseUrl;
    private volatile String sandboxApiKey;
    private volatile String sandboxWorkspaceId;
    private volatile Duration startDuration;

    public LocalPlatform(Options options) {
        this.options = options.copy();
    }

    public static Options options() {
        return new Options();
    }

    /** {@code LOCKSTEP_ADMIN_TOKEN}, else {@link #DEFAULT_ADMIN_TOKEN}. */
    public static String defaultAdminToken() {
        String fromEnvironment = System.getenv(ADMIN_TOKEN_ENV);
        return fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_ADMIN_TOKEN : fromEnvironment;
    }

    /**
     * Starts everything and returns when the API serves and the sandbox API key is accepted by every
     * service. On failure, stops what it started and throws.
     */
    public LocalPlatform start() {
        synchronized (state) {
            if (started) {
                throw new IllegalStateException("The platform has been started already");
            }
            started = true;
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        long begin = System.nanoTime();
        try {
            doStart();
        } catch (Exception e) {
            boolean interrupted = isStopping();
            stop();
            if (interrupted) {
                throw new IllegalStateException("The platform was stopped while it was starting", e);
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException("Could not start the platform: " + e.getMessage(), e);
        }
        startDuration = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("Lockstep is up on {} ({} s)", baseUrl, String.format("%.1f", startDuration.toMillis() / 1000.0));
        return this;
    }

    private void doStart() throws Exception {
        Path projectRoot = options.projectRoot != null ? options.projectRoot : ProjectRoot.find();
        List<ServiceSpec> selected = options.selectedServices();
        Map<ServiceSpec, Path> runJars = new LinkedHashMap<>();
        for (ServiceSpec service : selected) {
            Path runJar = projectRoot.resolve(service.moduleDirectory()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(runJar)) {
                throw new IllegalStateException(service.name() + " is not built (" + runJar + " is missing):"
                        + " run ./mvnw -DskipTests install in " + projectRoot);
            }
            runJars.put(service, runJar);
        }
        Path dataDirectory = options.dataDirectory != null ? options.dataDirectory : projectRoot.resolve(".lockstep");
        if (options.port != 0 && !FreePorts.isFree(options.port)) {
            // Checked first, not after half a minute of starting servers (the router starts last).
            throw new IllegalStateException("Port " + options.port + " on " + LocalServer.HOST
                    + " is in use (another Lockstep?); choose another port (--port, 0 for a free one)");
        }

        DataDirectory opened = DataDirectory.open(dataDirectory, options.clean);
        register(() -> data = opened);
        LOG.info("Starting PostgreSQL, Kafka and Apicurio Registry (data in {})", opened.root());
        PostgresServer postgresServer = register(() -> postgres = withoutOwnShutdownHook(
                new PostgresServer(opened.postgres(), null, 0)));
        KafkaServer kafkaServer = register(() -> kafka = withoutOwnShutdownHook(new KafkaServer(opened.kafka(),
                stablePort(opened, "kafka.port"), stablePort(opened, "kafka.controller-port"))));
        ApicurioServer registry = register(() -> apicurio = withoutOwnShutdownHook(
                new ApicurioServer(opened.apicurio(), ApicurioServer.Storage.FILE, 0)));
        inParallel(List.of(
                task("postgres", () -> {
                    postgresServer.start();
                    ensureMaxConnections(postgresServer);
                    findPostmaster(opened).ifPresent(process -> register(() -> postmaster = process));
                    for (ServiceSpec service : selected) {
                        postgresServer.createDatabase(service.database());
                    }
                }),
                task("kafka", kafkaServer::start),
                task("apicurio", () -> {
                    registry.start();
                    recordApicurioProcess(opened);
                    SchemaRegistrar.registerAll(registry.url());
                })));
        LOG.info("Infrastructure up: PostgreSQL on {}, Kafka on {}, Apicurio Registry on {}",
                postgresServer.port(), kafkaServer.bootstrapServers(), registry.url());

        Map<ServiceSpec, List<ServiceProcess>> replicasOf = new LinkedHashMap<>();
        for (Map.Entry<ServiceSpec, Path> entry : runJars.entrySet()) {
            ServiceSpec service = entry.getKey();
            List<ServiceProcess> replicas = new ArrayList<>();
            for (int replica = 0; replica < options.replicas; replica++) {
                int port = FreePorts.pick();
                List<String> properties = new ArrayList<>(List.of(
                        "quarkus.http.port=" + port,
                        "quarkus.http.host=" + LocalServer.HOST,
                        // Every replica uses the service's one database.
                        "quarkus.datasource.jdbc.url=" + postgresServer.jdbcUrl(service.database()),
                        "quarkus.datasource.username=" + postgresServer.username(),
                        "quarkus.datasource.password=" + postgresServer.password(),
                        "lockstep.kafka.bootstrap-servers=" + kafkaServer.bootstrapServers(),
                        "lockstep.registry.url=" + registry.url(),
                        // Each replica a static member of its own name, the same across restarts: a
                        // replica restarted after a SIGKILL takes its partitions back at once.
                        "lockstep.kafka.instance-id=" + service.name() + "-" + replica));
                options.serviceProperties.forEach((key, value) -> properties.add(key + "=" + value));
                // The token goes in the environment (MicroProfile Config reads LOCKSTEP_ADMIN_TOKEN as
                // lockstep.admin-token), where other users cannot read it in the process list.
                replicas.add(new ServiceProcess(service, replica, entry.getValue(), port, properties,
                        Map.of(ADMIN_TOKEN_ENV, options.adminToken), options.serviceMaxHeap, opened, options.serviceStartTimeout));
            }
            List<ServiceProcess> fixed = List.copyOf(replicas);
            register(() -> services.put(service.name(), fixed));
            replicasOf.put(service, fixed);
        }
        // Replica 0 of every service first, then replica 1 of every service, and so on: replica 0
        // runs the database migrations alone, and no more services boot at once than with one
        // replica (on two cores, booting JVMs slow PostgreSQL's new connections, which the
        // services wait only 1 s for).
        for (int replica = 0; replica < options.replicas; replica++) {
            List<ServiceProcess> starting = new ArrayList<>();
            for (List<ServiceProcess> replicas : replicasOf.values()) {
                starting.add(replicas.get(replica));
            }
            LOG.info("Starting {}", String.join(", ", starting.stream().map(ServiceProcess::name).toList()));
            inParallel(starting.stream().map(process -> task(process.name(), process::start)).toList());
        }

        PathRouter pathRouter = new PathRouter(options.port);
        replicasOf.forEach((service, replicas) -> pathRouter.route(service, replicas.stream().map(ServiceProcess::port).toList()));
        register(() -> router = pathRouter);
        pathRouter.start();
        baseUrl = pathRouter.baseUrl();

        if (services.containsKey(Services.IDENTITY)) {
            ensureSandboxWorkspace(opened);
            if (services.containsKey(Services.DEVICE_GATEWAY)) {
                // Idempotent: the first start gives the sandbox workspace its devices, later starts find them.
                admin().provisionSandbox(sandboxWorkspaceId);
            }
        }
    }

    public String baseUrl() {
        requireStarted(baseUrl, "baseUrl");
        return baseUrl;
    }

    /** The API key of the sandbox workspace, which every service accepts. */
    public String sandboxApiKey() {
        requireStarted(sandboxApiKey, "sandboxApiKey (identity-service must be one of the services)");
        return sandboxApiKey;
    }

    public String sandboxWorkspaceId() {
        requireStarted(sandboxWorkspaceId, "sandboxWorkspaceId (identity-service must be one of the services)");
        return sandboxWorkspaceId;
    }

    public String adminToken() {
        return options.adminToken;
    }

    public AdminClient admin() {
        return new AdminClient(baseUrl(), options.adminToken);
    }

    /** How long {@link #start()} took. */
    public Duration startDuration() {
        return startDuration;
    }

    public Path dataDirectory() {
        return requireServer(data).root();
    }

    public String kafkaBootstrapServers() {
        return requireServer(kafka).bootstrapServers();
    }

    public String registryUrl() {
        return requireServer(apicurio).url();
    }

    /** The JDBC URL of a service's database (user {@code postgres}, password {@code postgres}). */
    public String jdbcUrl(String service) {
        return requireServer(postgres).jdbcUrl(replica(service, 0).spec().database());
    }

    /** The services running (or killed), in start order. */
    public List<String> services() {
        synchronized (state) {
            return List.copyOf(services.keySet());
        }
    }

    /** How many replicas each service runs. */
    public int replicas() {
        return options.replicas;
    }

    /** Replica 0's own URL, bypassing the router: with one replica, the service's. */
    public String serviceUrl(String service) {
        return serviceUrl(service, 0);
    }

    /** A replica's own URL, bypassing the router. */
    public String serviceUrl(String service, int replica) {
        return url(replica(service, replica));
    }

    /** Each replica's own URL, replica i's at index i. */
    public List<String> serviceUrls(String service) {
        return replicas(service).stream().map(LocalPlatform::url).toList();
    }

    /** Replica 0's log: with one replica, the service's. */
    public Path serviceLog(String service) {
        return serviceLog(service, 0);
    }

    public Path serviceLog(String service, int replica) {
        return replica(service, replica).logFile();
    }

    /** Whether any of its replicas runs. */
    public boolean isRunning(String service) {
        return replicas(service).stream().anyMatch(ServiceProcess::isAlive);
    }

    public boolean isRunning(String service, int replica) {
        return replica(service, replica).isAlive();
    }

    /** Kills every replica of the service with SIGKILL, as in a crash; the router answers 503 for its paths until {@link #restart}. */
    public void kill(String service) {
        LOG.info("Killing {}", service);
        replicas(service).forEach(ServiceProcess::kill);
    }

    /**
     * Kills one replica with SIGKILL, as in a crash; the router sends the service's requests to its
     * other replicas until {@link #restart(String, int)}.
     */
    public void kill(String service, int replica) {
        ServiceProcess process = replica(service, replica);
        LOG.info("Killing {}", process.name());
        process.kill();
    }

    /**
     * Stops each replica of the service (gracefully if it runs) and starts it again on the same port,
     * one after the other, so that a running service goes on answering; returns when all are ready.
     */
    public void restart(String service) {
        LOG.info("Restarting {}", service);
        replicas(service).forEach(LocalPlatform::restart);
    }

    /** Stops one replica (gracefully if it runs) and starts it again on the same port; returns when it is ready. */
    public void restart(String service, int replica) {
        ServiceProcess process = replica(service, replica);
        LOG.info("Restarting {}", process.name());
        restart(process);
    }

    private static void restart(ServiceProcess process) {
        process.stop();
        try {
            process.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not restart " + process.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting " + process.name(), e);
        }
    }

    /**
     * Stops the Kafka broker (a controlled shutdown), as in a broker outage: the services' clients
     * retry until {@link #startKafka()}. Its ports and log are kept.
     */
    public void stopKafka() {
        KafkaServer server = requireServer(kafka);
        LOG.info("Stopping Kafka");
        server.stop();
    }

    /** Starts the Kafka broker again on the same ports with the same log; returns when it serves. */
    public void startKafka() {
        KafkaServer server = requireServer(kafka);
        requireNotStopping();
        LOG.info("Starting Kafka");
        server.start();
    }

    /** {@link #stopKafka()}, then {@link #startKafka()}. */
    public void restartKafka() {
        stopKafka();
        startKafka();
    }

    public boolean isKafkaRunning() {
        return requireServer(kafka).isRunning();
    }

    /**
     * Stops PostgreSQL (fast shutdown: every session is ended) and returns once the postmaster has
     * exited. Meanwhile the services answer {@code service_unavailable} (503) to what needs their
     * database, and their consumers and outbox relays retry. Its port and data are kept.
     */
    public void stopPostgres() {
        PostgresServer server = requireServer(postgres);
        Optional<ProcessHandle> process;
        synchronized (state) {
            process = Optional.ofNullable(postmaster);
        }
        LOG.info("Stopping PostgreSQL");
        server.stop();
        // zonky's stop returns before the postmaster has exited; the port is free only once it has.
        process.ifPresent(LocalPlatform::awaitExit);
    }

    /** Starts PostgreSQL again on the same port with the same data; returns when it accepts connections. */
    public void startPostgres() {
        PostgresServer server = requireServer(postgres);
        requireNotStopping();
        LOG.info("Starting PostgreSQL");
        server.start();
        try {
            Optional<ProcessHandle> process = findPostmaster(requireServer(data));
            synchronized (state) {
                postmaster = process.orElse(null);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL started, but its postmaster.pid could not be read", e);
        }
    }

    /** {@link #stopPostgres()}, then {@link #startPostgres()}. */
    public void restartPostgres() {
        stopPostgres();
        startPostgres();
    }

    public boolean isPostgresRunning() {
        return requireServer(postgres).isRunning();
    }

    /** Stops the router, the services, then PostgreSQL, Kafka and the registry. Idempotent. */
    public void stop() {
        PathRouter stoppingRouter;
        List<ServiceProcess> stoppingServices;
        List<LocalServer> stoppingServers;
        DataDirectory stoppingData;
        Optional<ProcessHandle> stoppingPostmaster;
        synchronized (state) {
            if (stopping) {
                return;
            }
            stopping = true;
            stoppingRouter = router;
            stoppingServices = services.values().stream().flatMap(List::stream).toList();
            stoppingServers = new ArrayList<>();
            for (LocalServer server : new LocalServer[] {apicurio, kafka, postgres}) {
                if (server != null) {
                    stoppingServers.add(server);
                }
            }
            stoppingData = data;
            stoppingPostmaster = Optional.ofNullable(postmaster);
        }
        if (stoppingData == null && stoppingServers.isEmpty()) {
            removeShutdownHook();
            return;
        }
        LOG.info("Stopping Lockstep");
        if (stoppingRouter != null) {
            stoppingRouter.close();
        }
        quietlyInParallel(stoppingServices.stream().map(process -> timed(process.name(), process::close)).toList());
        quietlyInParallel(stoppingServers.stream().map(server -> timed(server.getClass().getSimpleName(), server::close)).toList());
        // zonky's stop returns before the postmaster has exited: wait, so that nothing runs once stop() returns.
        stoppingPostmaster.ifPresent(LocalPlatform::awaitExit);
        if (stoppingData != null) {
            stoppingData.forgetProcess(APICURIO_PROCESS);
            stoppingData.close();
        }
        removeShutdownHook();
        LOG.info("Lockstep stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private boolean isStopping() {
        synchronized (state) {
            return stopping;
        }
    }

    private void requireNotStopping() {
        if (isStopping()) {
            throw new IllegalStateException("The platform is stopping");
        }
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook runs or will, and finds the platform stopped.
        }
    }

    /** Makes a component visible to stop(), unless stop() has begun. */
    private <T> T register(Supplier<T> assignment) {
        synchronized (state) {
            if (stopping) {
                throw new IllegalStateException("The platform is stopping");
            }
            return assignment.get();
        }
    }

    private List<ServiceProcess> replicas(String service) {
        synchronized (state) {
            List<ServiceProcess> replicas = services.get(service);
            if (replicas == null) {
                throw new IllegalArgumentException("No service " + service + " in this platform; it runs " + services.keySet());
            }
            return replicas;
        }
    }

    private ServiceProcess replica(String service, int replica) {
        List<ServiceProcess> replicas = replicas(service);
        if (replica < 0 || replica >= replicas.size()) {
            throw new IllegalArgumentException("No replica " + replica + " of " + service + "; it runs " + replicas.size());
        }
        return replicas.get(replica);
    }

    private static String url(ServiceProcess process) {
        return "http://" + LocalServer.HOST + ":" + process.port();
    }

    private static <T> T requireServer(T server) {
        if (server == null) {
            throw new IllegalStateException("The platform has not been started");
        }
        return server;
    }

    private static void requireStarted(String value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " is not available: the platform has not started");
        }
    }

    private static int stablePort(DataDirectory data, String name) {
        try {
            return data.stablePort(name);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read or write the ports file of " + data.root(), e);
        }
    }

    /** The services' connection pools together need more than PostgreSQL's default 100 connections. */
    private static void ensureMaxConnections(PostgresServer server) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(), server.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW max_connections")) {
            result.next();
            if (result.getInt(1) >= POSTGRES_MAX_CONNECTIONS) {
                return;
            }
            statement.execute("ALTER SYSTEM SET max_connections = " + POSTGRES_MAX_CONNECTIONS);
        }
        LOG.info("Restarting PostgreSQL once to raise max_connections to {}", POSTGRES_MAX_CONNECTIONS);
        server.restart();
    }

    /**
     * Each test-kit server stops itself in a shutdown hook of its own, and the JVM runs all hooks at
     * once: on Ctrl-C, Kafka and PostgreSQL would go away while the services are still shutting down.
     * The platform's hook stops everything in order instead.
     */
    private static <T extends LocalServer> T withoutOwnShutdownHook(T server) {
        server.unregisterShutdownHook();
        return server;
    }

    private static Optional<ProcessHandle> findPostmaster(DataDirectory data) throws IOException {
        Path pidFile = data.postgres().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Files.readAllLines(pidFile).stream().findFirst().map(String::trim).map(Long::parseLong).flatMap(ProcessHandle::of);
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("PostgreSQL (pid {}) did not exit within 15 s of its stop; killing it", process.pid());
            process.destroyForcibly();
        }
    }

    private static NamedTask timed(String name, Task task) {
        return task(name, () -> {
            long begin = System.nanoTime();
            task.run();
            long millis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
            if (millis > 3000) {
                LOG.info("Stopping {} took {} ms", name, millis);
            }
        });
    }

    /** Records the registry's process, so a later start can stop it if this JVM is killed. */
    private static void recordApicurioProcess(DataDirectory data) {
        ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(arguments -> String.join(" ", arguments)).orElse("")
                        .contains("apicurio-registry-app"))
                .findFirst()
                .ifPresent(child -> data.recordProcess(APICURIO_PROCESS, child));
    }

    /**
     * First start: creates the sandbox workspace and stores its API key. Later starts reuse the key
     * (or, if it has been revoked, create a new key for the same workspace). Then waits until every
     * service accepts the key.
     */
    private void ensureSandboxWorkspace(DataDirectory data) throws IOException, InterruptedException {
        AdminClient admin = new AdminClient(baseUrl, options.adminToken);
        ServiceSpec identity = Services.named(Services.IDENTITY).orElseThrow();
        Optional<String> storedKey = data.readText(data.sandboxApiKeyFile());
        Optional<String> storedWorkspace = data.readText(data.sandboxWorkspaceIdFile());
        String key = null;
        String workspaceId = storedWorkspace.orElse(null);
        if (storedKey.isPresent()) {
            // identity-service is ready, so its key directory has caught up: a 401 is final.
            int status = probe(baseUrl, identity.keyProbePath(), storedKey.get());
            if (status == 200) {
                key = storedKey.get();
            } else {
                LOG.warn("The stored sandbox API key ({}) is not accepted (HTTP {}); issuing a new one",
                        data.sandboxApiKeyFile(), status);
            }
        }
        if (key == null && workspaceId != null) {
            try {
                JsonNode created = admin.createApiKey(workspaceId);
                key = created.path("api_key").path("token").asText();
            } catch (AdminClient.AdminException e) {
                if (e.status() != 404) {
                    throw e;
                }
                workspaceId = null;
            }
        }
        if (key == null) {
            JsonNode created = admin.createWorkspace(SANDBOX_WORKSPACE_NAME, null, true);
            key = created.path("api_key").path("token").asText();
            workspaceId = created.path("workspace").path("workspace_id").asText();
            LOG.info("Created the sandbox workspace {}", workspaceId);
        }
        if (!key.equals(storedKey.orElse(null))) {
            data.writeText(data.sandboxApiKeyFile(), key);
        }
        if (workspaceId == null) {
            workspaceId = fetchWorkspaceId(identity, key);
        }
        if (!workspaceId.equals(storedWorkspace.orElse(null))) {
            data.writeText(data.sandboxWorkspaceIdFile(), workspaceId);
        }
        awaitKeyAccepted(key);
        sandboxApiKey = key;
        sandboxWorkspaceId = workspaceId;
    }

    private String fetchWorkspaceId(ServiceSpec identity, String key) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get(baseUrl, identity.keyProbePath(), key), HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("workspace").path("workspace_id").asText();
    }

    /**
     * A new key reaches each replica of each service through Kafka: waits until each answers its
     * probe with 200, asked directly, since the router would ask one replica or another.
     */
    private void awaitKeyAccepted(String key) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + KEY_ACCEPTANCE_TIMEOUT.toNanos();
        List<ServiceProcess> processes;
        synchronized (state) {
            processes = services.values().stream().flatMap(List::stream).toList();
        }
        for (ServiceProcess process : processes) {
            int status;
            while ((status = probe(url(process), process.spec().keyProbePath(), key)) != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(process.name() + " did not accept the sandbox API key within "
                            + KEY_ACCEPTANCE_TIMEOUT.toSeconds() + " s: GET " + process.spec().keyProbePath()
                            + " answered " + status + "; see " + process.logFile());
                }
                Thread.sleep(100);
            }
        }
    }

    private int probe(String origin, String path, String key) throws IOException, InterruptedException {
        return http.send(get(origin, path, key), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest get(String origin, String path, String key) {
        return HttpRequest.newBuilder(URI.create(origin + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build();
    }

    private interface Task {
        void run() throws Exception;
    }

    private record NamedTask(String name, Task task) {
    }

    private static NamedTask task(String name, Task task) {
        return new NamedTask(name, task);
    }

    /** Runs the tasks on threads of their own; throws, once all have ended, if any failed. */
    private static void inParallel(List<NamedTask> tasks) {
        List<String> failures = new ArrayList<>();
        Exception first = null;
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (NamedTask task : tasks) {
            futures.add(CompletableFuture.runAsync(() -> {
                try {
                    task.task().run();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, runnable -> {
                Thread thread = new Thread(runnable, "lockstep-local-" + task.name());
                thread.setDaemon(true);
                thread.start();
            }));
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() instanceof CompletionException nested ? nested.getCause() : e.getCause();
                failures.add(tasks.get(i).name() + ": " + describe(cause));
                if (first == null && cause instanceof Exception exception) {
                    first = exception;
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Could not start " + String.join("\n\n", failures), first);
        }
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null && cause != failure; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
            failure = cause;
        }
        return text.toString();
    }

    private static void quietlyInParallel(List<NamedTask> tasks) {
        try {
            inParallel(tasks);
        } catch (IllegalStateException e) {
            LOG.warn("While stopping: {}", e.getMessage().replaceFirst("^Could not start ", ""));
        }
    }

    /** What to run and where. */
    public static final class Options {

        private int port = DEFAULT_PORT;
        private Path dataDirectory;
        private Path projectRoot;
        private boolean clean;
        private List<String> services = Services.names();
        private String adminToken = defaultAdminToken();
        private String serviceMaxHeap = "192m";
        private Duration serviceStartTimeout = Duration.ofSeconds(90);
        private Map<String, String> serviceProperties = new LinkedHashMap<>();
        private int replicas = 1;

        private Options() {
        }

        /** The router's port, 0 for a free one; default 8080. */
        public Options port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /** Default {@code <project root>/.lockstep/}. */
        public Options dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory);
            return this;
        }

        /** Where the services' builds are; found from this class's location by default. */
        public Options projectRoot(Path projectRoot) {
            this.projectRoot = Objects.requireNonNull(projectRoot);
            return this;
        }

        /** Wipe the data directory first: a fresh platform. */
        public Options clean(boolean clean) {
            this.clean = clean;
            return this;
        }

        /** Which services to run (names from {@link Services}); default all. */
        public Options services(Collection<String> names) {
            for (String name : names) {
                if (Services.named(name).isEmpty()) {
                    throw new IllegalArgumentException("No service " + name + "; there are " + Services.names());
                }
            }
            this.services = List.copyOf(names);
            return this;
        }

        public Options services(String... names) {
            return services(List.of(names));
        }

        /** Default {@code LOCKSTEP_ADMIN_TOKEN}, else {@link #DEFAULT_ADMIN_TOKEN}. */
        public Options adminToken(String adminToken) {
            if (adminToken == null || adminToken.isBlank()) {
                throw new IllegalArgumentException("The admin token must not be blank");
            }
            this.adminToken = adminToken;
            return this;
        }

        /** Each service's {@code -Xmx}; default {@code 192m}. */
        public Options serviceMaxHeap(String maxHeap) {
            this.serviceMaxHeap = Objects.requireNonNull(maxHeap);
            return this;
        }

        /** How long a service may take to become ready; default 90 s. */
        public Options serviceStartTimeout(Duration timeout) {
            this.serviceStartTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How many replicas of each service to run, each a process of its own; default 1. */
        public Options replicas(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("A service needs at least one replica, not " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /** A system property for every service, e.g. a tuning knob for a benchmark. */
        public Options serviceProperty(String key, String value) {
            serviceProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        private List<ServiceSpec> selectedServices() {
            // In the table's order, whatever the order asked for.
            return Services.ALL.stream().filter(service -> services.contains(service.name())).toList();
        }

        private Options copy() {
            Options copy = new Options();
            copy.port = port;
            copy.dataDirectory = dataDirectory;
            copy.projectRoot = projectRoot;
            copy.clean = clean;
            copy.services = services;
            copy.adminToken = adminToken;
            copy.serviceMaxHeap = serviceMaxHeap;
            copy.serviceStartTimeout = serviceStartTimeout;
            copy.serviceProperties = new LinkedHashMap<>(serviceProperties);
            copy.replicas = replicas;
            return copy;
        }
    }
}
