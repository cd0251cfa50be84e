package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two answers given outside JAX-RS, in Seam's error shape: a body whose declared length is over
 * the limit (before Quarkus's own limit answers an empty 413), and a path no resource serves
 * (Quarkus's own {@code /q/} and the OpenAPI document excepted).
 */
@Singleton
public class SeamHttpRoutes {

    /** Before Quarkus's body-size check, which is at order -2. */
    private static final int BEFORE_BODY_SIZE_CHECK = -3;

    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    public SeamHttpRoutes(ObjectMapper mapper, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_BODY_SIZE_CHECK).handler(this::refuseOversizedBody);
        router.route().order(Integer.MAX_VALUE - 1).handler(this::unknownPath);
    }

    private void refuseOversizedBody(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBodyBytes) {
            write(ctx, new SeamException(413, "payload_too_large", "Request body is larger than " + maxBodyBytes + " bytes"));
            return;
        }
        ctx.next();
    }

    private void unknownPath(RoutingContext ctx) {
        if (ctx.request().path().startsWith("/q/") || ctx.request().path().startsWith("/openapi")) {
            ctx.next();
            return;
        }
        write(ctx, new SeamException(404, "endpoint_not_found", "No endpoint at " + ctx.request().path()));
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void write(RoutingContext ctx, SeamException e) {
        String requestId = SeamExchange.requestId(ctx);
        ctx.response().setStatusCode(e.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(SeamRequestFilters.REQUEST_ID_HEADER, requestId)
                .end(Buffer.buffer(SeamExceptionMappers.errorBody(mapper, requestId, e)));
    }
}
