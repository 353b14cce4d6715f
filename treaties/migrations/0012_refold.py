"""A speaker's or a treaty's statements are folded again in batches when they are too many to
fold in the editor's transaction (treaties/sql/refold.sql)."""

from pathlib import Path

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

REFOLD_SQL = (Path(__file__).resolve().parent.parent / "sql" / "refold.sql").read_text()
# The functions as summaries.sql first wrote them: every statement folded at once.
UNDO_REFOLD = """
CREATE OR REPLACE FUNCTION actor_name_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = NEW.id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION alias_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = OLD.actor_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.actor_id <> OLD.actor_id) THEN
        UPDATE treaties_statement SET search_vector = NULL WHERE speaker_id = NEW.actor_id;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION treaty_names_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE treaties_statement SET search_vector = NULL
    WHERE id IN (SELECT statement_id FROM treaties_statement_treaties WHERE treaty_id = NEW.id);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS alias_edited ON treaties_actoralias;
DROP TRIGGER IF EXISTS alias_changed ON treaties_actoralias;
CREATE TRIGGER alias_changed AFTER INSERT OR UPDATE OR DELETE ON treaties_actoralias
    FOR EACH ROW EXECUTE FUNCTION alias_changed();
DROP FUNCTION IF EXISTS refold_speaker(bigint), refold_treaty(bigint), refold_at_once();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0011_event_source_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="Refold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("after_date", models.DateField(null=True)),
                ("after_id", models.BigIntegerField(null=True)),
                (
                    "queued_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "speaker",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="treaties.actor",
                    ),
                ),
                (
                    "treaty",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="treaties.treaty",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("speaker",), name="refold_one_per_speaker"),
                    models.UniqueConstraint(fields=("treaty",), name="refold_one_per_treaty"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("speaker__isnull", True), ("treaty__isnull", True), _connector="XOR"
                        ),
                        name="refold_speaker_or_treaty",
                    ),
                ],
            },
        ),
        migrations.RunSQL(REFOLD_SQL, UNDO_REFOLD),
    ]
