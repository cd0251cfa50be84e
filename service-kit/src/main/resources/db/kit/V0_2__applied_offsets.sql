-- Where each consumer group has applied its topics: the offset of the next record to apply, per
-- topic-partition, written in the same transaction as the effects (never ahead of them). A read
-- fences on it: it waits until the service's groups have applied the topics' end offsets as of
-- the read's arrival. Stored, not only kept in memory, so that a replica can fence on partitions
-- another replica consumes.
CREATE TABLE applied_offset (
    consumer_group TEXT   NOT NULL,
    topic          TEXT   NOT NULL,
    partition      INT    NOT NULL,
    next_offset    BIGINT NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition)
);
