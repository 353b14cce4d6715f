-- The search documents of events and sources, kept current by triggers in the same transaction
-- as the change, like the statements' (summaries.sql):
--
-- * treaties_event.search_vector: its title, description and place, the names and every alias
--   of the actors involved, and the names of its treaties;
-- * treaties_source.search_vector: its title and author, and its outlet's names and aliases.
--
-- So a search word is one full-text condition per table, which its GIN index answers alone,
-- instead of a full-text match ORed with subqueries over actors, aliases and treaties.

-- The actors' and the treaties' names they fold in: names.sql.

CREATE OR REPLACE FUNCTION event_document(e treaties_event) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('public.armscontrol', coalesce(e.title, '')), 'A')
        || setweight(to_tsvector('public.armscontrol', coalesce(e.description, '')), 'B')
        || setweight(to_tsvector('public.armscontrol', event_actor_names(e.id)), 'B')
        || setweight(to_tsvector('public.armscontrol', coalesce(e.location, '')), 'C')
        || setweight(to_tsvector('public.armscontrol', event_treaty_names(e.id)), 'C')
$$;

CREATE OR REPLACE FUNCTION source_document(s treaties_source) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('public.armscontrol', coalesce(s.title, '')), 'A')
        || setweight(to_tsvector('public.armscontrol', coalesce(s.author, '')), 'B')
        || setweight(to_tsvector('public.armscontrol',
                                 CASE WHEN s.outlet_id IS NULL THEN ''
                                      ELSE statement_speaker_names(s.outlet_id) END), 'C')
$$;

CREATE OR REPLACE FUNCTION event_write_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := event_document(NEW);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION source_write_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := source_document(NEW);
    RETURN NEW;
END $$;

-- Any update of an event or a source recomputes its document ("SET search_vector = NULL" is
-- the way to ask for it).
CREATE TRIGGER event_document BEFORE INSERT OR UPDATE ON treaties_event
    FOR EACH ROW EXECUTE FUNCTION event_write_document();
CREATE TRIGGER source_document BEFORE INSERT OR UPDATE ON treaties_source
    FOR EACH ROW EXECUTE FUNCTION source_write_document();

-- An actor or a treaty linked to an event, unlinked, or relinked (a merge moves links to
-- the actor merged into).
CREATE OR REPLACE FUNCTION event_link_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE treaties_event SET search_vector = NULL WHERE id = OLD.event_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE treaties_event SET search_vector = NULL WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER event_actor_linked AFTER INSERT OR UPDATE OR DELETE ON treaties_event_actors
    FOR EACH ROW EXECUTE FUNCTION event_link_changed();
CREATE TRIGGER event_treaty_linked AFTER INSERT OR UPDATE OR DELETE ON treaties_event_treaties
    FOR EACH ROW EXECUTE FUNCTION event_link_changed();

-- An actor's names changed: the documents of the events involving it and the sources it
-- published.
CREATE OR REPLACE FUNCTION actor_documents_changed(actor bigint) RETURNS void
LANGUAGE sql AS $$
    UPDATE treaties_event SET search_vector = NULL
    WHERE id IN (SELECT event_id FROM treaties_event_actors WHERE actor_id = actor);
    UPDATE treaties_source SET search_vector = NULL WHERE outlet_id = actor;
$$;

CREATE OR REPLACE FUNCTION actor_renamed_in_documents() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actor_documents_changed(NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION alias_changed_in_documents() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM actor_documents_changed(OLD.actor_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.actor_id <> OLD.actor_id) THEN
        PERFORM actor_documents_changed(NEW.actor_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER actor_renamed_in_documents AFTER UPDATE OF name ON treaties_actor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION actor_renamed_in_documents();
CREATE TRIGGER alias_changed_in_documents AFTER INSERT OR DELETE ON treaties_actoralias
    FOR EACH ROW EXECUTE FUNCTION alias_changed_in_documents();
-- Only a new spelling or another actor matters, not the alias's language or note.
CREATE TRIGGER alias_edited_in_documents AFTER UPDATE OF name, actor_id ON treaties_actoralias
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.actor_id <> NEW.actor_id)
    EXECUTE FUNCTION alias_changed_in_documents();

CREATE OR REPLACE FUNCTION treaty_renamed_in_documents() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE treaties_event SET search_vector = NULL
    WHERE id IN (SELECT event_id FROM treaties_event_treaties WHERE treaty_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER treaty_renamed_in_documents AFTER UPDATE OF name, short_name ON treaties_treaty
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.short_name IS DISTINCT FROM NEW.short_name)
    EXECUTE FUNCTION treaty_renamed_in_documents();
