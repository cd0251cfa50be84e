package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.jboss.resteasy.reactive.server.vertx.VertxResteasyReactiveRequestContext;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes a {@link SeamResponse}: a JSON tree serialized once, or a body already rendered sent as it
 * is (a Vert.x buffer, which may be shared by many responses at once: it is not copied).
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class SeamResponseWriter implements ServerMessageBodyWriter<SeamResponse> {

    private final ObjectMapper mapper;

    public SeamResponseWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return type == SeamResponse.class;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == SeamResponse.class;
    }

    @Override
    public void writeResponse(SeamResponse response, Type genericType, ServerRequestContext context) throws IOException {
        Buffer rendered = response.renderedBody();
        if (rendered != null && context.serverResponse() instanceof VertxResteasyReactiveRequestContext vertx) {
            vertx.end(rendered);
        } else {
            context.serverResponse().end(bytes(response));
        }
    }

    @Override
    public void writeTo(SeamResponse response, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        out.write(bytes(response));
    }

    private byte[] bytes(SeamResponse response) throws IOException {
        Buffer rendered = response.renderedBody();
        return rendered != null ? rendered.getBytes() : mapper.writeValueAsBytes(response.body());
    }
}
