package com.lockstep.device.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.store.AcsSystemRepository;
import com.lockstep.kit.api.Params;
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

import java.util.List;
import java.util.UUID;

/** {@code /acs/systems/get} and {@code /acs/systems/list}, as Seam serves them (the list is not paginated). */
@Path("/acs/systems")
@SeamApi
public class AcsSystemResource {

    private final Database database;
    private final AcsSystemRepository systems;

    public AcsSystemResource(Database database, AcsSystemRepository systems) {
        this.database = database;
        this.systems = systems;
    }

    @POST
    @Path("/get")
    @SeamAnswer("acs_system")
    @SdkMethod(HttpMethod.GET)
    public SeamResponse get(SeamRequest request) throws Exception {
        UUID acsSystemId = request.params().requiredUuid("acs_system_id");
        request.params().validate();
        AcsSystem system = database.read(() -> systems.find(request.workspaceId(), acsSystemId))
                .orElseThrow(() -> SeamException.notFound("acs_system"));
        return SeamResponse.of("acs_system", AcsSystemJson.of(system));
    }

    /** {@code customer_key} is checked and matches nothing: Lockstep has no customers. */
    @POST
    @Path("/list")
    @SeamAnswer(value = "acs_systems", list = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse list(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID connectedAccountId = params.optionalUuid("connected_account_id");
        String customerKey = params.optionalString("customer_key");
        String search = params.optionalString("search");
        if (search != null && search.isEmpty()) {
            params.problem("search", "String must contain at least 1 character(s)");
        }
        params.validate();
        List<AcsSystem> found = customerKey != null ? List.of()
                : database.read(() -> systems.list(request.workspaceId(), connectedAccountId, search));
        ArrayNode json = JsonNodeFactory.instance.arrayNode();
        found.forEach(system -> json.add(AcsSystemJson.of(system)));
        return SeamResponse.of("acs_systems", json);
    }
}
