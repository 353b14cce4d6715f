-- A source is public also when it corroborates a published event (Source.is_public()), so it
-- is queued when an event gains or loses it, and when such an event is published or
-- unpublished. Deleting an event deletes its rows here first, which queues them.

-- A row here names its source as an event's own does: queue.sql's function queues it.
CREATE TRIGGER corroboration_queued AFTER INSERT OR UPDATE OR DELETE
    ON treaties_event_other_sources
    FOR EACH ROW EXECUTE FUNCTION event_source_queued();

CREATE OR REPLACE FUNCTION corroborations_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_queue('source', source_id)
    FROM treaties_event_other_sources WHERE event_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER corroborations_requeued AFTER UPDATE ON treaties_event
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION corroborations_queued();
