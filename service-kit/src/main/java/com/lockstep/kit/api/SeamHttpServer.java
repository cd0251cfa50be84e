package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.auth.ApiKeyDirectory;
import com.lockstep.kit.auth.ApiKeys;
import com.lockstep.kit.consistency.PublicationBarrier;
import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.DatabaseUnavailableException;
import com.lockstep.kit.events.outbox.EventNotEncodedException;
import com.lockstep.kit.metrics.KitMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Serves every {@link SeamRoutes} bean's endpoints in Seam's wire format: parameters from a
 * query string or a JSON body, API-key auth scoped to one workspace, {@code {..., "ok": true}}
 * responses, and Seam-style errors with a {@code seam-request-id} header for every failure,
 * including bodies that are too large, unknown paths and wrong methods.
 */
@Singleton
public class SeamHttpServer {

    public static final String REQUEST_ID_HEADER = "seam-request-id";
    private static final Logger LOG = Logger.getLogger(SeamHttpServer.class);
    private static final String REQUEST_ID_KEY = "seam.request-id";
    private static final String PREPARED_KEY = "seam.prepared";
    private static final String FENCE_KEY = "seam.fence";
    /**
     * Operators' calls (a workspace and its first key, often on a platform still warming up: first
     * schema lookups, first producer connections) wait longer for publication than API calls.
     */
    private static final long ADMIN_CONSISTENCY_TIMEOUT_NANOS = Duration.ofSeconds(15).toNanos();
    /** The deadline of a request on the event loop, which must not wait for anything. */
    private static final long NON_BLOCKING = Long.MIN_VALUE;
    /** Larger bodies are parsed on a worker thread, not on the event loop. */
    private static final int MAX_NON_BLOCKING_BODY_BYTES = 64 * 1024;
    private static final CharSequence REQUEST_ID_HEADER_NAME = HttpHeaders.createOptimized(REQUEST_ID_HEADER);
    private static final CharSequence SERVER_TIMING = HttpHeaders.createOptimized("Server-Timing");
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private final Instance<SeamRoutes> routes;
    private final ApiKeyDirectory apiKeys;
    private final ObjectMapper mapper;
    private final RequestParser parser;
    private final long maxBodyBytes;
    private final Optional<String> adminToken;
    private final ReadFence fence;
    private final PublicationBarrier publication;
    private final long consistencyTimeoutNanos;
    private final KitMetrics metrics;

    public SeamHttpServer(Instance<SeamRoutes> routes, ApiKeyDirectory apiKeys, ObjectMapper mapper,
                          @ConfigProperty(name = "lockstep.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes,
                          @ConfigProperty(name = "lockstep.admin-token") Optional<String> adminToken,
                          ReadFence fence, PublicationBarrier publication,
                          @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S") Duration consistencyTimeout,
                          KitMetrics metrics) {
        this.metrics = metrics;
        this.routes = routes;
        this.fence = fence;
        this.publication = publication;
        this.consistencyTimeoutNanos = consistencyTimeout.toNanos();
        this.apiKeys = apiKeys;
        this.mapper = mapper;
        this.parser = new RequestParser(mapper);
        this.maxBodyBytes = maxBodyBytes;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    void register(@Observes Router router) {
        for (SeamRoutes service : routes) {
            for (Endpoint endpoint : service.endpoints()) {
                Route route = router.route(endpoint.path())
                        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                        .handler(ctx -> rejectWrongMethod(ctx, endpoint));
                if (endpoint.nonBlocking() != null) {
                    route.handler(ctx -> tryWithoutBlocking(ctx, endpoint));
                }
                if (fencesAlongside(endpoint)) {
                    route.handler(ctx -> beginFence(ctx, endpoint));
                }
                route.blockingHandler(ctx -> serve(ctx, endpoint), false)
                        .failureHandler(this::failure);
            }
        }
    }

    private void rejectWrongMethod(RoutingContext ctx, Endpoint endpoint) {
        ctx.put(REQUEST_ID_KEY, newRequestId());
        if (endpoint.methods().contains(ctx.request().method())) {
            ctx.next();
            return;
        }
        String allowed = endpoint.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        ctx.response().putHeader("Allow", allowed);
        writeError(ctx, new SeamException(405, "method_not_allowed",
                ctx.request().method().name() + " is not allowed on " + endpoint.path() + "; use " + allowed));
    }

    /** The caller's workspace and the request's parameters, once authenticated and parsed. */
    private record Prepared(UUID workspaceId, ObjectNode values) {
    }

    /**
     * On the event loop: the endpoint's non-blocking handler answers, or hands the request on
     * (already authenticated and parsed) to the blocking one.
     */
    private void tryWithoutBlocking(RoutingContext ctx, Endpoint endpoint) {
        if (ctx.body().length() > MAX_NON_BLOCKING_BODY_BYTES) {
            ctx.next();
            return;
        }
        Prepared prepared;
        try {
            prepared = prepare(ctx, endpoint, NON_BLOCKING);
            SeamResponse response = endpoint.nonBlocking().tryHandle(request(ctx, prepared));
            if (response != null) {
                write(ctx, response);
                return;
            }
        } catch (KeyNotReadYet e) {
            ctx.next();
            return;
        } catch (Exception e) {
            fail(ctx, endpoint, e);
            return;
        }
        ctx.put(PREPARED_KEY, prepared);
        ctx.next();
    }

    /** A read with no side effect runs while its fence's offset lookup is in flight, and again if it must. */
    private static boolean fencesAlongside(Endpoint endpoint) {
        return endpoint.access() == Access.API_KEY && endpoint.sideEffectFree();
    }

    /** On the event loop, as the request arrives: the fence starts before the request waits for a worker thread. */
    private void beginFence(RoutingContext ctx, Endpoint endpoint) {
        ctx.put(FENCE_KEY, fence.begin(endpoint.fencedTopics()));
        ctx.next();
    }

    /** What a handler answered, or the error it threw. */
    private record Result(SeamResponse response, Exception failure) {
    }

    private static Result handle(Endpoint endpoint, SeamRequest request) {
        try {
            return new Result(endpoint.handler().handle(request), null);
        } catch (Exception e) {
            return new Result(null, e);
        }
    }

    /**
     * Read-your-writes across contexts: an API request sees what this service's consumers had
     * applied of what was on Kafka when it arrived ({@link ReadFence}). A write waits for that
     * before it runs; a read runs at once, alongside the fence's offset lookup, and runs again if
     * the consumers turn out to have been behind (while events flow and they often are, it settles
     * the fence first, as a write does). Whatever a request did or showed, it answers only
     * once this service's outbox has published everything committed before the answer
     * ({@link PublicationBarrier}), so that any later request to any context sees it. Both share
     * one deadline, after which the answer is a Seam 503.
     */
    private void serve(RoutingContext ctx, Endpoint endpoint) {
        long deadline = System.nanoTime() + (endpoint.access() == Access.ADMIN ? ADMIN_CONSISTENCY_TIMEOUT_NANOS : consistencyTimeoutNanos);
        try {
            Prepared prepared = ctx.get(PREPARED_KEY);
            if (prepared == null) {
                prepared = prepare(ctx, endpoint, deadline);
            }
            long fenceNanos;
            Result result;
            if (fencesAlongside(endpoint) && fence.recentlyBehind()) {
                // Events are flowing: settling the fence first costs one run of the handler, not two.
                long fencing = System.nanoTime();
                fence.settle(ctx.get(FENCE_KEY), deadline);
                fenceNanos = System.nanoTime() - fencing;
                result = handle(endpoint, request(ctx, prepared));
            } else if (fencesAlongside(endpoint)) {
                ReadFence.Pending pending = ctx.get(FENCE_KEY);
                result = handle(endpoint, request(ctx, prepared));
                long settling = System.nanoTime();
                if (!fence.settle(pending, deadline)) {
                    result = handle(endpoint, request(ctx, prepared));
                }
                fenceNanos = System.nanoTime() - settling;
            } else {
                long arrived = System.nanoTime();
                if (endpoint.access() == Access.API_KEY) {
                    fence.await(deadline, endpoint.fencedTopics());
                }
                fenceNanos = System.nanoTime() - arrived;
                result = handle(endpoint, request(ctx, prepared));
            }
            long handled = System.nanoTime();
            if (result.failure() instanceof DatabaseUnavailableException) {
                // A 503 anyway, and asking the database again would only make it later.
                throw result.failure();
            }
            publication.await(deadline);
            long publicationNanos = System.nanoTime() - handled;
            metrics.waited(endpoint.path(), fenceNanos, publicationNanos);
            ctx.response().putHeader(SERVER_TIMING, serverTiming(fenceNanos, publicationNanos));
            if (result.failure() != null) {
                throw result.failure();
            }
            write(ctx, result.response());
        } catch (Exception e) {
            fail(ctx, endpoint, e);
        }
    }

    /** What the consistency waits cost this request, for benchmarks and operators (W3C Server-Timing). */
    private static String serverTiming(long fenceNanos, long publicationNanos) {
        return String.format(Locale.ROOT, "fence;dur=%.3f, publication;dur=%.3f", fenceNanos / 1e6, publicationNanos / 1e6);
    }

    /** {@code deadline}: when a blocking wait must give up; {@link #NON_BLOCKING} on the event loop. */
    private Prepared prepare(RoutingContext ctx, Endpoint endpoint, long deadline) throws Exception {
        UUID workspaceId = authenticate(ctx, endpoint.access(), deadline);
        HttpMethod method = ctx.request().method();
        ObjectNode values = (method == HttpMethod.GET || method == HttpMethod.DELETE) && ctx.body().length() <= 0
                ? parser.fromQuery(ctx.queryParams())
                : parser.fromBody(ctx.body().buffer());
        return new Prepared(workspaceId, values);
    }

    /** A request with its own {@link Params}: each handler that reads them starts afresh. */
    private static SeamRequest request(RoutingContext ctx, Prepared prepared) {
        String url = ctx.request().absoluteURI();
        int query = url.indexOf('?');
        return new SeamRequest(new Params(prepared.values()), prepared.workspaceId(), requestId(ctx),
                query < 0 ? url : url.substring(0, query));
    }

    private void fail(RoutingContext ctx, Endpoint endpoint, Exception failure) {
        if (failure instanceof SeamException e) {
            writeError(ctx, e);
        } else if (failure instanceof DatabaseUnavailableException e) {
            LOG.warnf("%s %s: database unavailable: %s", ctx.request().method(), endpoint.path(), e.getMessage());
            writeError(ctx, SeamException.serviceUnavailable("The service is temporarily unavailable; retry shortly"));
        } else if (failure instanceof EventNotEncodedException e) {
            LOG.warnf("%s %s: %s", ctx.request().method(), endpoint.path(), e.getMessage());
            writeError(ctx, SeamException.serviceUnavailable("The service cannot record events right now; retry shortly"));
        } else {
            LOG.errorf(failure, "%s %s failed (request %s)", ctx.request().method(), endpoint.path(), requestId(ctx));
            writeError(ctx, new SeamException(500, "internal_server_error", "Something went wrong on our side"));
        }
    }

    private UUID authenticate(RoutingContext ctx, Access access, long deadline) throws Exception {
        String authorization = ctx.request().getHeader("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (access == Access.ADMIN) {
            if (token == null || adminToken.isEmpty() || !constantTimeEquals(token, adminToken.get())) {
                throw SeamException.unauthorized("A valid admin token is required");
            }
            return null;
        }
        if (token == null || token.isEmpty()) {
            throw SeamException.unauthorized("Missing API key: send Authorization: Bearer seam_...");
        }
        if (!token.startsWith(ApiKeys.PREFIX)) {
            throw SeamException.unauthorized("Invalid API key");
        }
        String keyHash = ApiKeys.hash(token);
        Optional<UUID> workspace = apiKeys.workspaceOf(keyHash);
        if (workspace.isPresent()) {
            return workspace.get();
        }
        // Until the directory has read the whole key topic (a service starting), an unknown key may be a
        // valid one not read yet: 503, which clients retry, rather than a 401 they would believe.
        if (!apiKeys.caughtUp()) {
            throw SeamException.serviceUnavailable("The service is starting; retry shortly");
        }
        if (deadline == NON_BLOCKING) {
            throw KeyNotReadYet.INSTANCE;
        }
        // A key made just before this request may not have reached this replica: read the key topic to its end first.
        if (!apiKeys.awaitRead(fence.endOffsets(deadline), deadline)) {
            throw SeamException.serviceUnavailable("The service is catching up with API keys; retry shortly");
        }
        return apiKeys.workspaceOf(keyHash).orElseThrow(() -> SeamException.unauthorized("Invalid API key"));
    }

    /** On the event loop, an unknown key is decided on a worker thread, which may wait for the key topic. */
    private static final class KeyNotReadYet extends Exception {
        static final KeyNotReadYet INSTANCE = new KeyNotReadYet();

        private KeyNotReadYet() {
            super(null, null, false, false);
        }
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.statusCode() == 413) {
            writeError(ctx, new SeamException(413, "payload_too_large",
                    "Request body is larger than " + maxBodyBytes + " bytes"));
            return;
        }
        if (ctx.failure() != null) {
            LOG.errorf(ctx.failure(), "Request failed (request %s)", requestId(ctx));
        }
        int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
        writeError(ctx, new SeamException(status, status == 500 ? "internal_server_error" : "invalid_input",
                status == 500 ? "Something went wrong on our side" : "The request could not be read"));
    }

    /** Answers any path no service serves, in Seam's error shape. */
    void registerFallback(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE - 1).handler(ctx -> {
            if (ctx.request().path().startsWith("/q/")) {
                ctx.next();
                return;
            }
            ctx.put(REQUEST_ID_KEY, newRequestId());
            writeError(ctx, new SeamException(404, "endpoint_not_found", "No endpoint at " + ctx.request().path()));
        });
    }

    private void writeError(RoutingContext ctx, SeamException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("type", e.type());
        error.put("message", e.getMessage());
        if (e.validationErrors() != null) {
            error.set("validation_errors", e.validationErrors());
        }
        error.put("request_id", requestId(ctx));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        body.put("ok", false);
        write(ctx, e.status(), body);
    }

    private void write(RoutingContext ctx, SeamResponse response) {
        Buffer rendered = response.renderedBody();
        if (rendered != null) {
            send(ctx, 200, rendered);
        } else {
            write(ctx, 200, response.body());
        }
    }

    private void write(RoutingContext ctx, int status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException("Response could not be written", e);
        }
        send(ctx, status, Buffer.buffer(bytes));
    }

    private static void send(RoutingContext ctx, int status, Buffer body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(CONTENT_TYPE, APPLICATION_JSON)
                .putHeader(REQUEST_ID_HEADER_NAME, requestId(ctx))
                .end(body);
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID_KEY);
        if (id == null) {
            id = newRequestId();
            ctx.put(REQUEST_ID_KEY, id);
        }
        return id;
    }

    /**
     * A random (version 4) UUID. A request id names a request in logs and support tickets; it is
     * no secret, so it comes from the thread's own generator rather than from {@code SecureRandom},
     * whose shared generator every request would otherwise take a lock on.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
