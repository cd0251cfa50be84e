package com.lockstep.kit.runtime;

import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.Subscription;
import com.lockstep.kit.events.replay.ReplayRunner;

/** The service's {@link Subscription} beans, which reads fence on and the operator can replay. */
public class KitSubscriptions extends ReplayRunner {

    KitSubscriptions(Iterable<Subscription> subscriptions, KafkaClients clients, Database database, Inbox inbox, ReadFence fence) {
        super(subscriptions, clients, database, inbox, fence);
    }
}
