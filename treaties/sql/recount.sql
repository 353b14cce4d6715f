-- An UPDATE of statements recounts the tallies and a treaty's statements (summaries.sql) once
-- for all the rows whose status, speaker or date it changed, from the statement's transition
-- tables, not once a row. Row by row, every moved statement updated the same tally rows (its
-- old and new speaker's, all speakers') once more, and each update of a row already updated
-- in the transaction walks past all of that row's earlier versions: moving a speaker's 901
-- statements to another took 2.9 s, 1,925 took 10 s, 4,091 took 43 s (a merge, at 1,000,000
-- statements), growing with the square of their number. Now each tally row changes once.
--
-- An INSERT or a DELETE still counts row by row (summaries.sql's statement_counted): an
-- editor adds or deletes statements one at a time, and Django deletes a statement's links
-- first, which the link triggers count as they go.

-- The latest published date for one tally row (0 is "all"), after a statement left it. Its
-- query is written for the row's key, so that the planner sees which filters apply: as one
-- query for every key ("treaty = 0 OR EXISTS …"), it hashed all of a treaty's or a topic's
-- links (95,000 at 1,000,000 statements) to find the one latest statement, some 50 ms a row,
-- and an unpublished statement that was the latest took 300 ms.
CREATE OR REPLACE FUNCTION tally_latest(speaker bigint, treaty bigint, topic bigint, yr int)
RETURNS date LANGUAGE plpgsql STABLE AS $$
DECLARE
    query text := 'SELECT s.date FROM treaties_statement s WHERE s.status = ''published''';
    latest date;
BEGIN
    IF speaker <> 0 THEN
        query := query || ' AND s.speaker_id = $1';
    END IF;
    IF treaty <> 0 THEN
        query := query || ' AND s.id IN (SELECT link.statement_id FROM '
            'treaties_statement_treaties link WHERE link.treaty_id = $2)';
    END IF;
    IF topic <> 0 THEN
        query := query || ' AND s.id IN (SELECT link.statement_id FROM '
            'treaties_statement_topics link WHERE link.topic_id = $3)';
    END IF;
    IF yr <> 0 THEN
        query := query || ' AND s.date BETWEEN make_date($4, 1, 1) AND make_date($4, 12, 31)';
    END IF;
    EXECUTE query || ' ORDER BY s.date DESC LIMIT 1' INTO latest USING speaker, treaty, topic, yr;
    RETURN latest;
END $$;

-- Whether an update changed what the summaries count.
CREATE OR REPLACE FUNCTION statement_recount_needed(o treaties_statement, n treaties_statement)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT o.status IS DISTINCT FROM n.status
        OR o.speaker_id IS DISTINCT FROM n.speaker_id
        OR o.date IS DISTINCT FROM n.date
$$;

CREATE OR REPLACE FUNCTION statements_recounted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d record;
    left_count int;
    left_latest date;
BEGIN
    -- Each tally row's change: the statements it gains less those it loses, the latest date
    -- it gains and the latest it loses (statement_tally's keys, for the rows as they were and
    -- as they are; the links are the same before and after an UPDATE of statements).
    FOR d IN
        WITH changed AS (
            SELECT o.id, o.status AS old_status, o.speaker_id AS old_speaker, o.date AS old_date,
                   n.status AS new_status, n.speaker_id AS new_speaker, n.date AS new_date
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE statement_recount_needed(o, n)
        ), keyed AS (
            SELECT k.*, -1 AS sign, c.old_date AS day
            FROM changed c,
                 statement_tally_keys(c.id, c.old_speaker, c.old_date, NULL, NULL) k
            WHERE c.old_status = 'published'
            UNION ALL
            SELECT k.*, 1, c.new_date
            FROM changed c,
                 statement_tally_keys(c.id, c.new_speaker, c.new_date, NULL, NULL) k
            WHERE c.new_status = 'published'
        )
        SELECT keyed.speaker_id, keyed.treaty_id, keyed.topic_id, keyed.year,
               sum(sign)::int AS delta,
               max(day) FILTER (WHERE sign > 0) AS added,
               max(day) FILTER (WHERE sign < 0) AS removed
        FROM keyed
        GROUP BY keyed.speaker_id, keyed.treaty_id, keyed.topic_id, keyed.year
        -- In key order, as every recount locks its rows: two never wait for each other.
        ORDER BY 1, 2, 3, 4
    LOOP
        IF d.delta > 0 THEN
            INSERT INTO treaties_statementtally AS t
                (speaker_id, treaty_id, topic_id, year, statements, latest)
            VALUES (d.speaker_id, d.treaty_id, d.topic_id, d.year, d.delta, d.added)
            ON CONFLICT (speaker_id, treaty_id, topic_id, year) DO UPDATE
            SET statements = t.statements + EXCLUDED.statements,
                latest = greatest(t.latest, EXCLUDED.latest)
            RETURNING t.statements, t.latest INTO left_count, left_latest;
        ELSE
            UPDATE treaties_statementtally t
            SET statements = t.statements + d.delta, latest = greatest(t.latest, d.added)
            WHERE (t.speaker_id, t.treaty_id, t.topic_id, t.year)
                = (d.speaker_id, d.treaty_id, d.topic_id, d.year)
            RETURNING t.statements, t.latest INTO left_count, left_latest;
            CONTINUE WHEN NOT FOUND;
        END IF;
        IF left_count <= 0 THEN
            DELETE FROM treaties_statementtally t
            WHERE (t.speaker_id, t.treaty_id, t.topic_id, t.year)
                = (d.speaker_id, d.treaty_id, d.topic_id, d.year);
        -- A statement that left may have been the row's latest, and none that came is as
        -- late: take the next latest.
        ELSIF d.removed >= left_latest AND (d.added IS NULL OR d.added < d.removed) THEN
            UPDATE treaties_statementtally t
            SET latest = coalesce(tally_latest(t.speaker_id, t.treaty_id, t.topic_id, t.year),
                                  t.latest)
            WHERE (t.speaker_id, t.treaty_id, t.topic_id, t.year)
                = (d.speaker_id, d.treaty_id, d.topic_id, d.year);
        END IF;
    END LOOP;

    DELETE FROM treaties_treatystatement ts
    USING old_rows o JOIN new_rows n USING (id)
    WHERE ts.statement_id = o.id AND o.status = 'published' AND statement_recount_needed(o, n);
    INSERT INTO treaties_treatystatement (treaty_id, statement_id, speaker_id, date)
    SELECT link.treaty_id, n.id, n.speaker_id, n.date
    FROM old_rows o JOIN new_rows n USING (id)
    JOIN treaties_statement_treaties link ON link.statement_id = n.id
    WHERE n.status = 'published' AND statement_recount_needed(o, n);
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS statement_recounted ON treaties_statement;
CREATE TRIGGER statement_recounted AFTER UPDATE ON treaties_statement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_recounted();
