package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.auth.ApiKeyDirectory;
import com.lockstep.kit.auth.ApiKeys;
import com.lockstep.kit.db.DatabaseUnavailableException;
import io.vertx.core.http.HttpMethod;
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
import java.util.Optional;
import java.util.UUID;
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

    private final Instance<SeamRoutes> routes;
    private final ApiKeyDirectory apiKeys;
    private final ObjectMapper mapper;
    private final RequestParser parser;
    private final long maxBodyBytes;
    private final Optional<String> adminToken;

    public SeamHttpServer(Instance<SeamRoutes> routes, ApiKeyDirectory apiKeys, ObjectMapper mapper,
                          @ConfigProperty(name = "lockstep.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes,
                          @ConfigProperty(name = "lockstep.admin-token") Optional<String> adminToken) {
        this.routes = routes;
        this.apiKeys = apiKeys;
        this.mapper = mapper;
        this.parser = new RequestParser(mapper);
        this.maxBodyBytes = maxBodyBytes;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    void register(@Observes Router router) {
        for (SeamRoutes service : routes) {
            for (Endpoint endpoint : service.endpoints()) {
                router.route(endpoint.path())
                        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                        .handler(ctx -> rejectWrongMethod(ctx, endpoint))
                        .blockingHandler(ctx -> serve(ctx, endpoint), false)
                        .failureHandler(this::failure);
            }
        }
    }

    private void rejectWrongMethod(RoutingContext ctx, Endpoint endpoint) {
        ctx.put(REQUEST_ID_KEY, UUID.randomUUID().toString());
        if (endpoint.methods().contains(ctx.request().method())) {
            ctx.next();
            return;
        }
        String allowed = endpoint.methods().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        ctx.response().putHeader("Allow", allowed);
        writeError(ctx, new SeamException(405, "method_not_allowed",
                ctx.request().method().name() + " is not allowed on " + endpoint.path() + "; use " + allowed));
    }

    private void serve(RoutingContext ctx, Endpoint endpoint) {
        try {
            UUID workspaceId = authenticate(ctx, endpoint.access());
            HttpMethod method = ctx.request().method();
            ObjectNode values = (method == HttpMethod.GET || method == HttpMethod.DELETE) && ctx.body().length() <= 0
                    ? parser.fromQuery(ctx.queryParams())
                    : parser.fromBody(ctx.body().buffer());
            String url = ctx.request().absoluteURI();
            int query = url.indexOf('?');
            SeamRequest request = new SeamRequest(new Params(values), workspaceId, requestId(ctx),
                    query < 0 ? url : url.substring(0, query));
            SeamResponse response = endpoint.handler().handle(request);
            write(ctx, 200, response.body());
        } catch (SeamException e) {
            writeError(ctx, e);
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("%s %s: database unavailable: %s", ctx.request().method(), endpoint.path(), e.getMessage());
            writeError(ctx, SeamException.serviceUnavailable("The service is temporarily unavailable; retry shortly"));
        } catch (Exception e) {
            LOG.errorf(e, "%s %s failed (request %s)", ctx.request().method(), endpoint.path(), requestId(ctx));
            writeError(ctx, new SeamException(500, "internal_server_error", "Something went wrong on our side"));
        }
    }

    private UUID authenticate(RoutingContext ctx, Access access) {
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
        return apiKeys.workspaceOf(ApiKeys.hash(token))
                .orElseThrow(() -> SeamException.unauthorized("Invalid API key"));
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
            ctx.put(REQUEST_ID_KEY, UUID.randomUUID().toString());
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

    private void write(RoutingContext ctx, int status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException("Response could not be written", e);
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader(REQUEST_ID_HEADER, requestId(ctx))
                .end(io.vertx.core.buffer.Buffer.buffer(bytes));
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID_KEY);
        if (id == null) {
            id = UUID.randomUUID().toString();
            ctx.put(REQUEST_ID_KEY, id);
        }
        return id;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
