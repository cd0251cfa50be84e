package com.lockstep.kit.api;

import io.vertx.core.http.HttpMethod;

import java.util.Set;

/**
 * One path of the API. Seam serves every path with POST and a JSON body, and also with the
 * method its SDK uses (GET/DELETE with a query string, PUT/PATCH with a JSON body).
 *
 * <p>{@code handler} runs on a worker thread and may block (database calls). An endpoint may also
 * have a {@code nonBlocking} handler ({@link #withNonBlocking}), which is tried first, on the HTTP
 * event loop, after the same authentication and parameter parsing: it answers from memory, or
 * returns null to hand the request to {@code handler}.
 *
 * <p>{@code fencedTopics}: the consumed topics whose projections the answer depends on; the read
 * fence waits for those only. Null (the default) is every topic the service consumes.
 */
public record Endpoint(String path, Set<HttpMethod> methods, Access access, Handler handler, NonBlockingHandler nonBlocking,
                       Set<String> fencedTopics) {

    @FunctionalInterface
    public interface Handler {
        SeamResponse handle(SeamRequest request) throws Exception;
    }

    /**
     * Answers on the event loop without blocking (no I/O, no locks held for long), or returns null,
     * having changed nothing, when it cannot; the request then goes to the endpoint's blocking
     * {@link Handler} with fresh {@link Params}. Errors it throws ({@link SeamException}) are answered
     * as the blocking handler's are.
     */
    @FunctionalInterface
    public interface NonBlockingHandler {
        SeamResponse tryHandle(SeamRequest request) throws Exception;
    }

    public Endpoint(String path, Set<HttpMethod> methods, Access access, Handler handler) {
        this(path, methods, access, handler, null, null);
    }

    /** This endpoint, answering first with {@code nonBlocking} where it can. */
    public Endpoint withNonBlocking(NonBlockingHandler nonBlocking) {
        return new Endpoint(path, methods, access, handler, nonBlocking, fencedTopics);
    }

    /**
     * This endpoint, fencing only on {@code topics}: those whose projections its answer reads.
     * With none, it answers from rows no consumer writes and does not wait for consumers at all,
     * so a write is not held up by the lag of projections it never reads.
     */
    public Endpoint fencedOn(String... topics) {
        return new Endpoint(path, methods, access, handler, nonBlocking, Set.of(topics));
    }

    /** True for a read ({@link #read}): it changes nothing, so it may run more than once. */
    public boolean sideEffectFree() {
        return methods.contains(HttpMethod.GET);
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
