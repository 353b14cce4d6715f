from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

# Add, change and view every record of the knowledge base, and delete the small rows edited
# inline and draft statements and events (the admin refuses to delete published ones).
# Nothing about users, groups or sessions.
EDITED = [
    "actor", "actoralias", "role", "treaty", "treatyparty", "treatylimit",
    "topic", "source", "statement", "event", "treatysigner",
]  # fmt: skip
DELETABLE = [
    "actoralias",
    "role",
    "treatyparty",
    "treatylimit",
    "treatysigner",
    "statement",
    "event",
]


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = "Arms-control record"
    editor_permissions = [
        *(f"{action}_{model}" for model in EDITED for action in ("add", "change", "view")),
        *(f"delete_{model}" for model in DELETABLE),
    ]

    def ready(self):
        from . import reference
        from .editors import ensure_editors_group
        from .models import Actor, Topic, Treaty

        post_migrate.connect(ensure_editors_group, dispatch_uid="treaties_editors_group")
        for model in (Actor, Treaty, Topic):
            for signal in (post_save, post_delete):
                signal.connect(reference.forget, sender=model, dispatch_uid="reference_lists")
