from django.apps import AppConfig


class ArmsControlConfig(AppConfig):
    """The project package as an app, only so that its signal receivers are connected at
    start-up, before the first login (not when the middleware first loads)."""

    name = "armscontrol"
    verbose_name = "Arms Control Record"

    def ready(self):
        from . import middleware  # noqa: F401  (connects start_session_clock)
