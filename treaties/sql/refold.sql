-- A statement's search document holds its speaker's name and every alias, and its treaties'
-- names (summaries.sql), so a changed name or alias means folding those statements again.
-- Up to refold_at_once() of them are folded in the same transaction as the change, as before.
-- More (at 1,000,000 statements the most prolific speaker has some 150,000, New START some
-- 360,000: half a minute of work and more, which the web's statement timeout would cancel,
-- so the editor could not save the change at all) are queued in treaties_refold instead, and
-- `manage.py refold_documents` folds them in batches of 2,000, the newest first
-- (treaties/refolds.py): about 45 s for 150,000 statements. Until then searches of the new
-- spelling miss some of the older quotes.

-- Raised or lowered per session with SET armscontrol.refold_at_once (the tests lower it).
CREATE OR REPLACE FUNCTION refold_at_once() RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('armscontrol.refold_at_once', true), '')::int, 2000)
$$;

CREATE OR REPLACE FUNCTION refold_speaker(speaker bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    at_once int := refold_at_once();
BEGIN
    IF (SELECT count(*) FROM (SELECT FROM treaties_statement WHERE speaker_id = speaker
                              LIMIT at_once + 1) AS first_ones) <= at_once THEN
        UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = speaker;
    ELSE
        INSERT INTO treaties_refold (speaker_id) VALUES (speaker)
        ON CONFLICT (speaker_id) DO UPDATE
        SET after_date = NULL, after_id = NULL, queued_at = now();
    END IF;
END $$;

CREATE OR REPLACE FUNCTION refold_treaty(treaty bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    at_once int := refold_at_once();
BEGIN
    IF (SELECT count(*) FROM (SELECT FROM treaties_statement_treaties WHERE treaty_id = treaty
                              LIMIT at_once + 1) AS first_ones) <= at_once THEN
        UPDATE treaties_statement SET search_vector = NULL
        WHERE id IN (SELECT statement_id FROM treaties_statement_treaties
                     WHERE treaty_id = treaty);
    ELSE
        INSERT INTO treaties_refold (treaty_id) VALUES (treaty)
        ON CONFLICT (treaty_id) DO UPDATE
        SET after_date = NULL, after_id = NULL, queued_at = now();
    END IF;
END $$;

CREATE OR REPLACE FUNCTION actor_name_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refold_speaker(NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION alias_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM refold_speaker(OLD.actor_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.actor_id <> OLD.actor_id) THEN
        PERFORM refold_speaker(NEW.actor_id);
    END IF;
    RETURN NULL;
END $$;

-- An alias's note or language is not in any document: editing them folds nothing again.
DROP TRIGGER alias_changed ON treaties_actoralias;
CREATE TRIGGER alias_changed AFTER INSERT OR DELETE ON treaties_actoralias
    FOR EACH ROW EXECUTE FUNCTION alias_changed();
CREATE TRIGGER alias_edited AFTER UPDATE OF name, actor_id ON treaties_actoralias
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.actor_id <> NEW.actor_id)
    EXECUTE FUNCTION alias_changed();

CREATE OR REPLACE FUNCTION treaty_names_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refold_treaty(NEW.id);
    RETURN NULL;
END $$;
