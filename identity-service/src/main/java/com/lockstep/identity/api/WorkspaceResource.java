package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.identity.domain.Workspace;
import com.lockstep.identity.store.WorkspaceRepository;
import com.lockstep.kit.api.SdkMethod;
import com.lockstep.kit.api.SeamAnswer;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.db.Database;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** {@code /workspaces/get} and {@code /workspaces/list}: an API key sees the one workspace it belongs to. */
@Path("/workspaces")
@SeamApi
public class WorkspaceResource {

    private final Database database;
    private final WorkspaceRepository workspaces;

    public WorkspaceResource(Database database, WorkspaceRepository workspaces) {
        this.database = database;
        this.workspaces = workspaces;
    }

    @POST
    @Path("/get")
    @SeamAnswer("workspace")
    @SdkMethod(HttpMethod.GET)
    public SeamResponse get(SeamRequest request) throws Exception {
        return SeamResponse.of("workspace", WorkspaceJson.of(callersWorkspace(request)));
    }

    @POST
    @Path("/list")
    @SeamAnswer(value = "workspaces", list = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse list(SeamRequest request) throws Exception {
        return SeamResponse.of("workspaces", JsonNodeFactory.instance.arrayNode().add(WorkspaceJson.of(callersWorkspace(request))));
    }

    private Workspace callersWorkspace(SeamRequest request) throws Exception {
        return database.read(() -> workspaces.findByIdOptional(request.workspaceId()))
                .orElseThrow(() -> SeamException.notFound("workspace"));
    }
}
