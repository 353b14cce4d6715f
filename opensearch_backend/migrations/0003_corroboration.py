"""A source that corroborates a published event is public, as its own page says: it is queued
for OpenSearch when that changes, and once now (sql/corroboration.sql)."""

from pathlib import Path

from django.db import migrations

CORROBORATION_SQL = (
    Path(__file__).resolve().parent.parent / "sql" / "corroboration.sql"
).read_text()
UNDO_CORROBORATION = """
DROP TRIGGER IF EXISTS corroboration_event_locked ON treaties_event_other_sources;
DROP TRIGGER IF EXISTS corroboration_queued ON treaties_event_other_sources;
DROP TRIGGER IF EXISTS corroborations_requeued ON treaties_event;
DROP FUNCTION IF EXISTS corroboration_event_locked(), corroborations_queued();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("opensearch_backend", "0002_refused"),
        ("treaties", "0012_refold"),
    ]

    operations = [migrations.RunSQL(CORROBORATION_SQL, UNDO_CORROBORATION)]
