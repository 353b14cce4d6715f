-- The queue of changes for OpenSearch (see opensearch_backend/__init__.py), filled in the same
-- transaction as each change, whoever makes it (the admin, a revert, the seed loader, a shell,
-- raw SQL), and only while an index is fed from this database (opensearch_backend_fedindex).
--
-- A statement is queued when its search document changes (the triggers of
-- treaties/sql/summaries.sql recompute it when its words, its speaker's names or aliases, or
-- its treaties' names change, at once or by the worker of treaties/sql/refold.sql), when it
-- is published or unpublished, moved to another date or source, created or deleted. A source
-- is queued when its document changes, and when a statement or an event citing it is
-- published, unpublished, created, deleted or moved to another source: only sources behind
-- published records are public. (Migration 0004, public_sources.sql, replaces that last part:
-- a source is queued when its own `public` column changes.)

CREATE OR REPLACE FUNCTION search_queue(kind text, record bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF record IS NULL OR NOT EXISTS (SELECT FROM opensearch_backend_fedindex) THEN
        RETURN;
    END IF;
    IF kind = 'source' THEN
        -- Whether a source is public changes with other rows (its statements and events),
        -- which do not lock it: locked here, the changes take their queue ids (the versions
        -- OpenSearch keeps, see indexing.actions()) in the order they commit.
        PERFORM FROM treaties_source WHERE id = record FOR NO KEY UPDATE;
    END IF;
    INSERT INTO opensearch_backend_queued (kind, record_id) VALUES (kind, record);
END $$;

CREATE OR REPLACE FUNCTION statement_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_queue('statement', OLD.id);
        PERFORM search_queue('source', OLD.source_id);
        RETURN NULL;
    END IF;
    PERFORM search_queue('statement', NEW.id);
    IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
       OR OLD.source_id IS DISTINCT FROM NEW.source_id THEN
        PERFORM search_queue('source', NEW.source_id);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.source_id IS DISTINCT FROM NEW.source_id THEN
        PERFORM search_queue('source', OLD.source_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER statement_queued AFTER INSERT OR DELETE ON treaties_statement
    FOR EACH ROW EXECUTE FUNCTION statement_queued();
CREATE TRIGGER statement_requeued AFTER UPDATE ON treaties_statement
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
                       OR OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.date IS DISTINCT FROM NEW.date
                       OR OLD.source_id IS DISTINCT FROM NEW.source_id)
    EXECUTE FUNCTION statement_queued();

CREATE OR REPLACE FUNCTION event_source_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM search_queue('source', OLD.source_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM search_queue('source', NEW.source_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER event_source_queued AFTER INSERT OR DELETE ON treaties_event
    FOR EACH ROW EXECUTE FUNCTION event_source_queued();
CREATE TRIGGER event_source_requeued AFTER UPDATE ON treaties_event
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.source_id IS DISTINCT FROM NEW.source_id)
    EXECUTE FUNCTION event_source_queued();

CREATE OR REPLACE FUNCTION source_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_queue('source', OLD.id);
    ELSE
        PERFORM search_queue('source', NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER source_queued AFTER INSERT OR DELETE ON treaties_source
    FOR EACH ROW EXECUTE FUNCTION source_queued();
CREATE TRIGGER source_requeued AFTER UPDATE ON treaties_source
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
                       OR OLD.published_on IS DISTINCT FROM NEW.published_on)
    EXECUTE FUNCTION source_queued();
