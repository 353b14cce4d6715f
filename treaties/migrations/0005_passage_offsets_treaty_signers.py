# Written by hand: only the intake's passage offsets, party notes and treaty signers, so that
# it does not carry other model changes in progress in the same working tree.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

SIGNER_CODENAMES = [f"{action}_treatysigner" for action in ("add", "change", "view", "delete")]


def let_editors_enter_signers(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("treaties")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="treaties", codename__in=SIGNER_CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0004_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstatement",
            name="passage_end",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalstatement",
            name="passage_start",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="passage_end",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="passage_start",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicaltreatyparty",
            name="note",
            field=models.CharField(
                blank=True, help_text="e.g. successor state of the Soviet Union", max_length=300
            ),
        ),
        migrations.AddField(
            model_name="treatyparty",
            name="note",
            field=models.CharField(
                blank=True, help_text="e.g. successor state of the Soviet Union", max_length=300
            ),
        ),
        migrations.CreateModel(
            name="HistoricalTreatySigner",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("signed_on", models.DateField(blank=True, null=True)),
                ("signed_at", models.CharField(blank=True, max_length=100, verbose_name="place")),
                ("note", models.CharField(blank=True, max_length=300)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                        max_length=1,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "on_behalf_of",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        limit_choices_to={"kind": "state"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="treaties.actor",
                    ),
                ),
                (
                    "signer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        limit_choices_to={"kind": "person"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="treaties.actor",
                    ),
                ),
                (
                    "treaty",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="treaties.treaty",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical treaty signer",
                "verbose_name_plural": "historical treaty signers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="TreatySigner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signed_on", models.DateField(blank=True, null=True)),
                ("signed_at", models.CharField(blank=True, max_length=100, verbose_name="place")),
                ("note", models.CharField(blank=True, max_length=300)),
                (
                    "on_behalf_of",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"kind": "state"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="treaty_signatures",
                        to="treaties.actor",
                    ),
                ),
                (
                    "signer",
                    models.ForeignKey(
                        limit_choices_to={"kind": "person"},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="treaties_signed",
                        to="treaties.actor",
                    ),
                ),
                (
                    "treaty",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signers",
                        to="treaties.treaty",
                    ),
                ),
            ],
            options={
                "ordering": [
                    "treaty",
                    models.OrderBy(models.F("signed_on"), nulls_last=True),
                    "id",
                ],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("treaty"), models.F("signer"), name="signer_unique_per_treaty"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["url"], name="source_url"),
        ),
        migrations.RunPython(let_editors_enter_signers, migrations.RunPython.noop),
    ]
