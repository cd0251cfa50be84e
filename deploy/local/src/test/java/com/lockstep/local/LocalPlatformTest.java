package com.lockstep.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform for real: every service's quarkus-run.jar (built before this module by the
 * reactor), PostgreSQL, Kafka and Apicurio Registry, behind the router on a free port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDirectory;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LocalPlatform platform;
    private long postmasterPid;

    @BeforeAll
    void startPlatform() throws Exception {
        platform = new LocalPlatform(LocalPlatform.options().port(0).dataDirectory(dataDirectory).clean(true)
                .serviceProperty("quarkus.profile", "prod,json")).start();
        postmasterPid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postgres/postmaster.pid")).get(0).trim());
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.stop();
        }
    }

    @Test
    @Order(1)
    void theSandboxKeyWorksThroughTheRouter() throws Exception {
        assertThat(Files.readString(dataDirectory.resolve("sandbox-api-key")).trim()).isEqualTo(platform.sandboxApiKey());

        HttpResponse<String> response = get("/workspaces/get", platform.sandboxApiKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("ok").asBoolean()).isTrue();
        assertThat(body.path("workspace").path("workspace_id").asText()).isEqualTo(platform.sandboxWorkspaceId());
        assertThat(body.path("workspace").path("is_sandbox").asBoolean()).isTrue();
        assertThat(response.headers().firstValue("seam-request-id")).isPresent();
        // Every service accepts it, not only identity-service.
        assertThat(get("/phones/list", platform.sandboxApiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aWrongKeyIsUnauthorized() throws Exception {
        HttpResponse<String> response = get("/workspaces/get", "seam_not_a_real_key");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("ok").asBoolean(true)).isFalse();
        assertThat(body.path("error").path("type").asText()).isEqualTo("unauthorized");
    }

    @Test
    @Order(3)
    void theBaseUrlServesTheWholeApisOpenApiDocument() throws Exception {
        HttpResponse<String> response = get("/openapi.json", platform.sandboxApiKey());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(response.body());
        assertThat(document.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(document.path("components").path("securitySchemes").path("api_key").path("scheme").asText()).isEqualTo("bearer");
        List<String> paths = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        // Every service's public paths, and no admin path.
        assertThat(paths).hasSize(42).contains("/phones/get", "/devices/get", "/acs/users/list", "/user_identities/create")
                .noneMatch(path -> path.startsWith("/admin"));
        assertThat(document.path("paths").path("/phones/get").path("get").path("parameters").get(0).path("name").asText())
                .isEqualTo("device_id");
    }

    @Test
    @Order(3)
    void aPathNoServiceServesIsASeamNotFound() throws Exception {
        HttpResponse<String> response = get("/no_such_thing/get?x=1", platform.sandboxApiKey());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("ok").asBoolean(true)).isFalse();
        assertThat(body.path("error").path("type").asText()).isEqualTo("endpoint_not_found");
        assertThat(body.path("error").path("message").asText()).contains("/no_such_thing/get");
        assertThat(response.headers().firstValue("seam-request-id")).hasValue(body.path("error").path("request_id").asText());
    }

    @Test
    @Order(4)
    void postBodiesAndQueryStringsPassThrough() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/phones/list"))
                .header("Authorization", "Bearer " + platform.sandboxApiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"limit\": 1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(post.body()).path("phones").isArray()).isTrue();

        HttpResponse<String> invalid = get("/phones/list?limit=not_a_number", platform.sandboxApiKey());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).path("error").path("type").asText()).isEqualTo("invalid_input");
    }

    @Test
    @Order(5)
    void adminApiKeysReachEveryServiceAndRevocationToo() throws Exception {
        JsonNode created = platform.admin().createWorkspace("Acme", "Acme Property", true);
        String key = created.path("api_key").path("token").asText();
        String keyId = created.path("api_key").path("api_key_id").asText();

        awaitStatus("/phones/list", key, 200);
        assertThat(JSON.readTree(get("/workspaces/get", key).body()).path("workspace").path("name").asText()).isEqualTo("Acme");

        platform.admin().revokeApiKey(keyId);
        awaitStatus("/phones/list", key, 401);
        awaitStatus("/workspaces/get", key, 401);
    }

    @Test
    @Order(6)
    void aKilledServiceAnswers503UntilRestarted() throws Exception {
        platform.kill("phone-service");
        assertThat(platform.isRunning("phone-service")).isFalse();

        long begin = System.nanoTime();
        HttpResponse<String> down = get("/phones/list", platform.sandboxApiKey());
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).path("error").path("type").asText()).isEqualTo("service_unavailable");
        assertThat(down.headers().firstValue("seam-request-id")).isPresent();
        // The other services go on serving.
        assertThat(get("/workspaces/get", platform.sandboxApiKey()).statusCode()).isEqualTo(200);

        platform.restart("phone-service");
        assertThat(get("/phones/list", platform.sandboxApiKey()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void theJsonProfileMakesEveryServiceLogOneJsonObjectALine() throws Exception {
        for (String service : platform.services()) {
            List<String> lines = Files.readAllLines(platform.serviceLog(service));
            int launch = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("==== ")) {
                    launch = i + 1;
                }
            }
            List<String> logged = lines.subList(launch, lines.size());
            assertThat(logged).as("%s's log since its last start", service).isNotEmpty();
            boolean started = false;
            for (String line : logged) {
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.path("level").isTextual()).as("%s: %s", service, line).isTrue();
                assertThat(entry.path("loggerName").isTextual()).as("%s: %s", service, line).isTrue();
                started |= entry.path("message").asText().contains("started in");
            }
            assertThat(started).as("%s logged its start", service).isTrue();
        }
    }

    @Test
    @Order(8)
    void stopLeavesNoProcessBehind() throws Exception {
        assertThat(ProcessHandle.current().descendants().count()).isGreaterThanOrEqualTo(platform.services().size());

        platform.stop();
        platform.stop();

        List<String> left = ProcessHandle.current().descendants()
                .map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
                .toList();
        assertThat(left).isEmpty();
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
        assertThat(postmaster.map(ProcessHandle::isAlive).orElse(false)).as("postmaster %d alive", postmasterPid).isFalse();
    }

    private HttpResponse<String> get(String pathAndQuery, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String path, String key, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int last;
        while ((last = get(path, key).statusCode()) != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(last).as("GET %s", path).isEqualTo(status);
    }
}
