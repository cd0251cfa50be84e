-- Transactional outbox: a change and the events it causes commit in one transaction;
-- the relay publishes rows in id order and deletes them once Kafka has acknowledged them.
CREATE TABLE outbox_event (
    id           BIGSERIAL PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    event_type   TEXT        NOT NULL,
    topic        TEXT        NOT NULL,
    message_key  TEXT        NOT NULL,
    -- Avro binary of the record and its full schema name; both null for a tombstone.
    schema_name  TEXT,
    payload      BYTEA,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Inbox: one row per event a consumer has applied, written in the same transaction as the
-- effect, so a redelivered or replayed event has no second effect.
CREATE TABLE processed_event (
    event_id     UUID        NOT NULL,
    consumer     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);
