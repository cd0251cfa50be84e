package com.lockstep.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

/**
 * {@code GET /phones/get} at a fixed rate (open loop), for the question "at N requests/s, what is
 * the p99?", which wrk's closed loop at full speed does not answer. Request i is due at
 * {@code start + i/rate}; its latency is counted from that due time (not from when a connection
 * became free), so queueing behind a stall is counted in full (no coordinated omission), as wrk2
 * does. Up to {@code connections} requests are in flight on keep-alive HTTP/1.1 connections; the
 * rest wait for one. Vert.x's HTTP client on one event loop, in the benchmark's JVM.
 */
final class FixedRateLoad {

    private static final long HIGHEST_US = TimeUnit.MINUTES.toMicros(1);

    private FixedRateLoad() {
    }

    /**
     * @param warmupSeconds at the same rate, not counted
     * @param seconds counted
     */
    static Result run(String host, int port, String apiKey, List<String> deviceIds, int rate, int connections,
                      int warmupSeconds, int seconds) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            Run run = new Run(client, "Bearer " + apiKey, deviceIds, rate, warmupSeconds, seconds);
            vertx.runOnContext(ignored -> run.start(vertx));
            return run.done.get(warmupSeconds + seconds + 60L, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Everything below runs on the one event loop. */
    private static final class Run {

        private final HttpClient client;
        private final String authorization;
        private final List<String> deviceIds;
        private final int rate;
        private final int seconds;
        private final long total;
        private final long warmupRequests;
        private final long interval;
        private final CompletableFuture<Result> done = new CompletableFuture<>();
        private final Histogram latency = new Histogram(HIGHEST_US, 3);
        private final Histogram serviceTime = new Histogram(HIGHEST_US, 3);
        private final Histogram sendLag = new Histogram(HIGHEST_US, 3);
        private long start;
        private long sent;
        private long completed;
        private long ok;
        private long non200;
        private long failed;
        private long measuredStart;
        private long lastCompletion;

        Run(HttpClient client, String authorization, List<String> deviceIds, int rate, int warmupSeconds, int seconds) {
            this.client = client;
            this.authorization = authorization;
            this.deviceIds = deviceIds;
            this.rate = rate;
            this.seconds = seconds;
            this.warmupRequests = (long) rate * warmupSeconds;
            this.total = warmupRequests + (long) rate * seconds;
            this.interval = TimeUnit.SECONDS.toNanos(1) / rate;
        }

        void start(Vertx vertx) {
            start = System.nanoTime();
            measuredStart = start + warmupRequests * interval;
            // Vert.x timers have millisecond resolution: each tick sends every request due by then.
            vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                long due = Math.min(total, (now - start) / interval + 1);
                while (sent < due) {
                    send(start + sent * interval, sent >= warmupRequests, now);
                    sent++;
                }
                if (sent == total) {
                    vertx.cancelTimer(timer);
                }
            });
        }

        private void send(long dueAt, boolean measured, long now) {
            if (measured) {
                sendLag.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(now - dueAt)));
            }
            String deviceId = deviceIds.get(ThreadLocalRandom.current().nextInt(deviceIds.size()));
            long[] sentAt = new long[1];
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/phones/get?device_id=" + deviceId)
                            .putHeader("Authorization", authorization).setIdleTimeout(30_000))
                    .compose(request -> {
                        sentAt[0] = System.nanoTime();
                        return request.send().compose(response -> response.body().map(body -> response.statusCode()));
                    })
                    .onComplete(result -> {
                        long end = System.nanoTime();
                        completed++;
                        if (measured) {
                            if (result.succeeded()) {
                                latency.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(end - dueAt)));
                                serviceTime.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(end - sentAt[0])));
                                if (result.result() == 200) {
                                    ok++;
                                } else {
                                    non200++;
                                }
                            } else {
                                failed++;
                            }
                            lastCompletion = end;
                        }
                        if (completed == total) {
                            double measuredSeconds = (lastCompletion - measuredStart) / 1e9;
                            done.complete(new Result(rate, seconds, measuredSeconds, total - warmupRequests, ok, non200, failed,
                                    latency, serviceTime, sendLag));
                        }
                    });
        }

        private static long clamp(long micros) {
            return Math.max(0, Math.min(HIGHEST_US, micros));
        }
    }

    /**
     * @param latency microseconds from each request's due time to its response (the figure)
     * @param serviceTime microseconds from the request being written on a connection to its response
     * @param sendLag microseconds each request was handed to the client after its due time
     */
    record Result(int rate, int seconds, double measuredSeconds, long requests, long ok, long non200, long failed,
                  Histogram latency, Histogram serviceTime, Histogram sendLag) {

        double achievedRate() {
            return (ok + non200) / measuredSeconds;
        }
    }
}
