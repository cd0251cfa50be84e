package com.lockstep.kit.events.replay;

import com.lockstep.kit.KitApi;
import com.lockstep.kit.consistency.AppliedOffsets;
import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.Subscription;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads any of a service's {@link Subscription}s again from the beginning of its topics, while
 * its channel waits: for a rebuildable projection, empty its tables, its processed_event rows and
 * its applied offsets in one transaction (reads wait until the rebuild has caught up, rather than
 * see it half done), then apply every record up to the topics' end offsets when the replay began
 * ({@link Inbox#replay}). The group's committed offsets do not move: the channel goes on from them,
 * and finds what the replay applied in the inbox.
 * <p>
 * With several replicas, the others' consumers must be stopped first: a replica applying newer
 * events while the replay applies older ones would leave the projection behind.
 */
@KitApi
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** What one replay did. */
    public record Replay(String consumerGroup, List<String> topics, long recordsToReplay, Duration took) {
    }

    /** The group has members on other replicas. */
    public static class GroupInUseException extends Exception {
        public GroupInUseException(String consumerGroup) {
            super("Consumer group " + consumerGroup + " has members of other replicas; stop them and retry", null, false, false);
        }
    }

    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Set<String> replaying = ConcurrentHashMap.newKeySet();
    private final KafkaClients clients;
    private final Database database;
    private final Inbox inbox;

    /** Reads fence on every group it runs ({@code fence}). */
    public ReplayRunner(Iterable<? extends Subscription> subscriptions, KafkaClients clients, Database database, Inbox inbox,
                        ReadFence fence) {
        subscriptions.forEach(subscription -> {
            this.subscriptions.put(subscription.consumerGroup(), subscription);
            fence.track(subscription.consumerGroup(), subscription.topics());
        });
        this.clients = clients;
        this.database = database;
        this.inbox = inbox;
    }

    public Set<String> consumerGroups() {
        return subscriptions.keySet();
    }

    /** True while a consumer group is being replayed: a projection may be incomplete. */
    public boolean replaying() {
        return !replaying.isEmpty();
    }

    /** Reads {@code consumerGroup}'s topics again from the beginning (rebuilding it, if it is a projection). */
    public synchronized Replay replay(String consumerGroup) throws Exception {
        Subscription subscription = Optional.ofNullable(subscriptions.get(consumerGroup))
                .orElseThrow(() -> new IllegalArgumentException("No consumer group " + consumerGroup));
        Instant started = Instant.now();
        replaying.add(consumerGroup);
        try (Admin admin = clients.admin()) {
            if (hasOtherMembers(admin, consumerGroup)) {
                throw new GroupInUseException(consumerGroup);
            }
            Map<TopicPartition, Long> earliest = offsets(admin, subscription.topics(), OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(admin, subscription.topics(), OffsetSpec.latest());
            if (subscription.rebuildable()) {
                database.inTransaction(tx -> {
                    subscription.clear(tx);
                    AppliedOffsets.reset(tx, consumerGroup);
                    try (PreparedStatement forget = tx.prepareStatement("DELETE FROM processed_event WHERE consumer = ?")) {
                        forget.setString(1, consumerGroup);
                        forget.executeUpdate();
                    }
                    return null;
                });
            }
            long records = inbox.replay(subscription, earliest, end);
            Replay replay = new Replay(consumerGroup, subscription.topics(), records, Duration.between(started, Instant.now()));
            LOG.infof("Replayed %s: %d records in %d ms", consumerGroup, records, replay.took().toMillis());
            return replay;
        } finally {
            replaying.remove(consumerGroup);
        }
    }

    /** A static member is known by its instance id; without one, this replica's channel is the one member it may have. */
    private boolean hasOtherMembers(Admin admin, String consumerGroup) throws Exception {
        List<MemberDescription> members = List.copyOf(admin.describeConsumerGroups(List.of(consumerGroup)).all()
                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(consumerGroup).members());
        return clients.instanceId()
                .map(id -> members.stream().anyMatch(member -> !member.groupInstanceId().equals(Optional.of(id))))
                .orElse(members.size() > 1);
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<String> topics, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .forEach((topic, description) -> description.partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), spec)));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
