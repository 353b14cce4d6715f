"""Indexes for the filters of the editors' statement list (treaties/admin_lists.py), built
CONCURRENTLY so that a large site keeps taking edits while they are made."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("treaties", "0016_source_public_on_change"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="statement",
            index=models.Index(fields=["setting", "date", "id"], name="statement_setting_date"),
        ),
        AddIndexConcurrently(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("kind", "quote"), _negated=True),
                fields=["date", "id"],
                name="statement_unquoted_date",
            ),
        ),
        AddIndexConcurrently(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("date_precision", "day"), _negated=True),
                fields=["date", "id"],
                name="statement_inexact_date",
            ),
        ),
    ]
