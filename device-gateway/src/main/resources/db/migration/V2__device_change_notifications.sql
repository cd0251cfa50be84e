-- Every committed change to a device notifies its workspace on the channel device_changed, so that
-- each replica's in-memory view of the workspace's devices (DeviceView) drops them and reads them
-- again: changes made by any process, including another replica or an operator's SQL, reach every
-- replica. PostgreSQL delivers a notification when its transaction commits (never for one rolled
-- back), and sends one per workspace however many rows a transaction changed.
CREATE FUNCTION notify_device_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('device_changed', OLD.workspace_id::text);
    ELSE
        PERFORM pg_notify('device_changed', NEW.workspace_id::text);
        IF TG_OP = 'UPDATE' AND NEW.workspace_id IS DISTINCT FROM OLD.workspace_id THEN
            PERFORM pg_notify('device_changed', OLD.workspace_id::text);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER device_changed AFTER INSERT OR UPDATE OR DELETE ON device
    FOR EACH ROW EXECUTE FUNCTION notify_device_changed();

-- TRUNCATE fires no row trigger: every workspace ('*').
CREATE FUNCTION notify_devices_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('device_changed', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER devices_truncated AFTER TRUNCATE ON device
    FOR EACH STATEMENT EXECUTE FUNCTION notify_devices_truncated();
