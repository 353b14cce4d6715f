"""Whether a source is public becomes a column kept by triggers (treaties/sql/public_sources.sql)
instead of three EXISTS in every query that lists sources: Django compiled them again for each
query, which cost the search about a tenth of its CPU, and no index could order public sources.

The flags are filled once here. Their UPDATE also rewrites each public source's search
document (its trigger recomputes it on any update): at 50,000 sources, seconds.
"""

from pathlib import Path

from django.db import migrations, models

PUBLIC_SQL = (Path(__file__).resolve().parent.parent / "sql" / "public_sources.sql").read_text()
DROP_PUBLIC = """
DROP TRIGGER IF EXISTS source_public ON treaties_source;
DROP TRIGGER IF EXISTS source_public_changed ON treaties_source;
DROP TRIGGER IF EXISTS statement_source_public ON treaties_statement;
DROP TRIGGER IF EXISTS statement_source_public_changed ON treaties_statement;
DROP TRIGGER IF EXISTS event_sources_public ON treaties_event;
DROP TRIGGER IF EXISTS event_sources_public_changed ON treaties_event;
DROP TRIGGER IF EXISTS corroboration_source_public ON treaties_event_other_sources;
DROP FUNCTION IF EXISTS source_is_public(bigint), source_write_public(),
    sources_recheck_public(bigint[]), record_sources_public(), corroboration_source_public(),
    rebuild_public_sources();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0014_names_in_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="public",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunSQL(PUBLIC_SQL + "SELECT rebuild_public_sources();", DROP_PUBLIC),
    ]
