from django.db import migrations

CODENAMES = ["add_intake", "change_intake", "view_intake", "view_proposal", "change_proposal"]


def let_editors_use_intake(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("intake")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="intake", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("treaties", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(let_editors_use_intake, migrations.RunPython.noop)]
