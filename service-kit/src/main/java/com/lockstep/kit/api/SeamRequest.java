package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * One call of an endpoint: its parameters, the caller's workspace (null for admin calls),
 * and what a paginated response needs to build {@code next_page_url}.
 */
@KitApi
public final class SeamRequest {

    private final Params params;
    private final UUID workspaceId;
    private final String requestId;
    private final String absoluteUrlWithoutQuery;
    /** The HTTP exchange it came with, for the kit's consistency waits. */
    private final RoutingContext exchange;

    SeamRequest(Params params, UUID workspaceId, String requestId, String absoluteUrlWithoutQuery, RoutingContext exchange) {
        this.params = params;
        this.workspaceId = workspaceId;
        this.requestId = requestId;
        this.absoluteUrlWithoutQuery = absoluteUrlWithoutQuery;
        this.exchange = exchange;
    }

    public Params params() {
        return params;
    }

    public UUID workspaceId() {
        return workspaceId;
    }

    public String requestId() {
        return requestId;
    }

    public String absoluteUrlWithoutQuery() {
        return absoluteUrlWithoutQuery;
    }

    RoutingContext exchange() {
        return exchange;
    }

    /** The same call with fresh {@link Params}, for a handler that runs again. */
    SeamRequest again() {
        return new SeamRequest(new Params(params.raw()), workspaceId, requestId, absoluteUrlWithoutQuery, exchange);
    }
}
