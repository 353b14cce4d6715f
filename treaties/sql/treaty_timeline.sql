-- The start of a treaty's timeline, newest first (DESC) or oldest first (ASC): the first $2
-- of its published statements (from TreatyStatement's index in timeline order) and of its
-- published events, with its totals (its statements from the summary, its events counted up
-- to the limit total() counts to): what merged_keys() and total() ask in four queries for a
-- treaty alone, without a cursor (treaties/timeline.py merges the two short lists). One row
-- with the totals and no entry where there are none. $1: the treaty's id; $2: how many of
-- each kind.
PREPARE {name} (bigint, bigint) AS
SELECT entries.kind, entries.date, entries.id, totals.statements, totals.events
FROM (
    SELECT
        (
            SELECT tally.statements FROM treaties_statementtally tally
            WHERE tally.speaker_id = 0 AND tally.treaty_id = $1 AND tally.topic_id = 0
              AND tally.year = 0
        ) AS statements,
        (
            SELECT count(*) FROM (
                SELECT FROM treaties_event event
                JOIN treaties_event_treaties about ON about.event_id = event.id
                WHERE about.treaty_id = $1 AND event.status = 'published'
                LIMIT {events_counted}
            ) counted
        ) AS events
) totals
LEFT JOIN LATERAL (
    (
        SELECT 'statement' AS kind, latest.date, latest.statement_id AS id
        FROM treaties_treatystatement latest
        WHERE latest.treaty_id = $1
        ORDER BY latest.date {direction}, latest.statement_id {direction}
        LIMIT $2
    )
    UNION ALL
    (
        SELECT 'event', event.date, event.id
        FROM treaties_event event
        JOIN treaties_event_treaties about ON about.event_id = event.id
        WHERE about.treaty_id = $1 AND event.status = 'published'
        ORDER BY event.date {direction}, event.id {direction}
        LIMIT $2
    )
) entries ON true
