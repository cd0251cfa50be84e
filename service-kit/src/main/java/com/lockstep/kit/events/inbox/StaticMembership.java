package com.lockstep.kit.events.inbox;

import com.lockstep.kit.events.KafkaClients;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes every channel's consumer a static member named after this replica
 * ({@code lockstep.kafka.instance-id}), so that a replica restarted after a crash takes its
 * partitions back at once; and, on a clean shutdown, removes it from its groups, which the
 * connector's close does not do for a static member, so that another replica takes its partitions
 * at once instead of after the session timeout.
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {

    private static final Logger LOG = Logger.getLogger(StaticMembership.class);

    private final KafkaClients clients;
    private final Instance<Subscription> subscriptions;

    public StaticMembership(KafkaClients clients, Instance<Subscription> subscriptions) {
        this.clients = clients;
        this.subscriptions = subscriptions;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (config.containsKey(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)) {
            clients.instanceId().ifPresent(id -> config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        }
        return config;
    }

    /** After the connector has closed its consumers (its own observer has priority 50). */
    void leave(@Observes @BeforeDestroyed(ApplicationScoped.class) @Priority(100) Object shutdown) {
        clients.instanceId().ifPresent(id -> {
            try (Admin admin = clients.admin()) {
                for (Subscription subscription : subscriptions) {
                    try {
                        admin.removeMembersFromConsumerGroup(subscription.consumerGroup(),
                                new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(id))))
                                .all().get(3, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.debugf("%s did not leave %s: %s", id, subscription.consumerGroup(), e.toString());
                    }
                }
            }
        });
    }
}
