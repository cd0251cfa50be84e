package com.lockstep.identity.api;

import com.lockstep.identity.events.incoming.ProjectionRunner;
import com.lockstep.kit.api.Endpoint;
import com.lockstep.kit.api.ReplayAdmin;
import com.lockstep.kit.api.SeamRoutes;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The operator's replay of identity-service's projections, behind the admin token: rebuilds one
 * ({@code consumer_group}) or all of them from the beginning of their topics.
 */
@ApplicationScoped
public class ProjectionAdminRoutes implements SeamRoutes {

    private final ProjectionRunner projections;

    public ProjectionAdminRoutes(ProjectionRunner projections) {
        this.projections = projections;
    }

    @Override
    public List<Endpoint> endpoints() {
        return ReplayAdmin.endpoints("/admin/identity_service/projections", projections);
    }
}
