package com.lockstep.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a running service's OpenAPI document ({@code /openapi.json}) against its code and against
 * Seam's ({@link #assertDocumented}):
 * <ul>
 * <li>each public path called once with no parameters answers, in the
 * {@code Lockstep-Declared-Parameters} header (tests only), the parameters its code read; the
 * service's {@code META-INF/lockstep/endpoints.json}, which the document's parameters come from,
 * must hold exactly those ({@code -Dlockstep.openapi.update=true} rewrites it);</li>
 * <li>each path, method, parameter (type, format, required) and answer
 * key compared with Seam's document (the SDK suite's copy), both ways.</li>
 * </ul>
 */
public final class ServiceOpenApi {

    /** From a module's directory, where its tests run. */
    private static final Path ENDPOINTS = Path.of("src/main/resources/META-INF/lockstep/endpoints.json");
    private static final Path SEAM = Path.of("../system-tests/sdk/seam-openapi-subset.json");
    private static final String DECLARED = "Lockstep-Declared-Parameters";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceOpenApi() {
    }

    /**
     * Asserts that the service at {@code baseUrl} (a {@code @TestHTTPResource} URL) documents exactly
     * the parameters its code reads, and that its document differs from Seam's by {@code knownDifferences} alone.
     */
    public static void assertDocumented(URL baseUrl, String apiKey, List<String> knownDifferences) throws Exception {
        String base = baseUrl.toString().replaceAll("/$", "");
        JsonNode document = document(base);
        JsonNode recorded = recordedParameters(base, apiKey, document);
        JsonNode checkedIn = checkedIn(recorded);
        if (!checkedIn.equals(recorded)) {
            throw new AssertionError(ENDPOINTS + " is not what the code reads (rewrite it with -Dlockstep.openapi.update=true)."
                    + "\nchecked in: " + checkedIn + "\nread:       " + recorded);
        }
        List<String> differences = differencesFromSeam(document);
        if (!differences.equals(knownDifferences)) {
            throw new AssertionError("Differences from Seam's document:\n  " + String.join("\n  ", differences)
                    + "\nknown:\n  " + String.join("\n  ", knownDifferences));
        }
    }

    private static JsonNode document(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /openapi.json answered " + response.statusCode() + ": " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    /**
     * What each of the document's paths reads, by path, as the code declares it: called once with no
     * parameters, and once with every parameter Seam documents for it present with a value no
     * endpoint accepts (an empty string; an empty object for an object), so that reads made only
     * when a parameter is present are seen too, and nothing is changed.
     */
    private static JsonNode recordedParameters(String baseUrl, String apiKey, JsonNode document) throws Exception {
        JsonNode seam = MAPPER.readTree(SEAM.toFile());
        ObjectNode recorded = MAPPER.createObjectNode();
        Set<String> paths = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        for (String path : paths) {
            ObjectNode declared = (ObjectNode) declared(baseUrl, apiKey, path, MAPPER.createObjectNode());
            ObjectNode probe = MAPPER.createObjectNode();
            flatten(seam.path("paths").path(path).path("post")).forEach((name, described) -> {
                ObjectNode parent = probe;
                String[] names = name.split("\\.");
                for (int i = 0; i < names.length - 1; i++) {
                    parent = parent.get(names[i]) instanceof ObjectNode object ? object : parent.putObject(names[i]);
                }
                if (described.startsWith("object")) {
                    parent.putObject(names[names.length - 1]);
                } else {
                    parent.put(names[names.length - 1], "");
                }
            });
            declared(baseUrl, apiKey, path, probe).fields().forEachRemaining(read -> {
                if (!declared.has(read.getKey())) {
                    declared.set(read.getKey(), read.getValue());
                }
            });
            recorded.set(path, declared);
        }
        return recorded;
    }

    private static JsonNode declared(String baseUrl, String apiKey, String path, JsonNode body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        String declared = response.headers().firstValue(DECLARED)
                .orElseThrow(() -> new AssertionError(path + " answered " + response.statusCode() + " without " + DECLARED
                        + ": " + response.body()));
        return MAPPER.readTree(declared);
    }

    /** The checked-in description; rewritten from {@code recorded} when {@code -Dlockstep.openapi.update=true}. */
    private static JsonNode checkedIn(JsonNode recorded) throws IOException {
        if (Boolean.getBoolean("lockstep.openapi.update")) {
            Files.createDirectories(ENDPOINTS.getParent());
            Files.writeString(ENDPOINTS, MAPPER.writeValueAsString(recorded) + "\n");
        }
        return Files.exists(ENDPOINTS) ? MAPPER.readTree(ENDPOINTS.toFile()) : MAPPER.createObjectNode();
    }

    /** Every difference between our document and Seam's, one line each, sorted. */
    private static List<String> differencesFromSeam(JsonNode ours) throws IOException {
        JsonNode seam = MAPPER.readTree(SEAM.toFile());
        Set<String> differences = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : iterable(ours.path("paths").fields())) {
            JsonNode theirs = seam.path("paths").path(path.getKey());
            if (theirs.isMissingNode()) {
                differences.add(path.getKey() + ": not in Seam's document");
                continue;
            }
            for (String method : iterable(path.getValue().fieldNames())) {
                if (!theirs.has(method)) {
                    differences.add(path.getKey() + ": " + method + " is not Seam's");
                }
            }
            compareParameters(path.getKey(), flatten(path.getValue().path("post")), flatten(theirs.path("post")), differences);
            String ourKey = answerKey(path.getValue().path("post"));
            String theirKey = answerKey(theirs.path("post"));
            if (!ourKey.equals(theirKey)) {
                differences.add(path.getKey() + ": answers " + ourKey + ", Seam " + theirKey);
            }
        }
        return new ArrayList<>(differences);
    }

    private static void compareParameters(String path, Map<String, String> ours, Map<String, String> theirs, Set<String> differences) {
        Set<String> names = new TreeSet<>(ours.keySet());
        names.addAll(theirs.keySet());
        for (String name : names) {
            String our = ours.get(name);
            String their = theirs.get(name);
            if (our == null) {
                differences.add(path + ": " + name + " (" + their + ") is not read");
            } else if (their == null) {
                differences.add(path + ": " + name + " (" + our + ") is not Seam's");
            } else if (!our.equals(their)) {
                differences.add(path + ": " + name + " is " + our + ", Seam's " + their);
            }
        }
    }

    /** A POST body's parameters, {@code name -> "type/format required"}; a union's branches together, nested objects flattened. */
    private static Map<String, String> flatten(JsonNode post) {
        Map<String, String> parameters = new TreeMap<>();
        flattenSchema("", post.path("requestBody").path("content").path("application/json").path("schema"), true, parameters);
        return parameters;
    }

    private static void flattenSchema(String prefix, JsonNode schema, boolean everyBranch, Map<String, String> into) {
        for (String union : List.of("oneOf", "anyOf", "allOf")) {
            for (JsonNode branch : schema.path(union)) {
                flattenSchema(prefix, branch, union.equals("allOf") && everyBranch, into);
            }
        }
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (Map.Entry<String, JsonNode> property : iterable(schema.path("properties").fields())) {
            JsonNode value = property.getValue();
            String type = value.path("type").asText(value.has("oneOf") || value.has("anyOf") ? "union" : "?");
            JsonNode formatted = type.equals("array") ? value.path("items") : value;
            String format = formatted.path("format").asText("");
            String described = type + (format.isEmpty() ? "" : "/" + format)
                    + (required.contains(property.getKey()) && everyBranch ? " required" : "");
            into.merge(prefix + property.getKey(), described, (a, b) -> a.endsWith(" required") ? a : b);
            if (type.equals("object") && value.has("properties")) {
                flattenSchema(prefix + property.getKey() + ".", value, false, into);
            }
        }
    }

    /** The key Seam names ({@code x-response-key}), or else the one property of the answer besides {@code ok} and {@code pagination}. */
    private static String answerKey(JsonNode operation) {
        JsonNode answer = operation.path("responses").path("200").path("content").path("application/json").path("schema");
        String named = answer.path("x-response-key").asText(operation.path("x-response-key").asText(""));
        if (!named.isEmpty()) {
            return named;
        }
        Set<String> keys = new TreeSet<>();
        answer.path("properties").fieldNames().forEachRemaining(keys::add);
        keys.removeAll(Set.of("ok", "pagination"));
        return keys.size() == 1 ? keys.iterator().next() : keys.isEmpty() ? "(ok only)" : keys.toString();
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }
}
