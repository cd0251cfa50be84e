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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform with two replicas of every service: each replica serves, each is a Kafka
 * static member of its own name, the router takes turns between them, and a killed replica's share
 * goes to the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformReplicasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REPLICAS = 2;
    private static final String PHONE_SERVICE = "phone-service";

    @TempDir
    static Path dataDirectory;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LocalPlatform platform;

    @BeforeAll
    void startPlatform() {
        platform = new LocalPlatform(LocalPlatform.options().port(0).dataDirectory(dataDirectory).clean(true)
                .replicas(REPLICAS)).start();
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.stop();
        }
    }

    @Test
    @Order(1)
    void everyReplicaOfEveryServiceAnswersOnItsOwnPort() throws Exception {
        assertThat(platform.replicas()).isEqualTo(REPLICAS);
        for (ServiceSpec service : Services.ALL) {
            List<String> urls = platform.serviceUrls(service.name());

            assertThat(urls).hasSize(REPLICAS).doesNotHaveDuplicates();
            assertThat(platform.serviceUrl(service.name())).isEqualTo(urls.get(0));
            for (int replica = 0; replica < REPLICAS; replica++) {
                assertThat(platform.serviceUrl(service.name(), replica)).isEqualTo(urls.get(replica));
                assertThat(send(get(urls.get(replica) + service.keyProbePath())).statusCode())
                        .as("%s replica %d", service.name(), replica).isEqualTo(200);
                assertThat(platform.isRunning(service.name(), replica)).isTrue();
            }
            assertThat(platform.serviceLog(service.name(), 0)).isEqualTo(platform.serviceLog(service.name()));
            assertThat(platform.serviceLog(service.name(), 1)).hasFileName(service.name() + "-1.log").isNotEmptyFile();
        }
    }

    @Test
    @Order(2)
    void eachReplicaIsAStaticMemberOfItsOwnName() throws Exception {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (String service : Services.names()) {
            expected.put(service, Set.of(service + "-0", service + "-1"));
        }
        Map<String, Set<String>> members = Map.of();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(members = staticMembersByService(admin)).equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
        }
        assertThat(members).isEqualTo(expected);
    }

    @Test
    @Order(3)
    void theRouterTakesTurnsBetweenTheReplicas() throws Exception {
        for (ServiceSpec service : Services.ALL) {
            Map<String, Integer> served = serveThroughRouter(service.keyProbePath(), 20);

            assertThat(served).as(service.name()).isEqualTo(Map.of(service.name() + "-0", 10, service.name() + "-1", 10));
        }
    }

    @Test
    @Order(4)
    void aKilledReplicasShareGoesToTheOther() throws Exception {
        platform.kill(PHONE_SERVICE, 1);
        assertThat(platform.isRunning(PHONE_SERVICE, 1)).isFalse();
        assertThat(platform.isRunning(PHONE_SERVICE)).isTrue();

        // No 5xx: each request the killed replica would have had is refused a connection before
        // anything is sent, and goes to replica 0 instead; a POST too.
        assertThat(serveThroughRouter("/phones/list", 20)).isEqualTo(Map.of(PHONE_SERVICE + "-0", 20));
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/phones/list"))
                .header("Authorization", "Bearer " + platform.sandboxApiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"limit\": 1}"))
                .build());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(post.body()).path("phones").isArray()).isTrue();

        platform.restart(PHONE_SERVICE, 1);
        assertThat(serveThroughRouter("/phones/list", 20)).isEqualTo(Map.of(PHONE_SERVICE + "-0", 10, PHONE_SERVICE + "-1", 10));
    }

    @Test
    @Order(5)
    void aServiceWithEveryReplicaKilledAnswers503UntilRestarted() throws Exception {
        platform.kill(PHONE_SERVICE);
        assertThat(platform.isRunning(PHONE_SERVICE)).isFalse();

        long begin = System.nanoTime();
        HttpResponse<String> down = send(get(platform.baseUrl() + "/phones/list"));
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).path("error").path("type").asText()).isEqualTo("service_unavailable");
        assertThat(down.headers().firstValue(PathRouter.REPLICA_HEADER)).isEmpty();

        platform.restart(PHONE_SERVICE);
        assertThat(platform.isRunning(PHONE_SERVICE, 0)).isTrue();
        assertThat(platform.isRunning(PHONE_SERVICE, 1)).isTrue();
        assertThat(serveThroughRouter("/phones/list", 2)).isEqualTo(Map.of(PHONE_SERVICE + "-0", 1, PHONE_SERVICE + "-1", 1));
    }

    @Test
    @Order(6)
    void stopLeavesNoProcessBehind() throws Exception {
        platform.stop();

        List<String> left = ProcessHandle.current().descendants()
                .map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
                .toList();
        assertThat(left).isEmpty();
        try (Stream<Path> pidFiles = Files.list(dataDirectory.resolve("run"))) {
            assertThat(pidFiles).isEmpty();
        }
    }

    /** Sends {@code count} GETs through the router, one after the other: how many each replica served. */
    private Map<String, Integer> serveThroughRouter(String path, int count) throws Exception {
        Map<String, Integer> served = new HashMap<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = send(get(platform.baseUrl() + path));
            statuses.add(response.statusCode());
            response.headers().firstValue(PathRouter.REPLICA_HEADER).ifPresent(replica -> served.merge(replica, 1, Integer::sum));
        }
        assertThat(statuses).as("GET %s through the router", path).containsOnly(200);
        return served;
    }

    /** For each service, the static member ids in its consumer groups (named {@code <service>.<what>}). */
    private static Map<String, Set<String>> staticMembersByService(Admin admin) throws Exception {
        List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList();
        Map<String, Set<String>> members = new TreeMap<>();
        for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
            String service = group.groupId().substring(0, Math.max(0, group.groupId().indexOf('.')));
            group.members().forEach(member -> member.groupInstanceId().ifPresent(id ->
                    members.computeIfAbsent(service, ignored -> new TreeSet<>()).add(id)));
        }
        return members;
    }

    private HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + platform.sandboxApiKey())
                .GET()
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
