package com.lockstep.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few phone-service calls the benchmark makes itself (Seam wire format, Bearer API key). */
final class PhoneApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;

    PhoneApi(HttpClient http, String baseUrl, String apiKey) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** {@code DELETE /phones/deactivate?device_id=...}, as the SDK sends it. */
    HttpRequest deactivateRequest(String deviceId) {
        return request("/phones/deactivate?device_id=" + deviceId).timeout(Duration.ofSeconds(30)).DELETE().build();
    }

    /** {@code GET path}; returns the status and the body. */
    Response get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), JSON.readTree(response.body()));
    }

    /**
     * Creates {@code owners × phonesPerOwner} sandbox phones, {@code concurrency} requests at a time.
     *
     * @return the owners and the device ids, each owner with {@code phonesPerOwner} phones
     */
    Seed createPhones(int owners, int phonesPerOwner, int concurrency) throws IOException, InterruptedException {
        List<String> ownerIds = new ArrayList<>();
        for (int i = 0; i < owners; i++) {
            ownerIds.add(UUID.randomUUID().toString());
        }
        List<String> deviceIds = Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < phonesPerOwner; p++) {
            for (String owner : ownerIds) {
                inFlight.acquire();
                HttpRequest create = request("/phones/simulate/create_sandbox_phone")
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user_identity_id\":\"" + owner + "\"}"))
                        .build();
                calls.add(http.sendAsync(create, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> inFlight.release())
                        .thenAccept(response -> {
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("create_sandbox_phone answered " + response.statusCode() + ": " + response.body());
                            }
                            try {
                                String deviceId = JSON.readTree(response.body()).path("phone").path("device_id").asText();
                                if (deviceId.isEmpty()) {
                                    throw new IllegalStateException("create_sandbox_phone returned no phone.device_id: " + response.body());
                                }
                                deviceIds.add(deviceId);
                            } catch (IOException e) {
                                throw new IllegalStateException("create_sandbox_phone returned no JSON: " + response.body(), e);
                            }
                        }));
            }
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            throw new IOException("Could not create the phones: " + e.getCause().getMessage(), e.getCause());
        }
        return new Seed(List.copyOf(ownerIds), List.copyOf(deviceIds), Duration.ofNanos(System.nanoTime() - start));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey);
    }

    record Response(int status, String body, JsonNode json) {
    }

    record Seed(List<String> owners, List<String> deviceIds, Duration took) {
    }
}
