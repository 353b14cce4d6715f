from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake: enter an article"
    # Given to the Editors group after migrate (treaties/editors.py).
    editor_permissions = [
        "add_intake", "change_intake", "view_intake", "view_proposal", "change_proposal",
    ]  # fmt: skip
