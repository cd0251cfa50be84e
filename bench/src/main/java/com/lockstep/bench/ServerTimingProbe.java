package com.lockstep.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * API requests of a few kinds, sent in turn on an open-loop schedule (request i due at
 * {@code start + i/rate}, whether or not earlier ones have returned), each timed by the client (from
 * the moment it was handed to Java's {@link HttpClient} to its whole response) and by the service:
 * the {@code Server-Timing: fence;dur=<ms>, publication;dur=<ms>} header every API response carries
 * (service-kit's {@code ConsistentCalls}), i.e. how long the request waited for its service's
 * consumers to catch up with Kafka ({@code fence}: a write before its handler, a read beyond its
 * handler, with its second run when the consumers had been behind), and for its service's outbox
 * to be published after it ({@code publication}).
 */
final class ServerTimingProbe {

    /** Histograms in microseconds, up to a minute. */
    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(1);
    private static final Pattern TIMING = Pattern.compile("(\\w+);dur=([0-9.]+)");

    /** One kind of request: its name (e.g. its path), and the next request of that kind. */
    record Kind(String name, Supplier<HttpRequest> next) {
    }

    private final HttpClient http;
    private final String apiKey;

    ServerTimingProbe(HttpClient http, String apiKey) {
        this.http = http;
        this.apiKey = apiKey;
    }

    /** {@code GET baseUrl + pathAndQuery} with the API key. */
    HttpRequest get(String baseUrl, String pathAndQuery) {
        return request(baseUrl + pathAndQuery).GET().build();
    }

    /** {@code POST baseUrl + path} of a JSON body with the API key. */
    HttpRequest post(String baseUrl, String path, String json) {
        return request(baseUrl + path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey);
    }

    /** Sends one request and returns its response, e.g. to show what a kind's responses look like. */
    HttpResponse<String> once(Kind kind) throws Exception {
        return http.send(kind.next().get(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code ratePerSecond × seconds} requests, the kinds in turn, on an open-loop schedule,
     * and waits (up to 60 s after the last was sent) for their responses.
     */
    Result run(List<Kind> kinds, int ratePerSecond, int seconds) throws InterruptedException {
        Map<String, Stats> byKind = new LinkedHashMap<>();
        kinds.forEach(kind -> byKind.put(kind.name(), new Stats()));
        long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long total = (long) ratePerSecond * seconds;
        List<CompletableFuture<?>> calls = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (long i = 0; i < total; i++) {
            Kind kind = kinds.get((int) (i % kinds.size()));
            Stats stats = byKind.get(kind.name());
            stats.sent();
            HttpRequest request = kind.next().get();
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long sentAt = System.nanoTime();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> stats.record(sentAt - due, System.nanoTime() - sentAt, response, failure)));
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // Failures are counted by kind; a response still missing is counted as not answered.
        }
        return new Result(ratePerSecond, seconds, byKind);
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(HIGHEST_US, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /** What the requests of one kind cost; filled from the HTTP client's threads. */
    static final class Stats {
        final Histogram fence = new Histogram(HIGHEST_US, 3);
        final Histogram publication = new Histogram(HIGHEST_US, 3);
        final Histogram latency = new Histogram(HIGHEST_US, 3);
        /** The latency less both waits: the handler, the HTTP hops, the client. */
        final Histogram rest = new Histogram(HIGHEST_US, 3);
        /** How late each request was handed to the client against its schedule (open loop held if small). */
        final Histogram sendLag = new Histogram(HIGHEST_US, 3);
        /** HTTP status (or -1: the request failed) → requests. */
        final Map<Integer, Long> statuses = new TreeMap<>();
        long sent;
        long withoutTiming;
        String firstFailure;

        private synchronized void sent() {
            sent++;
        }

        private synchronized void record(long lagNanos, long latencyNanos, HttpResponse<String> response, Throwable failure) {
            sendLag.recordValue(micros(lagNanos));
            int status = failure == null ? response.statusCode() : -1;
            statuses.merge(status, 1L, Long::sum);
            if (status != 200) {
                if (firstFailure == null) {
                    String body = failure == null ? status + " " + response.body() : failure.toString();
                    firstFailure = body.length() > 300 ? body.substring(0, 300) + "…" : body;
                }
                return;
            }
            long latencyUs = micros(latencyNanos);
            latency.recordValue(latencyUs);
            Map<String, Long> timing = serverTiming(response.headers().firstValue("Server-Timing").orElse(""));
            Long fenceUs = timing.get("fence");
            Long publicationUs = timing.get("publication");
            if (fenceUs == null || publicationUs == null) {
                withoutTiming++;
                return;
            }
            fence.recordValue(Math.min(HIGHEST_US, fenceUs));
            publication.recordValue(Math.min(HIGHEST_US, publicationUs));
            rest.recordValue(Math.max(0, latencyUs - fenceUs - publicationUs));
        }

        /** Requests answered 200. */
        synchronized long ok() {
            return statuses.getOrDefault(200, 0L);
        }

        /** Requests answered otherwise, failed, or not answered within 60 s of the last one sent. */
        synchronized long notOk() {
            return sent - ok();
        }
    }

    /** {@code fence;dur=0.123, publication;dur=4.5} → metric → microseconds. */
    static Map<String, Long> serverTiming(String header) {
        Map<String, Long> timing = new LinkedHashMap<>();
        Matcher metric = TIMING.matcher(header);
        while (metric.find()) {
            timing.put(metric.group(1), Math.round(Double.parseDouble(metric.group(2)) * 1000));
        }
        return timing;
    }

    /** @param kinds each kind's name → its figures, in the order the kinds were given */
    record Result(int ratePerSecond, int seconds, Map<String, Stats> kinds) {
    }
}
