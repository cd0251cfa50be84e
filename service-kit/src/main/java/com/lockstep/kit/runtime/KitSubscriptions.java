package com.lockstep.kit.runtime;

import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.replay.ReplayRunner;

import java.time.Duration;

/** The service's {@link EventSubscription} beans, run and replayed by the kit. */
public class KitSubscriptions extends ReplayRunner {

    KitSubscriptions(Iterable<EventSubscription> subscriptions, KafkaClients clients, Database database, Duration catchUpTimeout,
                     ReadFence fence) {
        super(subscriptions, clients, database, catchUpTimeout, fence);
    }
}
