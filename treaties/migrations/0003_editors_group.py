from django.db import migrations

EDITORS = "Editors"

# What entering an article's facts needs: add, change and view every record of the
# knowledge base, and delete the small rows edited inline and draft statements and events
# (the admin refuses to delete published ones). Nothing about users, groups or sessions.
MODELS = [
    "actor", "actoralias", "role", "treaty", "treatyparty", "treatylimit",
    "topic", "source", "statement", "event",
]
DELETABLE = ["actoralias", "role", "treatyparty", "treatylimit", "statement", "event"]


def codenames():
    for model in MODELS:
        yield from (f"add_{model}", f"change_{model}", f"view_{model}")
    for model in DELETABLE:
        yield f"delete_{model}"


def create_editors_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; the group needs them now.
    app_config = apps.get_app_config("treaties")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="treaties", codename__in=list(codenames()))
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0002_postgres_search_setup"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
