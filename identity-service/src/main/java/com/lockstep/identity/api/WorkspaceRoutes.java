package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.identity.domain.Workspace;
import com.lockstep.identity.store.WorkspaceStore;
import com.lockstep.kit.api.Endpoint;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.api.SeamRoutes;
import com.lockstep.kit.db.Database;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** {@code /workspaces/get} and {@code /workspaces/list}: an API key sees the one workspace it belongs to. */
@ApplicationScoped
public class WorkspaceRoutes implements SeamRoutes {

    private final Database database;
    private final WorkspaceStore workspaces;

    public WorkspaceRoutes(Database database, WorkspaceStore workspaces) {
        this.database = database;
        this.workspaces = workspaces;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.read("/workspaces/get", this::get),
                Endpoint.read("/workspaces/list", this::list));
    }

    private SeamResponse get(SeamRequest request) throws Exception {
        return SeamResponse.of("workspace", WorkspaceJson.of(callersWorkspace(request)));
    }

    private SeamResponse list(SeamRequest request) throws Exception {
        return SeamResponse.of("workspaces", JsonNodeFactory.instance.arrayNode().add(WorkspaceJson.of(callersWorkspace(request))));
    }

    private Workspace callersWorkspace(SeamRequest request) throws Exception {
        return database.read(c -> workspaces.find(c, request.workspaceId()))
                .orElseThrow(() -> SeamException.notFound("workspace"));
    }
}
