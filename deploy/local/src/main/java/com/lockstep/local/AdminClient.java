package com.lockstep.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The operator's API of identity-service ({@code /admin/*}), behind the admin token. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A replay answers when the projections have caught up, which takes as long as the topics are. */
    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(15);

    private final String baseUrl;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** @param baseUrl the platform's base URL, e.g. {@code http://127.0.0.1:8080} */
    public AdminClient(String baseUrl, String adminToken) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.adminToken = adminToken;
    }

    /** {@code {"workspace": {...}, "api_key": {..., "token"}, "ok": true}}; the token is shown only here. */
    public JsonNode createWorkspace(String name, String companyName, boolean sandbox) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("is_sandbox", sandbox);
        if (companyName != null) {
            body.put("company_name", companyName);
        }
        return post("/admin/workspaces/create", body);
    }

    /** {@code {"api_key": {..., "token"}, "ok": true}}. */
    public JsonNode createApiKey(String workspaceId) throws IOException, InterruptedException {
        return post("/admin/api_keys/create", JSON.createObjectNode().put("workspace_id", workspaceId));
    }

    /** {@code {"ok": true}}; revoking a revoked key succeeds too. */
    public JsonNode revokeApiKey(String apiKeyId) throws IOException, InterruptedException {
        return post("/admin/api_keys/revoke", JSON.createObjectNode().put("api_key_id", apiKeyId));
    }

    /**
     * {@code {"connected_account", "devices", "acs_systems", "created", "ok": true}}: gives a sandbox
     * workspace the sandbox's devices and ACS system (device-gateway), once; later calls answer what it has.
     */
    public JsonNode provisionSandbox(String workspaceId) throws IOException, InterruptedException {
        return post("/admin/sandbox/provision_workspace", JSON.createObjectNode().put("workspace_id", workspaceId));
    }

    /**
     * {@code {"replays": [{consumer_group, topics, records_replayed, duration_ms}], "ok": true}}: rebuilds
     * identity-service's projections (one, or all when {@code consumerGroup} is null) from the
     * beginning of their topics, and answers once they have caught up.
     */
    public JsonNode replayIdentityProjections(String consumerGroup) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (consumerGroup != null) {
            body.put("consumer_group", consumerGroup);
        }
        return post("/admin/identity_service/projections/replay", body, REPLAY_TIMEOUT);
    }

    private JsonNode post(String path, ObjectNode body) throws IOException, InterruptedException {
        return post(path, body, TIMEOUT);
    }

    private JsonNode post(String path, ObjectNode body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException notJson) {
            throw new AdminException(response.statusCode(), "not_json", "POST " + path + " answered "
                    + response.statusCode() + " with a body that is not JSON: " + abbreviate(response.body()), null);
        }
        if (response.statusCode() != 200 || !json.path("ok").asBoolean(false)) {
            JsonNode error = json.path("error");
            throw new AdminException(response.statusCode(), error.path("type").asText("unknown"),
                    "POST " + path + " failed with " + response.statusCode() + ": "
                            + error.path("message").asText(abbreviate(response.body())), json);
        }
        return json;
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    /** The admin API answered with an error. */
    public static final class AdminException extends IOException {

        private final int status;
        private final String type;
        private final transient JsonNode body;

        AdminException(int status, String type, String message, JsonNode body) {
            super(message);
            this.status = status;
            this.type = type;
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** Seam's error type, e.g. {@code unauthorized}. */
        public String type() {
            return type;
        }

        /** The whole error response, or null if it was not JSON. */
        public JsonNode body() {
            return body;
        }
    }
}
