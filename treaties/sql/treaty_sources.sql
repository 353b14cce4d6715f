-- A treaty's recent sources: those of its latest published statements and events, newest
-- first, with their outlets (treaties/treaty_page.py fills in the column lists). Each branch
-- takes its latest {recent} rows from an index, so the work is the same for a treaty
-- with a million statements as for one with ten; one UNION of the two, since with the two
-- ORed in the WHERE clause PostgreSQL reads every source to test them.
-- $1: the treaty's id. The limits are written in, so that the plan PostgreSQL keeps for the
-- prepared statement knows them.
PREPARE {name} (bigint) AS
SELECT {source}, {outlet}
FROM treaties_source source
LEFT JOIN treaties_actor outlet ON outlet.id = source.outlet_id
WHERE source.id IN (
    SELECT statement.source_id FROM treaties_statement statement
    WHERE statement.id IN (
        -- TreatyStatement holds the treaty's published statements with their dates.
        SELECT latest.statement_id FROM treaties_treatystatement latest
        WHERE latest.treaty_id = $1
        ORDER BY latest.date DESC, latest.statement_id DESC
        LIMIT {recent}
    )
    UNION
    SELECT event.source_id FROM treaties_event event
    WHERE event.id IN (
        SELECT latest.id FROM treaties_event latest
        JOIN treaties_event_treaties about ON about.event_id = latest.id
        WHERE about.treaty_id = $1 AND latest.status = 'published'
        ORDER BY latest.date DESC, latest.id DESC
        LIMIT {recent}
    )
)
ORDER BY source.published_on DESC NULLS LAST, source.id DESC
LIMIT {shown}
