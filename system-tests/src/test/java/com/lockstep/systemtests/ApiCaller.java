package com.lockstep.systemtests;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Calls the platform as the Seam SDK does, with a plain HTTP client: POST with a JSON body, GET and
 * DELETE with a query string (sorted keys, repeated keys for arrays, dotted keys for objects),
 * PATCH and PUT with a JSON body.
 */
final class ApiCaller {

    static final ObjectMapper JSON = new ObjectMapper();

    private final RawHttp http;

    ApiCaller(RawHttp http) {
        this.http = http;
    }

    RawHttp http() {
        return http;
    }

    static ObjectNode params(Object... namesAndValues) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
        }
        return params;
    }

    RawHttp.Response call(String token, String method, String path, JsonNode params) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            return http.send(method, path + query(params), headers, null);
        }
        headers.put("Content-Type", "application/json");
        return http.send(method, path, headers, bytes(params));
    }

    /** POST; asserts a 200 {"ok": true} answer and returns its body. */
    JsonNode ok(String token, String path, JsonNode params) {
        return ok(token, "POST", path, params);
    }

    JsonNode ok(String token, String method, String path, JsonNode params) {
        RawHttp.Response response = call(token, method, path, params);
        JsonNode json = response.json();
        if (response.status() != 200 || json == null || !json.path("ok").asBoolean(false)) {
            throw new AssertionError(method + " " + path + " " + params + " answered " + response);
        }
        return json;
    }

    /**
     * POSTs until the answer is 200, retrying while it is an error of one of {@code retryTypes}
     * (what another service publishes reaches this one shortly after), for at most {@code timeout}.
     */
    JsonNode okEventually(String token, String path, JsonNode params, Set<String> retryTypes, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        RawHttp.Response last;
        do {
            last = call(token, "POST", path, params);
            JsonNode json = last.json();
            if (last.status() == 200 && json != null && json.path("ok").asBoolean(false)) {
                return json;
            }
            String type = json == null ? "" : json.path("error").path("type").asText();
            if (!retryTypes.contains(type)) {
                break;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("POST " + path + " " + params + " answered " + last);
    }

    /** POSTs until {@code done} holds for the 200 answer, for at most {@code timeout}; returns that answer. */
    JsonNode until(String token, String path, JsonNode params, Predicate<JsonNode> done, Duration timeout, String what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        do {
            RawHttp.Response response = call(token, "POST", path, params);
            last = response.json();
            if (response.status() == 200 && last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s; last answer: " + last);
    }

    static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SDK's query string for {@code params}, with {@code ?}, or "" for none. */
    static String query(JsonNode params) {
        Map<String, java.util.List<String>> flat = new java.util.TreeMap<>();
        flatten("", params, flat);
        if (flat.isEmpty()) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        flat.forEach((name, values) -> values.forEach(value -> {
            if (query.length() > 1) {
                query.append('&');
            }
            query.append(encode(name)).append('=').append(encode(value));
        }));
        return query.toString();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, java.util.List<String>> flat) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), flat);
            }
        } else if (node.isArray()) {
            java.util.List<String> values = flat.computeIfAbsent(prefix, k -> new java.util.ArrayList<>());
            if (node.isEmpty()) {
                values.add("");
            }
            node.forEach(item -> values.add(item.isValueNode() ? item.asText() : item.toString()));
        } else {
            flat.computeIfAbsent(prefix, k -> new java.util.ArrayList<>()).add(node.isNull() ? "" : node.asText());
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
