-- A source is public also when it corroborates a published event, so it is queued when an
-- event gains or loses it, and when such an event is published or unpublished. Deleting an
-- event deletes its rows here first, which queues them. (Migration 0004, public_sources.sql,
-- drops these triggers: a source is queued when its own `public` column changes.)

-- A link added, moved or removed queues its source (queue.sql's function, as for an event's
-- own source), once its event is locked: a link does not lock its event otherwise, so the
-- event's publication in another transaction could miss the uncommitted link, and the link's
-- sender read the event before its publication. Locked, the one waits for the other, which
-- then sees it. PostgreSQL fires a row's triggers in the order of their names: the lock
-- (corroboration_event_locked) before the queueing (corroboration_queued). Events before
-- sources, as in the trigger below.
CREATE OR REPLACE FUNCTION corroboration_event_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM opensearch_backend_fedindex) THEN
        PERFORM FROM treaties_event
        WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.event_id END,
                     CASE WHEN TG_OP <> 'DELETE' THEN NEW.event_id END)
        ORDER BY id FOR NO KEY UPDATE;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER corroboration_event_locked AFTER INSERT OR UPDATE OR DELETE
    ON treaties_event_other_sources
    FOR EACH ROW EXECUTE FUNCTION corroboration_event_locked();
CREATE TRIGGER corroboration_queued AFTER INSERT OR UPDATE OR DELETE
    ON treaties_event_other_sources
    FOR EACH ROW EXECUTE FUNCTION event_source_queued();

-- The sources in id order, so that two events sharing them lock them in the same order.
CREATE OR REPLACE FUNCTION corroborations_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_queue('source', source_id)
    FROM (SELECT source_id FROM treaties_event_other_sources
          WHERE event_id = NEW.id ORDER BY source_id) AS corroborating;
    RETURN NULL;
END $$;

CREATE TRIGGER corroborations_requeued AFTER UPDATE ON treaties_event
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION corroborations_queued();

-- Sources already in an index that corroborate a published event were sent as not public.
SELECT search_queue('source', source_id)
FROM (SELECT DISTINCT source_id FROM treaties_event_other_sources ORDER BY source_id) AS linked;
