-- Since treaties' migration 0015, whether a source is public is a column of its own, which
-- the treaties' triggers keep (treaties/sql/public_sources.sql). A source is queued when that
-- column changes, as for its document and date, so this app no longer needs to know what
-- makes a source public: the triggers that queued a source for its statements', events' and
-- corroborations' changes (queue.sql, corroboration.sql) are replaced or dropped here.

-- A statement queues itself only.
CREATE OR REPLACE FUNCTION statement_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_queue('statement', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END $$;

-- Its source no longer matters to the index: a move is queued by the source's flag, if any.
DROP TRIGGER statement_requeued ON treaties_statement;
CREATE TRIGGER statement_requeued AFTER UPDATE ON treaties_statement
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
                       OR OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION statement_queued();

DROP TRIGGER event_source_queued ON treaties_event;
DROP TRIGGER event_source_requeued ON treaties_event;
DROP TRIGGER corroboration_event_locked ON treaties_event_other_sources;
DROP TRIGGER corroboration_queued ON treaties_event_other_sources;
DROP TRIGGER corroborations_requeued ON treaties_event;
DROP FUNCTION event_source_queued(), corroboration_event_locked(), corroborations_queued();

DROP TRIGGER source_requeued ON treaties_source;
CREATE TRIGGER source_requeued AFTER UPDATE ON treaties_source
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
                       OR OLD.published_on IS DISTINCT FROM NEW.published_on
                       OR OLD.public IS DISTINCT FROM NEW.public)
    EXECUTE FUNCTION source_queued();

-- A source's row is locked by the update that queues it, so its queue id (the version
-- OpenSearch keeps) follows commit order without a lock of its own.
CREATE OR REPLACE FUNCTION search_queue(kind text, record bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF record IS NULL OR NOT EXISTS (SELECT FROM opensearch_backend_fedindex) THEN
        RETURN;
    END IF;
    INSERT INTO opensearch_backend_queued (kind, record_id) VALUES (kind, record);
END $$;
