package com.lockstep.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every path the platform's services serve, read from their route classes ({@code
 * Endpoint.read("/phones/get", ...)} and the like), so that a test covering "every endpoint"
 * notices a new one. Paths built at run time (the replay endpoints under {@code /admin/<service>/})
 * are not found this way.
 */
final class PlatformEndpoints {

    /** The service modules, as in deploy/local's Services. */
    static final List<String> SERVICE_MODULES = List.of("identity-service", "phone-service", "device-gateway", "credential-service");

    private static final Pattern ENDPOINT = Pattern.compile("Endpoint\\.(read|post|patch|put|delete|admin)\\(\\s*\"(/[^\"]+)\"");

    /** One path: its kind (Endpoint's factory method), the methods it takes, and the module serving it. */
    record Route(String path, String kind, String module) {

        boolean admin() {
            return kind.equals("admin");
        }

        /** The methods it answers: POST, and the one the SDK uses. */
        Set<String> methods() {
            return switch (kind) {
                case "read" -> Set.of("POST", "GET");
                case "patch" -> Set.of("POST", "PATCH");
                case "put" -> Set.of("POST", "PUT");
                case "delete" -> Set.of("POST", "DELETE");
                default -> Set.of("POST");
            };
        }

        /** The method the official SDK sends. */
        String sdkMethod() {
            return switch (kind) {
                case "read" -> "GET";
                case "patch" -> "PATCH";
                case "put" -> "PUT";
                case "delete" -> "DELETE";
                default -> "POST";
            };
        }
    }

    private PlatformEndpoints() {
    }

    static Path projectRoot() {
        String configured = System.getProperty("lockstep.project-root");
        Path root = (configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("service-kit"))) {
            throw new IllegalStateException("Not the project root (no service-kit/): " + root + "; set -Dlockstep.project-root");
        }
        return root;
    }

    /**
     * The operator's replay endpoints, whose paths service-kit builds at run time: each service's
     * {@code /admin/<service>/consumer_groups/{list,replay}} and identity-service's
     * {@code /admin/identity_service/projections/{list,replay}}.
     */
    static List<Route> replayRoutes() {
        List<Route> routes = new ArrayList<>();
        for (String module : SERVICE_MODULES) {
            String prefix = "/admin/" + module.replace('-', '_') + "/consumer_groups";
            routes.add(new Route(prefix + "/list", "admin", module));
            routes.add(new Route(prefix + "/replay", "admin", module));
        }
        routes.add(new Route("/admin/identity_service/projections/list", "admin", "identity-service"));
        routes.add(new Route("/admin/identity_service/projections/replay", "admin", "identity-service"));
        return routes;
    }

    /** Every route of every service module, sorted by path. */
    static List<Route> discover(Path projectRoot) {
        List<Route> routes = new ArrayList<>();
        for (String module : SERVICE_MODULES) {
            Path sources = projectRoot.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher matcher = ENDPOINT.matcher(Files.readString(file));
                    while (matcher.find()) {
                        routes.add(new Route(matcher.group(2), matcher.group(1), module));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the routes of " + module, e);
            }
        }
        routes.sort(Comparator.comparing(Route::path));
        if (routes.size() < 30) {
            throw new IllegalStateException("Found only " + routes.size() + " routes under " + projectRoot + ": " + routes);
        }
        return routes;
    }
}
