"""Indexes for the editors' lists of statements and sources (treaties/admin_lists.py), built
CONCURRENTLY so that a large site keeps taking edits while they are made."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("treaties", "0012_refold"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="source",
            index=models.Index(
                models.OrderBy(models.F("published_on"), descending=True, nulls_last=True),
                models.F("title"),
                name="source_order",
            ),
        ),
        AddIndexConcurrently(
            model_name="statement",
            index=models.Index(fields=["date", "id"], name="statement_date"),
        ),
        AddIndexConcurrently(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("status", "draft")),
                fields=["date", "id"],
                name="statement_draft_date",
            ),
        ),
    ]
