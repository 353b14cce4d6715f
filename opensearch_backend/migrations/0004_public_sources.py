"""A source is queued when its own `public` column changes (sql/public_sources.sql), now that
the treaties' triggers keep it: the triggers that queued it for its statements', events' and
corroborations' changes, which repeated what makes a source public, go. Going back restores
them as migrations 0001 and 0003 made them."""

import importlib
from pathlib import Path

from django.db import migrations

SQL = Path(__file__).resolve().parent.parent / "sql"
PUBLIC_SOURCES_SQL = (SQL / "public_sources.sql").read_text()
initial = importlib.import_module("opensearch_backend.migrations.0001_initial")
corroboration = importlib.import_module("opensearch_backend.migrations.0003_corroboration")
RESTORE = (
    initial.DROP_QUEUE
    + corroboration.UNDO_CORROBORATION
    + initial.QUEUE_SQL
    + corroboration.CORROBORATION_SQL
)


class Migration(migrations.Migration):
    dependencies = [
        ("opensearch_backend", "0003_corroboration"),
        ("treaties", "0015_public_sources"),
    ]

    operations = [migrations.RunSQL(PUBLIC_SOURCES_SQL, RESTORE)]
