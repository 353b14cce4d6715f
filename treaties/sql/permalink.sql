-- A permalink's statement and everything its page shows beside it, in one query: its speaker,
-- source and outlet, the speaker's role on the day with its organisation, the previous and
-- next statements by the same speaker, its treaties, mentions and topics, and whether it was
-- saved again after it was published (then its corrections are read: treaties/corrections.py).
-- treaties/permalink.py fills in the column lists from the models, prepares it once on each
-- connection (planning it took four times as long as running it), and builds the instances.
-- Each part is an index lookup of one statement's rows, whatever the size of the tables.
-- $1: the statement's id; $2: whether a draft is shown (to editors). The lists are json, not
-- jsonb: psycopg reads json into Python, where Django has it leave jsonb as text.
PREPARE {name} (bigint, boolean) AS
SELECT
    {statement}, {speaker}, {source}, {outlet}, {role}, {organisation},
    {previous}, {next},
    (
        SELECT json_agg(json_build_object(
            'id', t.id, 'slug', t.slug, 'name', t.name, 'short_name', t.short_name
        ) ORDER BY t.signed_on ASC NULLS LAST, t.short_name, t.id)
        FROM treaties_statement_treaties x JOIN treaties_treaty t ON t.id = x.treaty_id
        WHERE x.statement_id = statement.id
    ) AS treaties,
    (
        SELECT json_agg(json_build_object(
            'id', a.id, 'slug', a.slug, 'name', a.name
        ) ORDER BY a.name, a.id)
        FROM treaties_statement_mentions x JOIN treaties_actor a ON a.id = x.actor_id
        WHERE x.statement_id = statement.id
    ) AS mentions,
    (
        SELECT json_agg(json_build_object(
            'id', t.id, 'slug', t.slug, 'name', t.name
        ) ORDER BY t.name, t.id)
        FROM treaties_statement_topics x JOIN treaties_topic t ON t.id = x.topic_id
        WHERE x.statement_id = statement.id
    ) AS topics,
    -- The pairs corrections() compares: a save ('~') and the version before it, published,
    -- among the latest saves it reads.
    EXISTS (
        SELECT 1 FROM (
            SELECT history_type, lead(status) OVER latest AS before
            FROM treaties_historicalstatement
            WHERE id = statement.id
            WINDOW latest AS (ORDER BY history_date DESC, history_id DESC)
            ORDER BY history_date DESC, history_id DESC
            LIMIT {history_rows}
        ) saves
        WHERE saves.history_type = '~' AND saves.before = 'published'
    ) AS corrected
FROM treaties_statement statement
LEFT JOIN treaties_actor speaker ON speaker.id = statement.speaker_id
LEFT JOIN treaties_source source ON source.id = statement.source_id
LEFT JOIN treaties_actor outlet ON outlet.id = source.outlet_id
LEFT JOIN LATERAL role_held_on(statement.speaker_id, statement.date) role ON true
LEFT JOIN treaties_actor organisation ON organisation.id = role.organisation_id
-- The (date, id) order of the speaker's published statements, as their index keeps it.
LEFT JOIN LATERAL (
    SELECT {neighbour} FROM treaties_statement earlier
    WHERE earlier.speaker_id = statement.speaker_id AND earlier.status = 'published'
      AND (earlier.date, earlier.id) < (statement.date, statement.id)
    ORDER BY earlier.date DESC, earlier.id DESC
    LIMIT 1
) previous ON true
LEFT JOIN LATERAL (
    SELECT {neighbour} FROM treaties_statement later
    WHERE later.speaker_id = statement.speaker_id AND later.status = 'published'
      AND (later.date, later.id) > (statement.date, statement.id)
    ORDER BY later.date, later.id
    LIMIT 1
) next ON true
WHERE statement.id = $1 AND (statement.status = 'published' OR $2)
