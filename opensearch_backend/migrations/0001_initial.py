"""The queue of changes for OpenSearch and its triggers (sql/queue.sql). They queue nothing
until an index is fed from the database (FedIndex), so a site on PostgreSQL's own search pays
one empty-table check a changed row."""

from pathlib import Path

import django.db.models.functions.datetime
from django.db import migrations, models

QUEUE_SQL = (Path(__file__).resolve().parent.parent / "sql" / "queue.sql").read_text()
DROP_QUEUE = """
DROP TRIGGER IF EXISTS statement_queued ON treaties_statement;
DROP TRIGGER IF EXISTS statement_requeued ON treaties_statement;
DROP TRIGGER IF EXISTS event_source_queued ON treaties_event;
DROP TRIGGER IF EXISTS event_source_requeued ON treaties_event;
DROP TRIGGER IF EXISTS source_queued ON treaties_source;
DROP TRIGGER IF EXISTS source_requeued ON treaties_source;
DROP FUNCTION IF EXISTS statement_queued(), event_source_queued(), source_queued(),
    search_queue(text, bigint);
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("treaties", "0011_event_source_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="FedIndex",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("ready", models.BooleanField(default=False)),
            ],
        ),
        migrations.CreateModel(
            name="Queued",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("statement", "Statement"), ("source", "Source")], max_length=20
                    ),
                ),
                ("record_id", models.BigIntegerField()),
                (
                    "queued_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
            ],
        ),
        migrations.RunSQL(QUEUE_SQL, DROP_QUEUE),
    ]
