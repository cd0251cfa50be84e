package com.lockstep.kit.api;

import com.lockstep.kit.auth.ApiKeyDirectory;
import com.lockstep.kit.auth.ApiKeys;
import com.lockstep.kit.consistency.ReadFence;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seam's rules for what a request may do, before its resource method runs: a request id for every
 * answer, every path taken with POST and with its SDK's method ({@link SdkMethod}), and API-key auth
 * scoped to one workspace (or the admin token, {@link AdminOnly}). A read's fence starts here, as the
 * request arrives, so that its offset lookup runs while the request waits for a worker thread.
 */
public class SeamRequestFilters {

    public static final String REQUEST_ID_HEADER = "seam-request-id";
    private static final CharSequence REQUEST_ID_HEADER_NAME = HttpHeaders.createOptimized(REQUEST_ID_HEADER);

    private final ApiKeyDirectory apiKeys;
    private final ReadFence fence;
    private final Optional<String> adminToken;
    private final long consistencyTimeoutNanos;

    public SeamRequestFilters(ApiKeyDirectory apiKeys, ReadFence fence,
                              @ConfigProperty(name = "lockstep.admin-token") Optional<String> adminToken,
                              @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S") Duration consistencyTimeout) {
        this.apiKeys = apiKeys;
        this.fence = fence;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
        this.consistencyTimeoutNanos = consistencyTimeout.toNanos();
    }

    /** Every request is matched as POST; the method it came with is kept for {@link #admit} and the body reader. */
    @ServerRequestFilter(preMatching = true, nonBlocking = true)
    public void arrive(ContainerRequestContext request, RoutingContext ctx) {
        String id = newRequestId();
        ctx.put(SeamExchange.REQUEST_ID, id);
        ctx.response().putHeader(REQUEST_ID_HEADER_NAME, id);
        ctx.put(SeamExchange.METHOD, request.getMethod());
        if (!HttpMethod.POST.equals(request.getMethod())) {
            request.setMethod(HttpMethod.POST);
        }
    }

    /** On the event loop; only a key not read yet is looked for on a worker thread, which may wait for the key topic. */
    @ServerRequestFilter(nonBlocking = true, priority = 1)
    public Uni<Void> admit(RoutingContext ctx, ResourceInfo resource) {
        EndpointRules rules = EndpointRules.of(resource.getResourceMethod());
        ctx.put(SeamExchange.RULES, rules);
        String method = ctx.get(SeamExchange.METHOD);
        if (!rules.methods().contains(method)) {
            ctx.response().putHeader("Allow", rules.allowed());
            throw new SeamException(405, "method_not_allowed",
                    method + " is not allowed on " + ctx.request().path() + "; use " + rules.allowed());
        }
        String token = bearerToken(ctx);
        if (rules.admin()) {
            if (token == null || adminToken.isEmpty() || !constantTimeEquals(token, adminToken.get())) {
                throw SeamException.unauthorized("A valid admin token is required");
            }
            return null;
        }
        if (token == null || token.isEmpty()) {
            throw SeamException.unauthorized("Missing API key: send Authorization: Bearer seam_...");
        }
        if (!token.startsWith(ApiKeys.PREFIX)) {
            throw SeamException.unauthorized("Invalid API key");
        }
        String keyHash = ApiKeys.hash(token);
        Optional<UUID> workspace = apiKeys.workspaceOf(keyHash);
        if (workspace.isPresent()) {
            ctx.put(SeamExchange.WORKSPACE, workspace.get());
            beginFence(ctx, rules);
            return null;
        }
        // Until the directory has read the whole key topic (a service starting), an unknown key may be a
        // valid one not read yet: 503, which clients retry, rather than a 401 they would believe.
        if (!apiKeys.caughtUp()) {
            throw SeamException.serviceUnavailable("The service is starting; retry shortly");
        }
        beginFence(ctx, rules);
        return Uni.createFrom().<Void>item(() -> {
            awaitKeyRead(ctx, keyHash);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A blocking read's fence begins as it arrives; a non-blocking one begins its own if it needs a worker thread. */
    private void beginFence(RoutingContext ctx, EndpointRules rules) {
        if (rules.fencesAlongside() && !rules.nonBlocking()) {
            ctx.put(SeamExchange.FENCE, fence.begin(rules.fencedTopics()));
        }
    }

    /** A key made just before this request may not have reached this replica: the key topic is read to its end first. */
    private void awaitKeyRead(RoutingContext ctx, String keyHash) {
        long deadline = System.nanoTime() + consistencyTimeoutNanos;
        try {
            if (!apiKeys.awaitRead(fence.endOffsets(deadline), deadline)) {
                throw SeamException.serviceUnavailable("The service is catching up with API keys; retry shortly");
            }
        } catch (SeamException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SeamException.serviceUnavailable("The service is stopping; retry shortly");
        } catch (Exception e) {
            throw SeamException.serviceUnavailable("The service cannot read API keys right now; retry shortly");
        }
        ctx.put(SeamExchange.WORKSPACE, apiKeys.workspaceOf(keyHash).orElseThrow(() -> SeamException.unauthorized("Invalid API key")));
    }

    private static String bearerToken(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    /**
     * A random (version 4) UUID. A request id names a request in logs and support tickets; it is
     * no secret, so it comes from the thread's own generator rather than from {@code SecureRandom},
     * whose shared generator every request would otherwise take a lock on.
     */
    public static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
