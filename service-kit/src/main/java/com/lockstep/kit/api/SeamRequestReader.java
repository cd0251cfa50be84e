package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.UUID;

/**
 * Binds a resource method's {@link SeamRequest} parameter: the parameters from the query string
 * (GET, and DELETE without a body, as the SDK sends them) or from the JSON body, whatever the
 * request's content type says, with the caller's workspace and the request id.
 */
@Provider
@Consumes(MediaType.WILDCARD)
public class SeamRequestReader implements MessageBodyReader<SeamRequest> {

    private final CurrentVertxRequest currentRequest;
    private final RequestParser parser;

    public SeamRequestReader(CurrentVertxRequest currentRequest, ObjectMapper mapper) {
        this.currentRequest = currentRequest;
        this.parser = new RequestParser(mapper);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == SeamRequest.class;
    }

    @Override
    public SeamRequest readFrom(Class<SeamRequest> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                                MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        RoutingContext ctx = currentRequest.getCurrent();
        String method = ctx.get(SeamExchange.METHOD);
        ObjectNode values;
        if (HttpMethod.GET.equals(method)) {
            // Quarkus REST does not buffer a GET's body, so reading one on the event loop would block.
            values = parser.fromQuery(queryParams(ctx));
        } else {
            byte[] bytes = body.readAllBytes();
            values = HttpMethod.DELETE.equals(method) && bytes.length == 0 ? parser.fromQuery(queryParams(ctx)) : parser.fromBody(bytes);
        }
        String url = ctx.request().absoluteURI();
        int query = url.indexOf('?');
        UUID workspace = ctx.get(SeamExchange.WORKSPACE);
        return new SeamRequest(new Params(values), workspace, SeamExchange.requestId(ctx), query < 0 ? url : url.substring(0, query));
    }

    /** Vert.x decodes the query string when first asked, and refuses a broken percent-encoding then. */
    private static MultiMap queryParams(RoutingContext ctx) {
        try {
            return ctx.queryParams();
        } catch (RuntimeException e) {
            throw SeamException.invalidInput("The query string could not be decoded", null);
        }
    }
}
