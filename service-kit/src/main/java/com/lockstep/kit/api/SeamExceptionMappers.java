package com.lockstep.kit.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.db.DatabaseUnavailableException;
import com.lockstep.kit.events.outbox.EventNotEncodedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure answered in Seam's error shape, {@code {"error": {"type", "message",
 * "validation_errors"?, "request_id"}, "ok": false}}: never a stack trace on the wire.
 */
public class SeamExceptionMappers {

    private static final Logger LOG = Logger.getLogger(SeamExceptionMappers.class);

    private final ObjectMapper mapper;

    public SeamExceptionMappers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    public Response seam(SeamException e, RoutingContext ctx) {
        return error(ctx, e);
    }

    @ServerExceptionMapper
    public Response databaseUnavailable(DatabaseUnavailableException e, RoutingContext ctx) {
        LOG.warnf("%s %s: database unavailable: %s", ctx.get(SeamExchange.METHOD), ctx.request().path(), e.getMessage());
        return error(ctx, SeamException.serviceUnavailable("The service is temporarily unavailable; retry shortly"));
    }

    @ServerExceptionMapper
    public Response eventNotEncoded(EventNotEncodedException e, RoutingContext ctx) {
        LOG.warnf("%s %s: %s", ctx.get(SeamExchange.METHOD), ctx.request().path(), e.getMessage());
        return error(ctx, SeamException.serviceUnavailable("The service cannot record events right now; retry shortly"));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, RoutingContext ctx) {
        return error(ctx, new SeamException(404, "endpoint_not_found", "No endpoint at " + ctx.request().path()));
    }

    /** What the HTTP layer refused before a resource method ran: a body too large, a content type it could not read. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, RoutingContext ctx) {
        int status = e.getResponse().getStatus();
        if (status == 413) {
            return error(ctx, new SeamException(413, "payload_too_large", "Request body is too large"));
        }
        if (status >= 400 && status < 500) {
            return error(ctx, new SeamException(status, "invalid_input", "The request could not be read"));
        }
        return unexpected(e, ctx);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext ctx) {
        LOG.errorf(e, "%s %s failed (request %s)", ctx.get(SeamExchange.METHOD), ctx.request().path(), SeamExchange.requestId(ctx));
        return error(ctx, new SeamException(500, "internal_server_error", "Something went wrong on our side"));
    }

    private Response error(RoutingContext ctx, SeamException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(errorBody(mapper, SeamExchange.requestId(ctx), e)).build();
    }

    static byte[] errorBody(ObjectMapper mapper, String requestId, SeamException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("type", e.type());
        error.put("message", e.getMessage());
        if (e.validationErrors() != null) {
            error.set("validation_errors", e.validationErrors());
        }
        error.put("request_id", requestId);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        body.put("ok", false);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
