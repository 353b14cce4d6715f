"""The Editors group: the permissions that entering an article's facts needs, and no more.

Each app lists the permissions its editors need as `editor_permissions` on its AppConfig.
The group is made and given them after every migrate (and after every flush, which tests do),
so a new model's permissions reach editors without a data migration.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Editors"


def ensure_editors_group(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate receiver: runs for each app that lists editor permissions, after
    django.contrib.auth has made that app's permissions."""
    codenames = getattr(sender, "editor_permissions", ())
    if not codenames:
        return
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # migrating backwards past auth
        return
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label=sender.label, codename__in=codenames
        )
    )
