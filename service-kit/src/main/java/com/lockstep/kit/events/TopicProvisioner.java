package com.lockstep.kit.events;

import com.lockstep.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates Lockstep's topics if they do not exist yet, with their intended settings
 * (compaction for state topics), so a fresh broker never auto-creates them with defaults.
 * On Kubernetes the same list is declared as manifests; creating an existing topic is a no-op.
 */
public final class TopicProvisioner {

    public static final int PARTITIONS = 3;

    private TopicProvisioner() {
    }

    public static void ensureTopics(KafkaClients clients, short replicationFactor) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String events : Topics.EVENT_TOPICS) {
            topics.add(new NewTopic(events, PARTITIONS, replicationFactor));
            topics.add(new NewTopic(Topics.deadLetterTopic(events), 1, replicationFactor));
        }
        for (String state : Topics.STATE_TOPICS) {
            topics.add(new NewTopic(state, PARTITIONS, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        try (Admin admin = clients.admin()) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
