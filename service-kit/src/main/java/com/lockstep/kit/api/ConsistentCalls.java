package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.consistency.PublicationBarrier;
import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.DatabaseUnavailableException;
import com.lockstep.kit.metrics.KitMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Locale;

/**
 * Read-your-writes across contexts: an API request sees what this service's consumers had
 * applied of what was on Kafka when it arrived ({@link ReadFence}). A write waits for that
 * before it runs; a read runs at once, alongside the fence's offset lookup begun as the request
 * arrived ({@link SeamRequestFilters}), and runs again if the consumers turn out to have been
 * behind (while events flow and they often are, it settles the fence first, as a write does).
 * Whatever a request did or showed, it answers only once this service's outbox has published
 * everything committed before the answer ({@link PublicationBarrier}), so that any later request
 * to any context sees it. Each wait ends at its own deadline, after which the answer is a Seam
 * 503: the fence's counts from the request's start, the publication's from the handler's end, so
 * that a handler slowed down (a cold start, a row lock) does not leave its events too little time.
 * A write answered 503 after it committed invites the client to retry it, and so to repeat it.
 */
@Singleton
@KitApi
public class ConsistentCalls {

    /** A resource method's body, which may run more than once (a read), each time with fresh {@link Params}. */
    @FunctionalInterface
    public interface Handler {
        SeamResponse handle(SeamRequest request) throws Exception;
    }

    /**
     * Operators' calls (a workspace and its first key, often on a platform still warming up: first
     * schema lookups, first producer connections) wait longer for publication than API calls.
     */
    private static final long ADMIN_CONSISTENCY_TIMEOUT_NANOS = Duration.ofSeconds(15).toNanos();
    private static final CharSequence SERVER_TIMING = HttpHeaders.createOptimized("Server-Timing");

    private final ReadFence fence;
    private final PublicationBarrier publication;
    private final long consistencyTimeoutNanos;
    private final KitMetrics metrics;

    public ConsistentCalls(ReadFence fence, PublicationBarrier publication,
                           @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S") Duration consistencyTimeout,
                           KitMetrics metrics) {
        this.fence = fence;
        this.publication = publication;
        this.consistencyTimeoutNanos = consistencyTimeout.toNanos();
        this.metrics = metrics;
    }

    /**
     * For a non-blocking resource method that cannot answer from memory: {@code handler} runs on a
     * worker thread, fenced as any blocking method is.
     */
    public Uni<SeamResponse> onWorker(SeamRequest request, Handler handler) {
        RoutingContext ctx = request.exchange();
        EndpointRules rules = ctx.get(SeamExchange.RULES);
        if (rules.fencesAlongside()) {
            ctx.put(SeamExchange.FENCE, fence.begin(rules.fencedTopics()));
        }
        return Uni.createFrom().item(() -> {
            try {
                return call(ctx, rules, request.again(), handler);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** What a handler answered, or the error it threw. */
    private record Result(SeamResponse response, Exception failure) {
    }

    private static Result handle(Handler handler, SeamRequest request) {
        try {
            return new Result(handler.handle(request), null);
        } catch (Exception e) {
            return new Result(null, e);
        }
    }

    SeamResponse call(RoutingContext ctx, EndpointRules rules, SeamRequest request, Handler handler) throws Exception {
        long timeoutNanos = rules.admin() ? ADMIN_CONSISTENCY_TIMEOUT_NANOS : consistencyTimeoutNanos;
        long deadline = System.nanoTime() + timeoutNanos;
        long fenceNanos;
        Result result;
        if (rules.fencesAlongside() && fence.recentlyBehind()) {
            // Events are flowing: settling the fence first costs one run of the handler, not two.
            long fencing = System.nanoTime();
            fence.settle(ctx.get(SeamExchange.FENCE), deadline);
            fenceNanos = System.nanoTime() - fencing;
            result = handle(handler, request);
        } else if (rules.fencesAlongside()) {
            ReadFence.Pending pending = ctx.get(SeamExchange.FENCE);
            result = handle(handler, request);
            long settling = System.nanoTime();
            if (!fence.settle(pending, deadline)) {
                metrics.ranAgain(ctx.request().path());
                result = handle(handler, request.again());
            }
            fenceNanos = System.nanoTime() - settling;
        } else {
            long arrived = System.nanoTime();
            if (!rules.admin()) {
                fence.await(deadline, rules.fencedTopics());
            }
            fenceNanos = System.nanoTime() - arrived;
            result = handle(handler, request);
        }
        long handled = System.nanoTime();
        if (result.failure() instanceof DatabaseUnavailableException) {
            // A 503 anyway, and asking the database again would only make it later.
            throw result.failure();
        }
        publication.await(handled + timeoutNanos);
        long publicationNanos = System.nanoTime() - handled;
        metrics.waited(ctx.request().path(), fenceNanos, publicationNanos);
        ctx.response().putHeader(SERVER_TIMING, serverTiming(fenceNanos, publicationNanos));
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.response();
    }

    /** What the consistency waits cost this request, for benchmarks and operators (W3C Server-Timing). */
    private static String serverTiming(long fenceNanos, long publicationNanos) {
        return String.format(Locale.ROOT, "fence;dur=%.3f, publication;dur=%.3f", fenceNanos / 1e6, publicationNanos / 1e6);
    }
}
