package com.lockstep.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

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
