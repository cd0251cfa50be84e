package com.lockstep.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.schemas.SchemaCatalog;

/**
 * Registers the schemas of this module in Apicurio Registry 3.x (REST API v3), under the
 * coordinates the serde looks up ({@link RegistryArtifact}), each with a compatibility rule.
 * Operators run it before deploying: producers never auto-register (see {@link SerdeConfig}).
 *
 * <p>Idempotent: the content registered is the generated class's schema text, and an unchanged
 * schema finds its existing version ({@code ifExists=FIND_OR_CREATE_VERSION}) instead of adding one.
 * A changed schema becomes a new version if the rule accepts it; otherwise registration fails with
 * {@link IncompatibleSchemaException}.
 */
public final class SchemaRegistrar {

    /**
     * FULL_TRANSITIVE, not only BACKWARD_TRANSITIVE: consumers replay topics from the beginning, so the
     * current schema must read every earlier version (backward), and a producer is usually deployed
     * before the other contexts that consume its events, so consumers still on an earlier schema must
     * read what it writes (forward). In practice: add or remove only fields that have a default.
     */
    public static final String COMPATIBILITY_LEVEL = "FULL_TRANSITIVE";

    private static final String COMPATIBILITY_RULE = "COMPATIBILITY";
    private static final String RULE_VIOLATION = "RuleViolationException";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String registryUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    private SchemaRegistrar(String registryUrl) {
        this.registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
    }

    /**
     * Registers every schema of this module ({@link SchemaCatalog#schemas()}).
     *
     * @param registryUrl the v3 API base, e.g. {@code http://127.0.0.1:8080/apis/registry/v3}
     */
    public static List<RegisteredVersion> registerAll(String registryUrl) {
        SchemaRegistrar registrar = new SchemaRegistrar(registryUrl);
        List<RegisteredVersion> registered = new ArrayList<>();
        for (Schema schema : SchemaCatalog.schemas()) {
            registered.add(registrar.register(schema));
        }
        return registered;
    }

    /**
     * Registers one record schema. Register the text the serde will look up: for a generated class
     * that is {@code getClassSchema()}, as {@link SchemaCatalog#schemas()} returns it.
     *
     * @throws IncompatibleSchemaException if the compatibility rule rejects the schema
     * @throws SchemaRegistrationException if the registry cannot be reached or answers otherwise
     */
    public static RegisteredVersion register(String registryUrl, Schema schema) {
        return new SchemaRegistrar(registryUrl).register(schema);
    }

    private RegisteredVersion register(Schema schema) {
        RegistryArtifact artifact = RegistryArtifact.of(schema);
        boolean artifactExisted = artifactExists(artifact);
        if (artifactExisted) {
            // The rule must be in place before a new version is checked against it.
            ensureCompatibilityRule(artifact);
        }
        RegisteredVersion version = findOrCreateVersion(artifact, schema);
        if (!artifactExisted) {
            ensureCompatibilityRule(artifact);
        }
        return version;
    }

    private boolean artifactExists(RegistryArtifact artifact) {
        HttpResponse<String> response = send(get(artifactPath(artifact)));
        if (response.statusCode() == 404) {
            return false;
        }
        requireSuccess(response, "read artifact " + artifact);
        return true;
    }

    private RegisteredVersion findOrCreateVersion(RegistryArtifact artifact, Schema schema) {
        ObjectNode content = json.createObjectNode()
                .put("content", schema.toString())
                .put("contentType", "application/json");
        ObjectNode createArtifact = json.createObjectNode()
                .put("artifactId", artifact.artifactId())
                .put("artifactType", "AVRO");
        createArtifact.putObject("firstVersion").set("content", content);

        HttpResponse<String> response = send(post(
                "/groups/" + segment(artifact.groupId()) + "/artifacts?ifExists=FIND_OR_CREATE_VERSION",
                createArtifact));
        if (response.statusCode() == 409 && RULE_VIOLATION.equals(readJson(response).path("name").asText())) {
            throw new IncompatibleSchemaException(schema.getFullName(), artifact, ruleViolationReason(response));
        }
        requireSuccess(response, "register " + schema.getFullName() + " as " + artifact);

        JsonNode version = readJson(response).path("version");
        return new RegisteredVersion(artifact, version.path("version").asText(),
                version.path("globalId").asLong(), version.path("contentId").asLong());
    }

    private void ensureCompatibilityRule(RegistryArtifact artifact) {
        String rulesPath = artifactPath(artifact) + "/rules";
        ObjectNode rule = json.createObjectNode()
                .put("ruleType", COMPATIBILITY_RULE)
                .put("config", COMPATIBILITY_LEVEL);

        HttpResponse<String> current = send(get(rulesPath + "/" + COMPATIBILITY_RULE));
        if (current.statusCode() == 404) {
            HttpResponse<String> created = send(post(rulesPath, rule));
            if (created.statusCode() != 409) {
                requireSuccess(created, "create the compatibility rule of " + artifact);
                return;
            }
            // 409: another registrar created the rule meanwhile; check its level below.
            current = send(get(rulesPath + "/" + COMPATIBILITY_RULE));
        }
        requireSuccess(current, "read the compatibility rule of " + artifact);
        if (!COMPATIBILITY_LEVEL.equals(readJson(current).path("config").asText())) {
            requireSuccess(send(put(rulesPath + "/" + COMPATIBILITY_RULE, rule)),
                    "update the compatibility rule of " + artifact);
        }
    }

    /** The registry's problem detail, plus any cause it does not already mention. */
    private String ruleViolationReason(HttpResponse<String> response) {
        JsonNode problem = readJson(response);
        StringBuilder reason = new StringBuilder(problem.path("detail").asText(problem.path("title").asText()));
        for (JsonNode cause : problem.path("causes")) {
            String causeText = cause.path("description").asText() + " at " + cause.path("context").asText();
            if (reason.indexOf(causeText) < 0) {
                reason.append("; cause: ").append(causeText);
            }
        }
        return reason.toString();
    }

    private static String artifactPath(RegistryArtifact artifact) {
        return "/groups/" + segment(artifact.groupId()) + "/artifacts/" + segment(artifact.artifactId());
    }

    private static String segment(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, JsonNode body) {
        return request(path).POST(jsonBody(body)).build();
    }

    private HttpRequest put(String path, JsonNode body) {
        return request(path).PUT(jsonBody(body)).build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(registryUrl + path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
    }

    private HttpRequest.BodyPublisher jsonBody(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistrationException("Cannot reach the schema registry: " + request.method() + " "
                    + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistrationException("Interrupted while calling " + request.uri(), e);
        }
    }

    private static void requireSuccess(HttpResponse<String> response, String action) {
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistrationException("Could not " + action + ": HTTP " + response.statusCode() + " from "
                    + response.request().method() + " " + response.uri() + ": " + response.body());
        }
    }

    private JsonNode readJson(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistrationException("Unexpected non-JSON answer, HTTP " + response.statusCode() + " from "
                    + response.uri() + ": " + response.body(), e);
        }
    }

    /** CLI: {@code SchemaRegistrar --registry-url http://host:port/apis/registry/v3}. */
    public static void main(String[] args) {
        String registryUrl = registryUrlArgument(args);
        if (registryUrl == null) {
            System.err.println("Usage: SchemaRegistrar --registry-url <Apicurio v3 API URL, e.g. "
                    + "http://127.0.0.1:8080/apis/registry/v3>");
            System.exit(2);
        }
        try {
            for (RegisteredVersion version : registerAll(registryUrl)) {
                System.out.println("registered " + version);
            }
        } catch (SchemaRegistrationException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    private static String registryUrlArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--registry-url=")) {
                return args[i].substring("--registry-url=".length());
            }
            if (args[i].equals("--registry-url") && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return null;
    }
}
