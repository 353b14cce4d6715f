"""The names folded into search documents are listed in a set order (treaties/sql/names.sql):
before, a document's word positions followed whichever plan read an actor's aliases or a
record's links, so the same document computed twice could differ.

The documents already written keep their order until their record next changes: they hold
the same words, and the search ranks by words and weights, not by the distance between them.
Going back keeps the ordered functions, which were as right before this migration.
"""

from pathlib import Path

from django.db import migrations

NAMES_SQL = (Path(__file__).resolve().parent.parent / "sql" / "names.sql").read_text()


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0013_editors_list_indexes"),
    ]

    operations = [migrations.RunSQL(NAMES_SQL, migrations.RunSQL.noop)]
