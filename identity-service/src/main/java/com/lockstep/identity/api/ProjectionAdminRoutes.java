package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.events.ProjectionRunner;
import com.lockstep.kit.api.Endpoint;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.api.SeamRoutes;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The operator's replay, behind the admin token: rebuilds one projection ({@code consumer_group})
 * or all of them from the beginning of their topics, and answers once they have caught up.
 */
@ApplicationScoped
public class ProjectionAdminRoutes implements SeamRoutes {

    private final ProjectionRunner projections;

    public ProjectionAdminRoutes(ProjectionRunner projections) {
        this.projections = projections;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.admin("/admin/identity_service/projections/list", this::list),
                Endpoint.admin("/admin/identity_service/projections/replay", this::replay));
    }

    private SeamResponse list(SeamRequest request) {
        ArrayNode groups = JsonNodeFactory.instance.arrayNode();
        projections.consumerGroups().forEach(groups::add);
        return SeamResponse.of("consumer_groups", groups);
    }

    private SeamResponse replay(SeamRequest request) throws Exception {
        Params params = request.params();
        String consumerGroup = params.optionalString("consumer_group");
        if (consumerGroup != null && !projections.consumerGroups().contains(consumerGroup)) {
            params.problem("consumer_group", "Invalid enum value. Expected "
                    + String.join(" | ", projections.consumerGroups().stream().map(g -> "'" + g + "'").toList())
                    + ", received '" + consumerGroup + "'");
        }
        params.validate();
        ArrayNode replays = JsonNodeFactory.instance.arrayNode();
        for (String group : consumerGroup == null ? List.copyOf(projections.consumerGroups()) : List.of(consumerGroup)) {
            ProjectionRunner.Replay replay;
            try {
                replay = projections.replay(group);
            } catch (ProjectionRunner.GroupInUseException e) {
                throw new SeamException(409, "consumer_group_in_use", e.getMessage());
            }
            ObjectNode json = replays.addObject();
            json.put("consumer_group", replay.consumerGroup());
            replay.topics().forEach(json.putArray("topics")::add);
            json.put("records_replayed", replay.recordsToReplay());
            json.put("duration_ms", replay.took().toMillis());
        }
        return SeamResponse.of("replays", replays);
    }
}
