package com.lockstep.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep-local [run] [--port N] [--data-dir DIR] [--clean] [--replicas N]}: the whole platform until Ctrl-C.
 * {@code lockstep-local admin ...}: the operator's API of a running platform.
 */
@Command(name = "lockstep-local", mixinStandardHelpOptions = true,
        description = "Runs the whole Lockstep platform on this machine, or calls its admin API.",
        subcommands = {Main.Run.class, Main.Admin.class})
public final class Main {

    static {
        // Before anything touches java.util.logging: JUL (Vert.x) and SLF4J (Kafka, zonky) both
        // go to JBoss LogManager, configured by logging.properties.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        // `run` is the default command: no arguments, or options only.
        if (arguments.isEmpty() || (arguments.get(0).startsWith("-") && !isHelpOrVersion(arguments.get(0)))) {
            arguments.add(0, "run");
        }
        int exitCode = new CommandLine(new Main()).execute(arguments.toArray(String[]::new));
        System.exit(exitCode);
    }

    private static boolean isHelpOrVersion(String argument) {
        return List.of("-h", "--help", "-V", "--version").contains(argument);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Starts PostgreSQL, Kafka, Apicurio Registry, every service and the router; Ctrl-C stops them all.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
                description = "The port of the API's base URL (0: a free port). Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Where all data and logs live. Default: <project root>/.lockstep/.")
        Path dataDirectory;

        @Option(names = "--clean", description = "Wipe the data directory first: a fresh platform.")
        boolean clean;

        @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
                description = "How many processes of each service, sharing its database; the router spreads"
                        + " requests over them. Default: ${DEFAULT-VALUE}.")
        int replicas;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (replicas < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--replicas must be at least 1, not " + replicas);
            }
            LocalPlatform.Options options = LocalPlatform.options().port(port).clean(clean).replicas(replicas);
            if (dataDirectory != null) {
                options.dataDirectory(dataDirectory);
            }
            LocalPlatform platform = new LocalPlatform(options);
            try {
                platform.start();
            } catch (RuntimeException e) {
                System.err.println();
                System.err.println("Lockstep did not start: " + e.getMessage());
                return 1;
            }
            String url = platform.baseUrl();
            String key = platform.sandboxApiKey();
            System.out.printf("""

                    Lockstep is running (started in %.1f s).

                      Base URL:         %s
                      Sandbox API key:  %s
                      Data and logs:    %s
                      Kafka:            %s
                      Schema registry:  %s

                      curl -H "Authorization: Bearer %s" %s/workspaces/get

                      SDKs: SEAM_ENDPOINT=%s SEAM_API_KEY=%s

                    Press Ctrl-C to stop.
                    %n""", platform.startDuration().toMillis() / 1000.0, url, key, platform.dataDirectory(),
                    platform.kafkaBootstrapServers(), platform.registryUrl(), key, url, url, key);
            System.out.flush();
            // The platform's shutdown hook stops everything on Ctrl-C (SIGINT) or SIGTERM.
            new CountDownLatch(1).await();
            return 0;
        }
    }

    @Command(name = "admin", mixinStandardHelpOptions = true,
            description = "Calls the admin API of a running platform.",
            subcommands = {CreateWorkspace.class, CreateApiKey.class, RevokeApiKey.class, ReplayProjections.class})
    static final class Admin implements Runnable {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing command: create-workspace, create-api-key, revoke-api-key or replay-projections");
        }
    }

    /** Options every admin command takes. */
    static final class Target {

        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "The platform's base URL. Default: ${DEFAULT-VALUE}.")
        String url;

        @Option(names = "--admin-token", paramLabel = "TOKEN",
                description = "Default: $LOCKSTEP_ADMIN_TOKEN, else the local development token.")
        String adminToken;

        AdminClient client() {
            return new AdminClient(url, adminToken != null ? adminToken : LocalPlatform.defaultAdminToken());
        }
    }

    abstract static class AdminCommand implements Callable<Integer> {

        @CommandLine.Mixin
        Target target;

        abstract JsonNode call(AdminClient admin) throws Exception;

        @Override
        public Integer call() throws Exception {
            try {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(call(target.client())));
                return 0;
            } catch (AdminClient.AdminException e) {
                System.err.println(e.getMessage());
                return 1;
            } catch (java.net.ConnectException e) {
                System.err.println("No platform answers at " + target.url + " (is it running? see --url)");
                return 1;
            }
        }
    }

    @Command(name = "create-workspace", mixinStandardHelpOptions = true,
            description = "Creates a workspace and its first API key; prints both (the key is shown only now).")
    static final class CreateWorkspace extends AdminCommand {

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--company-name", paramLabel = "NAME", description = "Default: the workspace's name.")
        String companyName;

        @Option(names = "--production", description = "A production workspace (default: a sandbox workspace).")
        boolean production;

        @Override
        JsonNode call(AdminClient admin) throws Exception {
            return admin.createWorkspace(name, companyName, !production);
        }
    }

    @Command(name = "create-api-key", mixinStandardHelpOptions = true,
            description = "Creates another API key for a workspace; prints it (the key is shown only now).")
    static final class CreateApiKey extends AdminCommand {

        @Option(names = "--workspace-id", required = true, paramLabel = "ID")
        String workspaceId;

        @Override
        JsonNode call(AdminClient admin) throws Exception {
            return admin.createApiKey(workspaceId);
        }
    }

    @Command(name = "revoke-api-key", mixinStandardHelpOptions = true,
            description = "Revokes an API key; every service refuses it within about a second.")
    static final class RevokeApiKey extends AdminCommand {

        @Option(names = "--api-key-id", required = true, paramLabel = "ID")
        String apiKeyId;

        @Override
        JsonNode call(AdminClient admin) throws Exception {
            return admin.revokeApiKey(apiKeyId);
        }
    }

    @Command(name = "replay-projections", mixinStandardHelpOptions = true,
            description = "Rebuilds identity-service's projections from the beginning of their topics; prints what was replayed.")
    static final class ReplayProjections extends AdminCommand {

        @Option(names = "--consumer-group", paramLabel = "GROUP",
                description = "Only this projection, e.g. identity-service.credentials. Default: all of them.")
        String consumerGroup;

        @Override
        JsonNode call(AdminClient admin) throws Exception {
            return admin.replayIdentityProjections(consumerGroup);
        }
    }
}
