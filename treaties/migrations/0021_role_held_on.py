"""The permalink reads its statement, and everything its page shows beside it, in one query
(treaties/permalink.py), which joins the speaker's role on the day as a row: role_held_on
(treaties/sql/roles.sql), which the card's role_on_the_day now names. Going back keeps both:
they make the same choice as before, and migration 0020 drops them."""

from pathlib import Path

from django.db import migrations

ROLES_SQL = (Path(__file__).resolve().parent.parent / "sql" / "roles.sql").read_text()


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0020_role_on_the_day"),
    ]

    operations = [migrations.RunSQL(ROLES_SQL, migrations.RunSQL.noop)]
