package com.lockstep.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.registry.SerdeConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the credential-service benchmark puts on the platform before it measures: user identities
 * (identity-service's API), multi-phone-sync mobile keys for each (credential-service's API), and
 * phones (phone-service's API, or {@code phone.registered} published straight on the phone topic),
 * to each of which credential-service then issues a child of every mobile key of its owner.
 */
final class CredentialSeed {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long one request may keep answering "not known yet" (404) while the events that create it travel. */
    private static final Duration NOT_YET_KNOWN = Duration.ofSeconds(120);
    /**
     * The message of the 503 a write gets when its read fence, which runs before the write, waits
     * out its bound: the write did not run, and the answer asks to send it again. (The publication
     * barrier's 503, after the write, says something else and is not sent again.)
     */
    private static final String CATCHING_UP = "The service is catching up with events";

    private final HttpClient http;
    private final String apiKey;
    private final int concurrency;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong catchingUpRetries = new AtomicLong();

    CredentialSeed(HttpClient http, String apiKey, int concurrency) {
        this.http = http;
        this.apiKey = apiKey;
        this.concurrency = concurrency;
    }

    /** How many requests answered 404 (not known yet) and were sent again. */
    long retries() {
        return retries.get();
    }

    /**
     * How many requests a service answered 503 because its read fence had waited out its bound
     * before the request ran ({@link #CATCHING_UP}), and were sent again: nothing had been written.
     */
    long catchingUpRetries() {
        return catchingUpRetries.get();
    }

    /** The workspace's ACS systems, from device-gateway's {@code /acs/systems/list}: id to name. */
    Map<String, String> acsSystems(String deviceGatewayUrl) throws IOException, InterruptedException {
        JsonNode body = send(deviceGatewayUrl, "/acs/systems/list", "{}");
        Map<String, String> systems = new LinkedHashMap<>();
        body.path("acs_systems").forEach(system -> systems.put(system.path("acs_system_id").asText(),
                system.path("name").asText() + " (" + system.path("external_type").asText() + ")"));
        return systems;
    }

    /** The workspace's devices, from device-gateway's {@code /devices/list}: their ids. */
    List<String> deviceIds(String deviceGatewayUrl) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        send(deviceGatewayUrl, "/devices/list", "{}").path("devices").forEach(device -> ids.add(device.path("device_id").asText()));
        return ids;
    }

    /** Grants each identity access to each device through identity-service's {@code /user_identities/grant_access_to_device}. */
    void grantAccess(String identityUrl, List<String> identities, List<String> deviceIds) throws IOException, InterruptedException {
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (String identity : identities) {
            for (String device : deviceIds) {
                calls.add(() -> send(identityUrl, "/user_identities/grant_access_to_device",
                        JSON.createObjectNode().put("user_identity_id", identity).put("device_id", device).toString()));
            }
        }
        runAll(calls);
    }

    /**
     * Creates {@code count} user identities through identity-service, each with a unique email
     * address, and (if {@code acsSystemId} is not null) asking for an ACS user on that system,
     * which credential-service creates when it reads {@code user_identity.created}.
     */
    List<String> createIdentities(String identityUrl, String prefix, int count, String acsSystemId)
            throws IOException, InterruptedException {
        List<Callable<String>> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i;
            calls.add(() -> {
                ObjectNode body = JSON.createObjectNode()
                        .put("full_name", "Bench " + prefix + " " + n)
                        .put("email_address", "bench-" + prefix + "-" + n + "-" + UUID.randomUUID().toString().substring(0, 8)
                                + "@bench.example");
                if (acsSystemId != null) {
                    body.putArray("acs_system_ids").add(acsSystemId);
                }
                JsonNode created = sendRetryingNotYet(identityUrl, "/user_identities/create", body.toString());
                String id = created.path("user_identity").path("user_identity_id").asText();
                if (id.isEmpty()) {
                    throw new IOException("/user_identities/create returned no user_identity_id: " + created);
                }
                return id;
            });
        }
        return runAll(calls);
    }

    /**
     * Creates {@code perIdentity} multi-phone-sync mobile keys for each identity through
     * credential-service ({@code /acs/credentials/create} with {@code user_identity_id}); an
     * identity or ACS system credential-service has not heard of yet (404) is asked again.
     *
     * @return each identity's credentials
     */
    Map<String, List<String>> createMobileKeys(String credentialUrl, List<String> identities, int perIdentity, String acsSystemId)
            throws IOException, InterruptedException {
        List<Callable<String[]>> calls = new ArrayList<>();
        for (String identity : identities) {
            for (int k = 0; k < perIdentity; k++) {
                calls.add(() -> {
                    ObjectNode body = JSON.createObjectNode()
                            .put("user_identity_id", identity)
                            .put("acs_system_id", acsSystemId)
                            .put("access_method", "mobile_key")
                            .put("is_multi_phone_sync_credential", true);
                    JsonNode created = sendRetryingNotYet(credentialUrl, "/acs/credentials/create", body.toString());
                    String id = created.path("acs_credential").path("acs_credential_id").asText();
                    if (id.isEmpty()) {
                        throw new IOException("/acs/credentials/create returned no acs_credential_id: " + created);
                    }
                    return new String[] {identity, id};
                });
            }
        }
        Map<String, List<String>> byIdentity = new HashMap<>();
        for (String[] pair : runAll(calls)) {
            byIdentity.computeIfAbsent(pair[0], i -> new ArrayList<>()).add(pair[1]);
        }
        return byIdentity;
    }

    /**
     * Registers {@code perOwner} sandbox phones for each owner through phone-service
     * ({@code /phones/simulate/create_sandbox_phone}); phone-service publishes each one's
     * {@code phone.registered}.
     *
     * @return device id to owner
     */
    Map<String, String> createSandboxPhones(String phoneUrl, List<String> owners, int perOwner)
            throws IOException, InterruptedException {
        List<Callable<String[]>> calls = new ArrayList<>();
        for (int p = 0; p < perOwner; p++) {
            for (String owner : owners) {
                calls.add(() -> {
                    JsonNode created = send(phoneUrl, "/phones/simulate/create_sandbox_phone",
                            "{\"user_identity_id\":\"" + owner + "\"}");
                    String deviceId = created.path("phone").path("device_id").asText();
                    if (deviceId.isEmpty()) {
                        throw new IOException("create_sandbox_phone returned no phone.device_id: " + created);
                    }
                    return new String[] {deviceId, owner};
                });
            }
        }
        Map<String, String> phones = new LinkedHashMap<>();
        for (String[] pair : runAll(calls)) {
            phones.put(pair[0], pair[1]);
        }
        return phones;
    }

    /**
     * Publishes {@code phone.registered} for {@code perOwner} new phones of each owner straight on
     * {@code lockstep.phone.events}, as phone-service's relay would (keyed by device_id, Avro through
     * the registry, acks=all): phone-service itself does not know these phones.
     *
     * @return device id to owner, in the order published
     */
    static Map<String, String> publishRegistrations(String bootstrapServers, String registryUrl, String workspaceId,
                                                    List<String> owners, int perOwner) throws InterruptedException {
        Map<String, String> phones = new LinkedHashMap<>();
        for (String owner : owners) {
            for (int p = 0; p < perOwner; p++) {
                phones.put(UUID.randomUUID().toString(), owner);
            }
        }
        List<Map.Entry<String, String>> order = new ArrayList<>(phones.entrySet());
        Collections.shuffle(order, new java.util.Random(7));
        publish(bootstrapServers, registryUrl, order, entry -> { }, (deviceId, owner) -> {
            Instant now = Instant.now();
            return PhoneRegistered.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setEventType("phone.registered")
                    .setWorkspaceId(workspaceId)
                    .setOccurredAt(now)
                    .setCreatedAt(now)
                    .setDeviceId(deviceId)
                    .setOwnerUserIdentityId(owner)
                    .setDeviceType("ios_phone")
                    .setCustomSdkInstallationId(null)
                    .build();
        });
        return phones;
    }

    /** Sends one event per (device id, owner) on the phone topic, keyed by device id; waits for every acknowledgement. */
    static void publish(String bootstrapServers, String registryUrl, List<Map.Entry<String, String>> phones,
                        Consumer<Integer> progress, java.util.function.BiFunction<String, String, Object> event)
            throws InterruptedException {
        Map<String, Object> config = new HashMap<>(SerdeConfig.producer(registryUrl));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-phone-events");
        List<Future<?>> sends = new ArrayList<>(phones.size());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            int n = 0;
            for (Map.Entry<String, String> phone : phones) {
                sends.add(producer.send(new ProducerRecord<>(Topics.PHONE_EVENTS, phone.getKey(), event.apply(phone.getKey(), phone.getValue()))));
                if (++n % 10_000 == 0) {
                    progress.accept(n);
                }
            }
            producer.flush();
            for (Future<?> send : sends) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("Could not publish to " + Topics.PHONE_EVENTS + ": " + e.getCause(), e.getCause());
                }
            }
        }
    }

    private <T> List<T> runAll(List<Callable<T>> calls) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "bench-seed");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(calls.size());
            for (Callable<T> call : calls) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>(calls.size());
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * POST, sent again while the answer is 404 (the events that make the thing known have not
     * arrived yet) or the fence's 503 ({@link #CATCHING_UP}), each counted.
     */
    private JsonNode sendRetryingNotYet(String baseUrl, String path, String body) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + NOT_YET_KNOWN.toNanos();
        while (true) {
            HttpResponse<String> response = post(baseUrl, path, body);
            if (response.statusCode() == 200) {
                return JSON.readTree(response.body());
            }
            boolean catchingUp = response.statusCode() == 503 && response.body().contains(CATCHING_UP);
            if ((response.statusCode() != 404 && !catchingUp) || System.nanoTime() > deadline) {
                throw new IOException("POST " + path + " " + body + " answered " + response.statusCode() + ": " + response.body());
            }
            (catchingUp ? catchingUpRetries : retries).incrementAndGet();
            Thread.sleep(200);
        }
    }

    private JsonNode send(String baseUrl, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = post(baseUrl, path, body);
        if (response.statusCode() != 200) {
            throw new IOException("POST " + path + " " + body + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String baseUrl, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
