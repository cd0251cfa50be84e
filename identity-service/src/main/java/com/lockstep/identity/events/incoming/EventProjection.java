package com.lockstep.identity.events.incoming;

import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.InboxConsumer;

import java.util.List;

/**
 * A projection of event topics, applied by the kit's {@link InboxConsumer}: each event's effect
 * commits with its processed_event row, poison goes to the dead-letter topic.
 */
abstract class EventProjection implements Projection {

    private final EventSubscription subscription;

    protected EventProjection(EventSubscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public String consumerGroup() {
        return subscription.consumerGroup();
    }

    @Override
    public List<String> topics() {
        return subscription.topics();
    }

    @Override
    public AutoCloseable start(KafkaClients clients, Database database) {
        return subscription.start(clients, database);
    }
}
