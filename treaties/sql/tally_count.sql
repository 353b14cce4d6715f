-- Published statements for one combination of speaker, treaty, topic and year (0: all), from
-- its one row of the summary (StatementTally.objects.count_of()); no row, none.
PREPARE {name} (bigint, bigint, bigint, smallint) AS
SELECT statements FROM treaties_statementtally
WHERE speaker_id = $1 AND treaty_id = $2 AND topic_id = $3 AND year = $4
