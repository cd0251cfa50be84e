package com.lockstep.kit.api;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.HttpMethod;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a resource method's annotations say about serving it: the HTTP methods it takes, who may
 * call it, whether it is a read, which topics it fences on and whether it runs on the event loop.
 *
 * @param fencedTopics null: every topic the service consumes
 */
record EndpointRules(Set<String> methods, boolean admin, boolean read, Set<String> fencedTopics, boolean nonBlocking) {

    private static final Map<Method, EndpointRules> BY_METHOD = new ConcurrentHashMap<>();

    static EndpointRules of(Method method) {
        return BY_METHOD.computeIfAbsent(method, EndpointRules::read);
    }

    private static EndpointRules read(Method method) {
        Set<String> methods = new TreeSet<>(Set.of(HttpMethod.POST));
        SdkMethod sdkMethod = method.getAnnotation(SdkMethod.class);
        if (sdkMethod != null) {
            methods.add(sdkMethod.value());
        }
        FencedOn fencedOn = method.getAnnotation(FencedOn.class);
        return new EndpointRules(Set.copyOf(methods),
                method.isAnnotationPresent(AdminOnly.class) || method.getDeclaringClass().isAnnotationPresent(AdminOnly.class),
                methods.contains(HttpMethod.GET),
                fencedOn == null ? null : Set.copyOf(Arrays.asList(fencedOn.value())),
                method.isAnnotationPresent(NonBlocking.class));
    }

    /** A read with no side effect runs while its fence's offset lookup is in flight, and again if it must. */
    boolean fencesAlongside() {
        return !admin && read;
    }

    String allowed() {
        return String.join(", ", new TreeSet<>(methods));
    }
}
