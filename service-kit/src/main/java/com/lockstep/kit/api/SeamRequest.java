package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.util.UUID;

/**
 * One call of an endpoint: its parameters, the caller's workspace (null for admin calls),
 * and what a paginated response needs to build {@code next_page_url}.
 */
@KitApi
public record SeamRequest(Params params, UUID workspaceId, String requestId, String absoluteUrlWithoutQuery) {

    /** The same call with fresh {@link Params}, for a handler that runs again. */
    SeamRequest again() {
        return new SeamRequest(new Params(params.raw()), workspaceId, requestId, absoluteUrlWithoutQuery);
    }
}
