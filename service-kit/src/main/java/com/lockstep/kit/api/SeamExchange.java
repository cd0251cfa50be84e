package com.lockstep.kit.api;

import io.vertx.ext.web.RoutingContext;

/** What the kit's filters learn about a request, kept on its Vert.x routing context for the later steps. */
final class SeamExchange {

    static final String REQUEST_ID = "seam.request-id";
    /** The method the request came with, before every request is matched as POST. */
    static final String METHOD = "seam.method";
    static final String RULES = "seam.rules";
    static final String WORKSPACE = "seam.workspace";
    static final String FENCE = "seam.fence";

    private SeamExchange() {
    }

    static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        if (id == null) {
            id = SeamRequestFilters.newRequestId();
            ctx.put(REQUEST_ID, id);
        }
        return id;
    }
}
