package com.lockstep.kit.events.inbox;

import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.kit.events.KitTestBed;
import com.lockstep.testkit.RealServers;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch's records of a partition taken away before they were applied are not acknowledged: the
 * partition may be back on this replica already, its commits counted afresh, and an acknowledgement
 * of records nobody applied would commit past them.
 */
class InboxAcknowledgementTest {

    private static final String TOPIC = "kit.acknowledgement";

    @Test
    void recordsOfAPartitionTakenAwayBeforeTheyWereAppliedAreNotAcknowledged() throws Exception {
        RealServers servers = RealServers.get();
        Database database = KitTestBed.migratedDatabase(servers, "kit_inbox_acknowledgement");
        Inbox inbox = new Inbox(database, new KafkaClients(servers.kafka().bootstrapServers(), servers.apicurio().url(), "kit-test"));
        EventSubscription subscription = EventSubscription.of("kit-test.acknowledgement", TOPIC);
        TopicPartition kept = new TopicPartition(TOPIC, 0);
        TopicPartition takenAway = new TopicPartition(TOPIC, 1);
        inbox.assigned(subscription.consumerGroup(), Map.of(kept, 0L, takenAway, 0L));
        inbox.revoked(subscription.consumerGroup(), List.of(takenAway));

        List<TopicPartition> acknowledged = new CopyOnWriteArrayList<>();
        KafkaCommitHandler commits = new KafkaCommitHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
                acknowledged.add(new TopicPartition(record.getTopic(), record.getPartition()));
                return Uni.createFrom().voidItem();
            }
        };
        ConsumerRecords<byte[], byte[]> polled = new ConsumerRecords<>(Map.of(
                kept, List.of(tombstone(kept, 0), tombstone(kept, 1)),
                takenAway, List.of(tombstone(takenAway, 0))));
        inbox.apply(subscription, new IncomingKafkaRecordBatch<>(polled, "acknowledgement", -1, commits, null, false, false))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(acknowledged).containsExactly(kept);
    }

    private static ConsumerRecord<byte[], byte[]> tombstone(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
                "key".getBytes(StandardCharsets.UTF_8), null);
    }
}
