-- Statement cards by id, in no order: the columns a card shows of each statement, its
-- speaker, source and outlet (treaties/cards.py fills them in from CARD_FIELDS), and the
-- speaker's role on the day, named (roles.sql). $1: the statements' ids.
PREPARE {name} (bigint[]) AS
SELECT
    {statement}, {speaker}, {source}, {outlet},
    role_on_the_day(statement.speaker_id, statement.date)
FROM treaties_statement statement
LEFT JOIN treaties_actor speaker ON speaker.id = statement.speaker_id
LEFT JOIN treaties_source source ON source.id = statement.source_id
LEFT JOIN treaties_actor outlet ON outlet.id = source.outlet_id
WHERE statement.id = ANY ($1)
