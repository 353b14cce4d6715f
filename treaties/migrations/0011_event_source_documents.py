"""Events and sources get search documents written by the database, like statements: an
event's holds the names and aliases of the actors involved and the names of its treaties, a
source's its outlet's names and aliases (treaties/sql/documents.sql). A search word is then one
full-text condition per table instead of a match ORed with subqueries over actors, aliases
and treaties, which PostgreSQL cannot bound by one index.

A generated column cannot be altered into a plain one, so each is dropped and added again,
filled by the new triggers, and only then indexed (one index build, not an index update per
row).
"""

from pathlib import Path

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

SQL = Path(__file__).resolve().parent.parent / "sql"
# The names the documents fold in (again, after a reverse dropped the events'), then the
# documents.
NAMES_SQL = (SQL / "names.sql").read_text()
DOCUMENTS_SQL = (SQL / "documents.sql").read_text()
DROP_DOCUMENTS = """
DROP TRIGGER IF EXISTS event_document ON treaties_event;
DROP TRIGGER IF EXISTS source_document ON treaties_source;
DROP TRIGGER IF EXISTS event_actor_linked ON treaties_event_actors;
DROP TRIGGER IF EXISTS event_treaty_linked ON treaties_event_treaties;
DROP TRIGGER IF EXISTS actor_renamed_in_documents ON treaties_actor;
DROP TRIGGER IF EXISTS alias_changed_in_documents ON treaties_actoralias;
DROP TRIGGER IF EXISTS alias_edited_in_documents ON treaties_actoralias;
DROP TRIGGER IF EXISTS treaty_renamed_in_documents ON treaties_treaty;
DROP FUNCTION IF EXISTS event_write_document(), source_write_document(), event_link_changed(),
    actor_renamed_in_documents(), alias_changed_in_documents(), treaty_renamed_in_documents(),
    actor_documents_changed(bigint), event_document(treaties_event),
    source_document(treaties_source), event_actor_names(bigint), event_treaty_names(bigint);
"""
BACKFILL = """
UPDATE treaties_event SET search_vector = NULL;
UPDATE treaties_source SET search_vector = NULL;
"""


def document_field():
    return django.contrib.postgres.search.SearchVectorField(editable=False, null=True)


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0010_name_indexes_without_statistics"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="event", name="event_search"),
        migrations.RemoveField(model_name="event", name="search_vector"),
        migrations.AddField(model_name="event", name="search_vector", field=document_field()),
        migrations.RemoveIndex(model_name="source", name="source_search"),
        migrations.RemoveField(model_name="source", name="search_vector"),
        migrations.AddField(model_name="source", name="search_vector", field=document_field()),
        migrations.RunSQL(NAMES_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(DOCUMENTS_SQL, DROP_DOCUMENTS),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="event",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="event_search"
            ),
        ),
        migrations.AddIndex(
            model_name="source",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="source_search"
            ),
        ),
    ]
