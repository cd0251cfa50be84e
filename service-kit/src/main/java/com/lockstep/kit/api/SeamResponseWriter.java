package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.jboss.resteasy.reactive.server.vertx.VertxResteasyReactiveRequestContext;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a {@link SeamResponse}: a JSON tree serialized once, or a body already rendered sent as it
 * is (a Vert.x buffer, which may be shared by many responses at once: it is not copied).
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class SeamResponseWriter implements ServerMessageBodyWriter<SeamResponse> {

    private final ObjectMapper mapper;
    /** Where recorded (tests), each answer is also checked against its method's {@link SeamAnswer}. */
    private final boolean checkAnswers;

    public SeamResponseWriter(ObjectMapper mapper,
                              @ConfigProperty(name = "lockstep.openapi.record-parameters", defaultValue = "false") boolean checkAnswers) {
        this.mapper = mapper;
        this.checkAnswers = checkAnswers;
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
        if (checkAnswers && context instanceof ResteasyReactiveRequestContext request) {
            checkAnswer(request.getResteasyReactiveResourceInfo(), response);
        }
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

    /** The keys of the answer written must be what the method's {@link SeamAnswer} says, which the OpenAPI document shows. */
    private void checkAnswer(ResteasyReactiveResourceInfo method, SeamResponse response) throws IOException {
        if (method == null || method.getResourceMethod() == null || method.getResourceMethod().isAnnotationPresent(AdminOnly.class)
                || method.getResourceClass().isAnnotationPresent(AdminOnly.class)) {
            return;
        }
        SeamAnswer answer = method.getResourceMethod().getAnnotation(SeamAnswer.class);
        Set<String> expected = new TreeSet<>(List.of("ok"));
        if (answer != null) {
            expected.add(answer.value());
            expected.addAll(List.of(answer.sameAs()));
            if (answer.paginated()) {
                expected.add("pagination");
            }
        }
        Set<String> written = new TreeSet<>();
        mapper.readTree(bytes(response)).fieldNames().forEachRemaining(written::add);
        if (!written.equals(expected)) {
            throw new IllegalStateException(method.getResourceMethod() + " answered " + written + ", its @SeamAnswer says " + expected);
        }
    }

    private byte[] bytes(SeamResponse response) throws IOException {
        Buffer rendered = response.renderedBody();
        return rendered != null ? rendered.getBytes() : mapper.writeValueAsBytes(response.body());
    }
}
