package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.ApiKey;
import com.lockstep.identity.domain.Workspace;
import com.lockstep.identity.events.outgoing.ApiKeyStateEvents;
import com.lockstep.identity.store.ApiKeyRepository;
import com.lockstep.identity.store.WorkspaceRepository;
import com.lockstep.kit.api.AdminOnly;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamJson;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.auth.ApiKeys;
import com.lockstep.kit.db.Database;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The operator's endpoints, behind the admin token: create a workspace with its first API key,
 * create more keys, revoke a key. A key is shown once, in the response that creates it.
 */
@Path("/admin")
@AdminOnly
@SeamApi
public class AdminResource {

    private final Database database;
    private final WorkspaceRepository workspaces;
    private final ApiKeyRepository apiKeys;
    private final ApiKeyStateEvents apiKeyEvents;

    public AdminResource(Database database, WorkspaceRepository workspaces, ApiKeyRepository apiKeys, ApiKeyStateEvents apiKeyEvents) {
        this.database = database;
        this.workspaces = workspaces;
        this.apiKeys = apiKeys;
        this.apiKeyEvents = apiKeyEvents;
    }

    @POST
    @Path("/workspaces/create")
    public SeamResponse createWorkspace(SeamRequest request) throws Exception {
        Params params = request.params();
        String name = params.requiredString("name");
        String companyName = params.optionalString("company_name");
        Boolean sandbox = params.optionalBoolean("is_sandbox");
        if (name != null && name.isBlank()) {
            params.problem("name", "String must contain at least 1 character(s)");
        }
        params.validate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Workspace workspace = new Workspace(UUID.randomUUID(), name, companyName == null ? name : companyName,
                sandbox == null || sandbox, false, false, JsonNodeFactory.instance.objectNode(), now);
        String key = ApiKeys.generate();
        ApiKey apiKey = new ApiKey(UUID.randomUUID(), workspace.workspaceId(), ApiKeys.hash(key), "default", now);
        database.inTransaction(tx -> {
            workspaces.persist(workspace);
            issue(tx, apiKey);
            return null;
        });
        return SeamResponse.of("workspace", WorkspaceJson.of(workspace)).with("api_key", apiKeyJson(apiKey, key));
    }

    @POST
    @Path("/api_keys/create")
    public SeamResponse createApiKey(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID workspaceId = params.requiredUuid("workspace_id");
        String name = params.optionalString("name");
        params.validate();
        String key = ApiKeys.generate();
        ApiKey apiKey = new ApiKey(UUID.randomUUID(), workspaceId, ApiKeys.hash(key), name,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        database.inTransaction(tx -> {
            workspaces.findByIdOptional(workspaceId).orElseThrow(() -> SeamException.notFound("workspace"));
            issue(tx, apiKey);
            return null;
        });
        return SeamResponse.of("api_key", apiKeyJson(apiKey, key));
    }

    /** Idempotent: revoking a revoked key succeeds and publishes nothing more. */
    @POST
    @Path("/api_keys/revoke")
    public SeamResponse revokeApiKey(SeamRequest request) throws Exception {
        UUID apiKeyId = request.params().requiredUuid("api_key_id");
        request.params().validate();
        database.inTransaction(tx -> {
            ApiKey key = apiKeys.lock(apiKeyId).orElseThrow(() -> SeamException.notFound("api_key"));
            if (!key.revoked()) {
                key.revoke(Instant.now());
                apiKeyEvents.revoked(tx, key);
            }
            return null;
        });
        return SeamResponse.ok();
    }

    private void issue(Connection tx, ApiKey apiKey) throws Exception {
        apiKeys.persist(apiKey);
        apiKeyEvents.created(tx, apiKey);
    }

    private static ObjectNode apiKeyJson(ApiKey apiKey, String key) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("api_key_id", apiKey.apiKeyId().toString());
        json.put("workspace_id", apiKey.workspaceId().toString());
        json.put("name", apiKey.name());
        json.put("token", key);
        json.put("created_at", SeamJson.timestamp(apiKey.createdAt()));
        return json;
    }
}
