-- What the database derives from statements, kept current by triggers in the same transaction
-- as the change, whoever makes it (the admin, a revert, the seed loader, a shell, raw SQL):
--
-- * treaties_statement.search_vector: the statement's words, its speaker's names and every
--   alias, and the names of the treaties it concerns, so one GIN lookup answers a search.
-- * treaties_statementtally: published statements counted by (speaker | all) x (treaty | all)
--   x (topic | all) and (speaker | all) x (treaty | all) x year, with the latest date; 0
--   stands for "all" in each key (so every key is an equality an index can use).
-- * treaties_treatystatement: (treaty, published statement, speaker, date), so that a treaty's
--   statements come in date order from one index.
--
-- Changes are applied as deltas: a statement published, unpublished or moved adds or takes
-- away its own rows; a treaty or topic link added or removed only the rows of that treaty or
-- topic. Each delta is computed from the links as they are at that moment, so any order of
-- steps (Django deletes links before the statement) sums to the right totals.
-- rebuild_statement_summaries() recomputes everything from scratch.

-- The search document ------------------------------------------------------------------

-- The speaker's and the treaties' names it folds in: names.sql.

CREATE OR REPLACE FUNCTION statement_document(s treaties_statement) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('public.armscontrol', coalesce(s.text, '')), 'A')
        || setweight(to_tsvector('public.armscontrol', coalesce(s.original_text, '')), 'B')
        || setweight(to_tsvector('public.armscontrol', statement_speaker_names(s.speaker_id)), 'B')
        || setweight(to_tsvector('public.armscontrol', coalesce(s.setting_detail, '')), 'C')
        || setweight(to_tsvector('public.armscontrol', statement_treaty_names(s.id)), 'C')
        || setweight(to_tsvector('public.armscontrol', coalesce(s.editor_note, '')), 'D')
$$;

CREATE OR REPLACE FUNCTION statement_write_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := statement_document(NEW);
    RETURN NEW;
END $$;

-- Any update of a statement recomputes its document ("SET search_vector = NULL" is the way
-- to ask for it).
CREATE TRIGGER statement_document BEFORE INSERT OR UPDATE ON treaties_statement
    FOR EACH ROW EXECUTE FUNCTION statement_write_document();

-- A changed name or alias folds the speaker's statements again, a renamed treaty its
-- statements. (Since migration 0012, refold.sql replaces the three functions below and the
-- alias trigger: a speaker or a treaty with many statements is folded again in batches,
-- after the change.)
CREATE OR REPLACE FUNCTION actor_name_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = NEW.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION alias_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = OLD.actor_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.actor_id <> OLD.actor_id) THEN
        UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = NEW.actor_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER actor_name_changed AFTER UPDATE OF name ON treaties_actor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION actor_name_changed();
CREATE TRIGGER alias_changed AFTER INSERT OR UPDATE OR DELETE ON treaties_actoralias
    FOR EACH ROW EXECUTE FUNCTION alias_changed();

CREATE OR REPLACE FUNCTION treaty_names_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE treaties_statement SET search_vector = NULL
    WHERE id IN (SELECT statement_id FROM treaties_statement_treaties WHERE treaty_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER treaty_names_changed AFTER UPDATE OF name, short_name ON treaties_treaty
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.short_name IS DISTINCT FROM NEW.short_name)
    EXECUTE FUNCTION treaty_names_changed();

-- Tallies and a treaty's statements ------------------------------------------------------

-- The latest published date for one tally row (0 is "all"), after a statement left it.
CREATE OR REPLACE FUNCTION tally_latest(speaker bigint, treaty bigint, topic bigint, yr int)
RETURNS date LANGUAGE sql STABLE AS $$
    SELECT max(s.date) FROM treaties_statement s
    WHERE s.status = 'published'
      AND (speaker = 0 OR s.speaker_id = speaker)
      AND (treaty = 0 OR EXISTS (SELECT 1 FROM treaties_statement_treaties link
                                 WHERE link.statement_id = s.id AND link.treaty_id = treaty))
      AND (topic = 0 OR EXISTS (SELECT 1 FROM treaties_statement_topics link
                                WHERE link.statement_id = s.id AND link.topic_id = topic))
      AND (yr = 0 OR s.date BETWEEN make_date(yr, 1, 1) AND make_date(yr, 12, 31))
$$;

-- The tally rows one published statement counts in (0 is "all"). With only_treaty or
-- only_topic, just the rows of that treaty or topic: those a link added or removed changes.
CREATE OR REPLACE FUNCTION statement_tally_keys(
    statement bigint, speaker bigint, day date, only_treaty bigint, only_topic bigint
) RETURNS TABLE (speaker_id bigint, treaty_id bigint, topic_id bigint, year smallint)
LANGUAGE sql STABLE AS $$
    WITH speakers(id) AS (VALUES (speaker), (0::bigint)),
    treaties(id) AS (
        SELECT only_treaty WHERE only_treaty IS NOT NULL
        UNION ALL SELECT 0::bigint WHERE only_treaty IS NULL
        UNION ALL SELECT link.treaty_id FROM treaties_statement_treaties link
                  WHERE only_treaty IS NULL AND link.statement_id = statement
    ),
    topics(id) AS (
        SELECT only_topic WHERE only_topic IS NOT NULL
        UNION ALL SELECT 0::bigint WHERE only_topic IS NULL
        UNION ALL SELECT link.topic_id FROM treaties_statement_topics link
                  WHERE only_topic IS NULL AND link.statement_id = statement
    )
    SELECT speakers.id, treaties.id, topics.id, 0::smallint FROM speakers, treaties, topics
    UNION ALL
    SELECT speakers.id, treaties.id, 0, extract(year FROM day)::smallint
    FROM speakers, treaties WHERE only_topic IS NULL
$$;

-- Adds (sign 1) or takes away (sign -1) one published statement's tally rows (see keys).
CREATE OR REPLACE FUNCTION statement_tally(
    statement bigint, speaker bigint, day date, sign int,
    only_treaty bigint DEFAULT NULL, only_topic bigint DEFAULT NULL
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF sign > 0 THEN
        INSERT INTO treaties_statementtally AS t
            (speaker_id, treaty_id, topic_id, year, statements, latest)
        SELECT k.speaker_id, k.treaty_id, k.topic_id, k.year, 1, day
        FROM statement_tally_keys(statement, speaker, day, only_treaty, only_topic) k
        ON CONFLICT (speaker_id, treaty_id, topic_id, year) DO UPDATE
        SET statements = t.statements + 1, latest = greatest(t.latest, EXCLUDED.latest);
        RETURN;
    END IF;
    UPDATE treaties_statementtally t SET statements = t.statements - 1
    FROM statement_tally_keys(statement, speaker, day, only_treaty, only_topic) k
    WHERE (t.speaker_id, t.treaty_id, t.topic_id, t.year)
        = (k.speaker_id, k.treaty_id, k.topic_id, k.year);
    DELETE FROM treaties_statementtally t
    USING statement_tally_keys(statement, speaker, day, only_treaty, only_topic) k
    WHERE (t.speaker_id, t.treaty_id, t.topic_id, t.year)
        = (k.speaker_id, k.treaty_id, k.topic_id, k.year)
      AND t.statements <= 0;
    -- The statement may have been the latest of a row it left: take the next latest.
    UPDATE treaties_statementtally t
    SET latest = coalesce(tally_latest(t.speaker_id, t.treaty_id, t.topic_id, t.year), t.latest)
    FROM statement_tally_keys(statement, speaker, day, only_treaty, only_topic) k
    WHERE (t.speaker_id, t.treaty_id, t.topic_id, t.year)
        = (k.speaker_id, k.treaty_id, k.topic_id, k.year)
      AND t.latest = day;
END $$;

CREATE OR REPLACE FUNCTION statement_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
        PERFORM statement_tally(OLD.id, OLD.speaker_id, OLD.date, -1);
        DELETE FROM treaties_treatystatement WHERE statement_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
        PERFORM statement_tally(NEW.id, NEW.speaker_id, NEW.date, 1);
        INSERT INTO treaties_treatystatement (treaty_id, statement_id, speaker_id, date)
        SELECT link.treaty_id, NEW.id, NEW.speaker_id, NEW.date
        FROM treaties_statement_treaties link WHERE link.statement_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER statement_counted AFTER INSERT OR DELETE ON treaties_statement
    FOR EACH ROW EXECUTE FUNCTION statement_changed();
-- Since migration 0019, recount.sql's trigger of this name counts an UPDATE once for all its
-- rows instead.
CREATE TRIGGER statement_recounted AFTER UPDATE OF status, speaker_id, date ON treaties_statement
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.speaker_id IS DISTINCT FROM NEW.speaker_id
                       OR OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION statement_changed();

CREATE OR REPLACE FUNCTION statement_link_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    link record;
    s record;
    sign int := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
    SELECT id, speaker_id, date, status INTO s FROM treaties_statement WHERE id = link.statement_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'treaties_statement_treaties' THEN
        -- The treaty's names are part of the statement's search document.
        UPDATE treaties_statement SET search_vector = NULL WHERE id = s.id;
        IF s.status = 'published' THEN
            PERFORM statement_tally(s.id, s.speaker_id, s.date, sign, only_treaty => link.treaty_id);
            IF sign > 0 THEN
                INSERT INTO treaties_treatystatement (treaty_id, statement_id, speaker_id, date)
                VALUES (link.treaty_id, s.id, s.speaker_id, s.date)
                ON CONFLICT (treaty_id, statement_id) DO NOTHING;
            ELSE
                DELETE FROM treaties_treatystatement
                WHERE treaty_id = link.treaty_id AND statement_id = s.id;
            END IF;
        END IF;
    ELSIF s.status = 'published' THEN
        PERFORM statement_tally(s.id, s.speaker_id, s.date, sign, only_topic => link.topic_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER statement_treaty_linked AFTER INSERT OR DELETE ON treaties_statement_treaties
    FOR EACH ROW EXECUTE FUNCTION statement_link_changed();
CREATE TRIGGER statement_topic_linked AFTER INSERT OR DELETE ON treaties_statement_topics
    FOR EACH ROW EXECUTE FUNCTION statement_link_changed();

-- Everything from scratch: after a bulk load with the triggers disabled, or to check them.
CREATE OR REPLACE FUNCTION rebuild_statement_summaries() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM treaties_statementtally;
    DELETE FROM treaties_treatystatement;
    INSERT INTO treaties_treatystatement (treaty_id, statement_id, speaker_id, date)
    SELECT link.treaty_id, s.id, s.speaker_id, s.date
    FROM treaties_statement s JOIN treaties_statement_treaties link ON link.statement_id = s.id
    WHERE s.status = 'published';

    CREATE TEMP TABLE tally_facts ON COMMIT DROP AS
    SELECT s.speaker_id, tr.treaty_id, s.date, s.id AS statement_id
    FROM treaties_statement s
    CROSS JOIN LATERAL (
        SELECT 0::bigint AS treaty_id
        UNION ALL SELECT link.treaty_id FROM treaties_statement_treaties link
                  WHERE link.statement_id = s.id
    ) tr
    WHERE s.status = 'published';

    INSERT INTO treaties_statementtally (speaker_id, treaty_id, topic_id, year, statements, latest)
    SELECT coalesce(speaker_id, 0), treaty_id, topic_id, 0, count(*), max(date)
    FROM (
        SELECT f.speaker_id, f.treaty_id, tp.topic_id, f.date
        FROM tally_facts f
        CROSS JOIN LATERAL (
            SELECT 0::bigint AS topic_id
            UNION ALL SELECT link.topic_id FROM treaties_statement_topics link
                      WHERE link.statement_id = f.statement_id
        ) tp
    ) facts
    GROUP BY GROUPING SETS ((speaker_id, treaty_id, topic_id), (treaty_id, topic_id));

    INSERT INTO treaties_statementtally (speaker_id, treaty_id, topic_id, year, statements, latest)
    SELECT coalesce(speaker_id, 0), treaty_id, 0, extract(year FROM date)::smallint,
           count(*), max(date)
    FROM tally_facts
    GROUP BY GROUPING SETS ((speaker_id, treaty_id, extract(year FROM date)),
                            (treaty_id, extract(year FROM date)));
    DROP TABLE tally_facts;
END $$;
