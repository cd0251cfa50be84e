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
 * Every path the platform's services serve, read from their JAX-RS resources ({@code @Path} on the
 * class and on each {@code @POST} method, {@code @SdkMethod} and {@code @AdminOnly}), so that a test
 * covering "every endpoint" notices a new one. service-kit's replay endpoints, whose path names the
 * service, are listed by {@link #replayRoutes}.
 */
final class PlatformEndpoints {

    /** The service modules, as in deploy/local's Services. */
    static final List<String> SERVICE_MODULES = List.of("identity-service", "phone-service", "device-gateway", "credential-service");

    /** The annotations in front of a public class or method, and which of the two it is. */
    private static final Pattern ANNOTATED = Pattern.compile("((?:@\\w+(?:\\([^)]*\\))?\\s*)+)public\\s+(class\\b|[\\w<>, ]+\\s+\\w+\\()");
    private static final Pattern PATH = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
    private static final Pattern SDK_METHOD = Pattern.compile("@SdkMethod\\(HttpMethod\\.(\\w+)\\)");

    /** One path: its kind (read, post, patch, put, delete or admin), the methods it takes, and the module serving it. */
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

    /** service-kit's replay endpoints, whose paths name the service: {@code /admin/<service>/consumer_groups/{list,replay}}. */
    static List<Route> replayRoutes() {
        List<Route> routes = new ArrayList<>();
        for (String module : SERVICE_MODULES) {
            String prefix = "/admin/" + module.replace('-', '_') + "/consumer_groups";
            routes.add(new Route(prefix + "/list", "admin", module));
            routes.add(new Route(prefix + "/replay", "admin", module));
        }
        return routes;
    }

    /** Every route of every service module, sorted by path. */
    static List<Route> discover(Path projectRoot) {
        List<Route> routes = new ArrayList<>();
        for (String module : SERVICE_MODULES) {
            Path sources = projectRoot.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    routes.addAll(resourceRoutes(Files.readString(file), module));
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

    private static List<Route> resourceRoutes(String source, String module) {
        List<Route> routes = new ArrayList<>();
        String classPath = null;
        boolean adminClass = false;
        Matcher annotated = ANNOTATED.matcher(source);
        while (annotated.find()) {
            String annotations = annotated.group(1);
            Matcher path = PATH.matcher(annotations);
            if (annotated.group(2).startsWith("class")) {
                classPath = path.find() ? path.group(1) : null;
                adminClass = annotations.contains("@AdminOnly");
            } else if (classPath != null && annotations.contains("@POST")) {
                String methodPath = path.find() ? path.group(1) : "";
                Matcher sdkMethod = SDK_METHOD.matcher(annotations);
                String kind = adminClass || annotations.contains("@AdminOnly") ? "admin"
                        : !sdkMethod.find() ? "post"
                        : switch (sdkMethod.group(1)) {
                            case "GET" -> "read";
                            case "DELETE" -> "delete";
                            case "PATCH" -> "patch";
                            case "PUT" -> "put";
                            default -> throw new IllegalStateException("Unknown @SdkMethod " + sdkMethod.group(1) + " in " + module);
                        };
                routes.add(new Route(classPath + methodPath, kind, module));
            }
        }
        return routes;
    }
}
