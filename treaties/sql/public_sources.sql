-- Whether a source is public (treaties_source.public), kept by triggers in the same transaction
-- as the change: a source is public while a published statement or event cites it, or it
-- corroborates a published event. Until then only drafts come from it, and its page, its
-- place in the sources' list and the search do not show it. A column, not three EXISTS per
-- query: the search and the lists filter on it as on any other column.

CREATE OR REPLACE FUNCTION source_is_public(source bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM treaties_statement
                   WHERE source_id = source AND status = 'published')
        OR EXISTS (SELECT FROM treaties_event WHERE source_id = source AND status = 'published')
        OR EXISTS (SELECT FROM treaties_event_other_sources link
                   JOIN treaties_event e ON e.id = link.event_id
                   WHERE link.source_id = source AND e.status = 'published')
$$;

-- Whatever Django sends is replaced: an admin form loaded before a statement was published
-- would otherwise write back its stale value. An update that leaves the flag as it is keeps
-- it (the flag is current: these triggers keep it so), which spares the three probes to
-- updates of many sources at once, such as an outlet's renaming (8,401 sources: 425 ms
-- with them, 300 without).
CREATE OR REPLACE FUNCTION source_write_public() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.public := source_is_public(NEW.id);
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER source_public BEFORE INSERT ON treaties_source
    FOR EACH ROW EXECUTE FUNCTION source_write_public();
CREATE OR REPLACE TRIGGER source_public_changed BEFORE UPDATE OF public ON treaties_source
    FOR EACH ROW WHEN (OLD.public IS DISTINCT FROM NEW.public)
    EXECUTE FUNCTION source_write_public();

-- The rows a source's publicity depends on do not lock it. So each change locks the sources
-- it touches first (in id order, so that two changes lock them in the same order) and only
-- then reads, in a statement of its own and so a snapshot taken after the lock: of two
-- transactions changing one source's records, the later one waits for the earlier to commit
-- and sees its change. Otherwise moving a published statement into a source while another
-- transaction unpublishes its only other one could leave the source hidden, each having read
-- the other's record as it was.
CREATE OR REPLACE FUNCTION sources_recheck_public(sources bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM treaties_source WHERE id = ANY (sources) ORDER BY id FOR NO KEY UPDATE;
    UPDATE treaties_source SET public = source_is_public(id)
    WHERE id = ANY (sources) AND public IS DISTINCT FROM source_is_public(id);
END $$;

-- A statement's or an event's own source, and when an event is published or unpublished,
-- the sources it is corroborated by. Deleting an event deletes its corroborations first
-- (Django's cascade), which recheck their sources below.
CREATE OR REPLACE FUNCTION record_sources_public() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sources_recheck_public(ARRAY[
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.source_id END,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.source_id END]
        || CASE WHEN TG_TABLE_NAME = 'treaties_event' AND TG_OP = 'UPDATE'
                     AND OLD.status IS DISTINCT FROM NEW.status
                THEN ARRAY(SELECT source_id FROM treaties_event_other_sources
                           WHERE event_id = NEW.id)
                ELSE '{}' END);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER statement_source_public AFTER INSERT OR DELETE ON treaties_statement
    FOR EACH ROW EXECUTE FUNCTION record_sources_public();
CREATE OR REPLACE TRIGGER statement_source_public_changed AFTER UPDATE OF status, source_id
    ON treaties_statement
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.source_id IS DISTINCT FROM NEW.source_id)
    EXECUTE FUNCTION record_sources_public();
CREATE OR REPLACE TRIGGER event_sources_public AFTER INSERT OR DELETE ON treaties_event
    FOR EACH ROW EXECUTE FUNCTION record_sources_public();
CREATE OR REPLACE TRIGGER event_sources_public_changed AFTER UPDATE OF status, source_id
    ON treaties_event
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.source_id IS DISTINCT FROM NEW.source_id)
    EXECUTE FUNCTION record_sources_public();

-- A corroboration added, moved or removed. Its event is locked first: the link does not lock
-- it otherwise, so the event's publication in another transaction would not see the
-- uncommitted link, nor the link's recheck the uncommitted publication. Locked, the one
-- waits for the other, which then sees it.
CREATE OR REPLACE FUNCTION corroboration_source_public() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM treaties_event
    WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.event_id END,
                 CASE WHEN TG_OP <> 'DELETE' THEN NEW.event_id END)
    ORDER BY id FOR NO KEY UPDATE;
    PERFORM sources_recheck_public(ARRAY[
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.source_id END,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.source_id END]);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER corroboration_source_public AFTER INSERT OR UPDATE OR DELETE
    ON treaties_event_other_sources
    FOR EACH ROW EXECUTE FUNCTION corroboration_source_public();

-- Every source's flag recomputed: after this file is first run, and after a bulk load with
-- the statements' triggers off (generate_data).
CREATE OR REPLACE FUNCTION rebuild_public_sources() RETURNS void
LANGUAGE sql AS $$
    UPDATE treaties_source SET public = source_is_public(id)
    WHERE public IS DISTINCT FROM source_is_public(id);
$$;
