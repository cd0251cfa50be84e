package com.lockstep.identity.api;

import com.lockstep.kit.api.AdminOnly;
import com.lockstep.kit.api.ReplayAdmin;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.events.replay.ReplayRunner;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * The operator's replay of identity-service's projections, behind the admin token: rebuilds one
 * ({@code consumer_group}) or all of them from the beginning of their topics. Every subscription of
 * this service is a projection, so this is the kit's consumer-group replay under its older path.
 */
@Path("/admin/identity_service/projections")
@AdminOnly
@SeamApi
public class ProjectionAdminResource {

    private final ReplayRunner projections;

    public ProjectionAdminResource(ReplayRunner projections) {
        this.projections = projections;
    }

    @POST
    @Path("/list")
    public SeamResponse list(SeamRequest request) {
        return ReplayAdmin.list(projections);
    }

    @POST
    @Path("/replay")
    public SeamResponse replay(SeamRequest request) throws Exception {
        return ReplayAdmin.replay(request, projections);
    }
}
