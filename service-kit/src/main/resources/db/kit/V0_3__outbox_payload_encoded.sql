-- Outbox rows hold each event as it goes on the wire (the registry serde's Avro binary behind its
-- schema's id), encoded once when appended, so the relay no longer needs the schema's name.
-- Rows written before hold bare Avro the relay can no longer publish: upgrade with a drained
-- outbox (stop the API, let the relay publish, then start the new version).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM outbox_event) THEN
        RAISE EXCEPTION 'outbox_event still holds rows in the old format: let the previous version publish them before upgrading';
    END IF;
END
$$;
ALTER TABLE outbox_event DROP COLUMN schema_name;
COMMENT ON COLUMN outbox_event.payload IS 'the event as published: registry serde bytes (schema id and Avro binary); null for a tombstone';
