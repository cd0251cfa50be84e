package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

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
public class SeamRequestReader implements ServerMessageBodyReader<SeamRequest> {

    private final RequestParser parser;
    private final boolean recordParameters;

    public SeamRequestReader(ObjectMapper mapper,
                             @ConfigProperty(name = "lockstep.openapi.record-parameters", defaultValue = "false") boolean recordParameters) {
        this.parser = new RequestParser(mapper);
        this.recordParameters = recordParameters;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return type == SeamRequest.class;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == SeamRequest.class;
    }

    /**
     * The request's Vert.x routing context comes from Quarkus REST's own request context, not from
     * CDI's {@code CurrentVertxRequest}, whose request scope would otherwise be started for every
     * request, the in-memory reads' too.
     */
    @Override
    public SeamRequest readFrom(Class<SeamRequest> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        RoutingContext ctx = ((ResteasyReactiveRequestContext) context).serverRequest().unwrap(RoutingContext.class);
        return read(ctx, context.getInputStream());
    }

    @Override
    public SeamRequest readFrom(Class<SeamRequest> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                                MultivaluedMap<String, String> headers, InputStream body) {
        throw new UnsupportedOperationException("Quarkus REST reads a SeamRequest with the server request's context");
    }

    private SeamRequest read(RoutingContext ctx, InputStream body) throws IOException {
        String method = ctx.get(SeamExchange.METHOD);
        ObjectNode values;
        if (HttpMethod.GET.equals(method)) {
            // Quarkus REST does not buffer a GET's body, so reading one on the event loop would block.
            values = parser.fromQuery(ctx.queryParams());
        } else {
            byte[] bytes = body.readAllBytes();
            values = HttpMethod.DELETE.equals(method) && bytes.length == 0 ? parser.fromQuery(ctx.queryParams()) : parser.fromBody(bytes);
        }
        String url = ctx.request().absoluteURI();
        int query = url.indexOf('?');
        UUID workspace = ctx.get(SeamExchange.WORKSPACE);
        DeclaredParameters declared = null;
        if (recordParameters) {
            DeclaredParameters read = new DeclaredParameters();
            ctx.addHeadersEndHandler(end -> ctx.response().putHeader(DeclaredParameters.HEADER, read.toJson()));
            declared = read;
        }
        return new SeamRequest(new Params(values, declared), workspace, SeamExchange.requestId(ctx),
                query < 0 ? url : url.substring(0, query), ctx);
    }
}
