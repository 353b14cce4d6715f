from django.urls import path, register_converter

from . import views


class FormatConverter:
    """The file format of a download: csv or json; anything else is not a URL here (404)."""

    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "format")

app_name = "exports"

urlpatterns = [
    path("timeline.<format:fmt>", views.timeline, name="timeline"),
    path("who-said-what.<format:fmt>", views.who_said_what, name="who_said_what"),
    path("search.<format:fmt>", views.search, name="search"),
]
