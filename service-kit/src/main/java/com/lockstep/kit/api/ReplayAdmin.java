package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.KitApi;
import com.lockstep.kit.events.replay.ReplayRunner;

import java.util.List;

/**
 * The operator's replay, behind the admin token, for the resources that serve it: {@code .../list}
 * names the consumer groups, {@code .../replay} reads one ({@code consumer_group}) or all of them
 * again from the beginning of their topics, and answers once they have caught up.
 */
@KitApi
public final class ReplayAdmin {

    private ReplayAdmin() {
    }

    public static SeamResponse list(ReplayRunner runner) {
        ArrayNode groups = JsonNodeFactory.instance.arrayNode();
        runner.consumerGroups().forEach(groups::add);
        return SeamResponse.of("consumer_groups", groups);
    }

    public static SeamResponse replay(SeamRequest request, ReplayRunner runner) throws Exception {
        Params params = request.params();
        String consumerGroup = params.optionalString("consumer_group");
        if (consumerGroup != null && !runner.consumerGroups().contains(consumerGroup)) {
            params.problem("consumer_group", "Invalid enum value. Expected "
                    + String.join(" | ", runner.consumerGroups().stream().map(g -> "'" + g + "'").toList())
                    + ", received '" + consumerGroup + "'");
        }
        params.validate();
        ArrayNode replays = JsonNodeFactory.instance.arrayNode();
        for (String group : consumerGroup == null ? List.copyOf(runner.consumerGroups()) : List.of(consumerGroup)) {
            ReplayRunner.Replay replay;
            try {
                replay = runner.replay(group);
            } catch (ReplayRunner.GroupInUseException e) {
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
