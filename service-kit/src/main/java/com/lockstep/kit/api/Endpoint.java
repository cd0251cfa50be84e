package com.lockstep.kit.api;

import io.vertx.core.http.HttpMethod;

import java.util.Set;

/**
 * One path of the API. Seam serves every path with POST and a JSON body, and also with the
 * method its SDK uses (GET/DELETE with a query string, PUT/PATCH with a JSON body).
 */
public record Endpoint(String path, Set<HttpMethod> methods, Access access, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        SeamResponse handle(SeamRequest request) throws Exception;
    }

    /** A read: POST or GET. */
    public static Endpoint read(String path, Handler handler) {
        return new Endpoint(path, Set.of(HttpMethod.POST, HttpMethod.GET), Access.API_KEY, handler);
    }

    /** A path whose SDK method is DELETE (sent with a query string); POST works too. */
    public static Endpoint delete(String path, Handler handler) {
        return new Endpoint(path, Set.of(HttpMethod.POST, HttpMethod.DELETE), Access.API_KEY, handler);
    }

    /** A path whose SDK method is PATCH; POST works too. */
    public static Endpoint patch(String path, Handler handler) {
        return new Endpoint(path, Set.of(HttpMethod.POST, HttpMethod.PATCH), Access.API_KEY, handler);
    }

    /** A path whose SDK method is PUT; POST works too. */
    public static Endpoint put(String path, Handler handler) {
        return new Endpoint(path, Set.of(HttpMethod.POST, HttpMethod.PUT), Access.API_KEY, handler);
    }

    /** A create or action that only takes POST. */
    public static Endpoint post(String path, Handler handler) {
        return new Endpoint(path, Set.of(HttpMethod.POST), Access.API_KEY, handler);
    }

    public static Endpoint admin(String path, Handler handler) {
        return new Endpoint(path, Set.of(HttpMethod.POST), Access.ADMIN, handler);
    }
}
