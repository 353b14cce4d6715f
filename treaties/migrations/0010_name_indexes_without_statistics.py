"""The trigram indexes on names and aliases keep no planner statistics.

To estimate a `name %> 'word'` condition, PostgreSQL applies the operator to every sampled
value of the index's statistics (a histogram and the most common values, some two hundred
names): a search of two words has eight such conditions, in the actor and the event query
each, and planning them took about 4 ms of every search at 1,000,000 statements, more than
running them. Without statistics the planner takes its default estimate, which leads to the
same plans (these indexes, bitmap scans). The indexes are made again so that no earlier
statistics stay behind (ANALYZE leaves those of a column it no longer samples).
"""

from django.db import migrations

INDEXES = ["actor_name_trgm", "actor_skeleton_trgm", "alias_name_trgm", "alias_skeleton_trgm"]


def without_statistics(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
            (definition,) = cursor.fetchone()
            cursor.execute(f"DROP INDEX {name}")
            cursor.execute(definition)
            cursor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS 0")


def with_statistics(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0009_name_skeleton"),
    ]

    operations = [migrations.RunPython(without_statistics, with_statistics)]
