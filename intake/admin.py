from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from treaties.admin_lists import FewSearchWords

from . import views
from .models import Intake


@admin.register(Intake)
class IntakeAdmin(FewSearchWords, admin.ModelAdmin):
    """Articles pasted in. "Add" is the paste form, "change" the review screen."""

    list_display = ["title", "published_on", "source_link", "created_by", "created_at"]
    list_filter = ["language", "matched_existing"]
    search_fields = ["title__unaccent", "url"]
    list_select_related = ["source", "created_by"]
    autocomplete_fields = ["outlet", "source"]
    date_hierarchy = "created_at"

    @admin.display(description="source")
    def source_link(self, intake):
        if intake.source_id is None:
            return "not yet created"
        url = reverse("admin:treaties_source_change", args=[intake.source_id])
        return format_html('<a href="{}">{}</a>', url, intake.source)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/proposal/<int:proposal_pk>/<slug:action>/",
                wrap(self.decide_view),
                name="intake_intake_decide",
            ),
            path("<int:pk>/publish/", wrap(self.publish_view), name="intake_intake_publish"),
            *super().get_urls(),
        ]

    def _intake(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(Intake, pk=pk)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return views.paste(request, self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not object_id.isdigit():
            raise Http404("An intake's id is a number.")
        return views.review(request, self, self._intake(request, object_id))

    def decide_view(self, request, pk, proposal_pk, action):
        return views.decide(request, self, self._intake(request, pk), proposal_pk, action)

    def publish_view(self, request, pk):
        return views.publish(request, self, self._intake(request, pk))
