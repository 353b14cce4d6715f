-- A page of speakers on a treaty and/or topic (who said what, a treaty page), from the
-- summary StatementTally: how many there are in all, and for the page, most statements first,
-- then the latest, each speaker's statements counted, the speaker's columns and the ids of
-- their latest statements on it (a LIMITed read, per speaker, of the index that serves it:
-- one of four, by whether a treaty and a topic are given). One row with the total and no
-- speaker where the page is past the end. treaties/sides.py fills in those reads and the
-- column lists, and names the four statements.
-- $1: the treaty's id, $2: the topic's id (0: any); $3: how many speakers, $4: from which.
PREPARE {name} (bigint, bigint, bigint, bigint) AS
SELECT total.speakers, page.statements, {actor}, ARRAY({latest}) AS latest
FROM (
    SELECT count(*) AS speakers FROM treaties_statementtally tally
    WHERE tally.treaty_id = $1 AND tally.topic_id = $2 AND tally.year = 0
      AND tally.speaker_id > 0
) total
LEFT JOIN LATERAL (
    SELECT tally.statements, tally.latest, tally.speaker_id
    FROM treaties_statementtally tally
    WHERE tally.treaty_id = $1 AND tally.topic_id = $2 AND tally.year = 0
      AND tally.speaker_id > 0
    ORDER BY tally.statements DESC, tally.latest DESC, tally.speaker_id
    LIMIT $3 OFFSET $4
) page ON true
-- Looked up after the page is cut, so that the rows OFFSET skips are neither read for their
-- latest statements nor joined; by id for each row of the page (the LIMIT keeps PostgreSQL
-- from making it a join, which it did by hashing every actor).
LEFT JOIN LATERAL (
    SELECT * FROM treaties_actor actor WHERE actor.id = page.speaker_id LIMIT 1
) actor ON true
ORDER BY page.statements DESC, page.latest DESC, page.speaker_id
