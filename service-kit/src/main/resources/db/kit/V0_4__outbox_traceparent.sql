-- The W3C traceparent current when the row was appended: the relay publishes the event in that
-- trace, so one trace runs from the request (or the consumed event) to every consumer's effect.
ALTER TABLE outbox_event ADD COLUMN traceparent TEXT;
