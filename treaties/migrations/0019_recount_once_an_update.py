"""An UPDATE of statements recounts the summaries once for all its rows (treaties/sql/
recount.sql), not once a row: a merge's move of a speaker's statements took time growing with
the square of their number. And a tally row's latest date, when its latest statement leaves
it, is found by a query written for the row's key. Going back restores summaries.sql's
row-level trigger, and keeps the new tally_latest, which gives the same dates."""

from pathlib import Path

from django.db import migrations

RECOUNT_SQL = (Path(__file__).resolve().parent.parent / "sql" / "recount.sql").read_text()
ROW_BY_ROW = """
DROP TRIGGER IF EXISTS statement_recounted ON treaties_statement;
DROP FUNCTION IF EXISTS statements_recounted();
DROP FUNCTION IF EXISTS statement_recount_needed(treaties_statement, treaties_statement);
CREATE TRIGGER statement_recounted AFTER UPDATE OF status, speaker_id, date ON treaties_statement
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.speaker_id IS DISTINCT FROM NEW.speaker_id
                       OR OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION statement_changed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0018_queued_merges"),
    ]

    operations = [migrations.RunSQL(RECOUNT_SQL, ROW_BY_ROW)]
