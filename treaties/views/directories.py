"""Directories: every treaty, actor, source, topic and event, each list one link from the menu.

The small tables (treaties, topics, actors) are listed from their own rows; statement counts
come from StatementTally, one indexed row per record, never from counting statements. The
large ones (sources, and the statements and events of a source, a topic or the whole record)
are paged by keyset: a page is the next rows after the last one shown, read from an index,
so the thousandth page costs what the first does.
"""

import string

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..filters import CursorField, FilterForm, QuickSelect
from ..models import (
    Actor,
    ActorKind,
    Event,
    Source,
    SourceMerge,
    StatementTally,
    Topic,
    Treaty,
)
from ..timeline import timeline_page
from .lists import query_string

ACTORS_PER_PAGE = 50
SOURCES_PER_PAGE = 50
ENTRIES_PER_PAGE = 25
CORROBORATED_SHOWN = 20
OTHER_LETTER = "other"  # names that do not begin with A-Z


def _statement_counts(ids, key: str) -> dict[int, int]:
    """Published statements per record (key: speaker, treaty or topic), from the tallies:
    one row per record, read by its unique (speaker, treaty, topic, year) index."""
    others = {"speaker_id": 0, "treaty_id": 0, "topic_id": 0, "year": 0}
    others.pop(f"{key}_id")
    rows = StatementTally.objects.filter(**others, **{f"{key}_id__in": list(ids)})
    return dict(rows.values_list(f"{key}_id", "statements"))


def _with_counts(records, key: str) -> list:
    records = list(records)
    counts = _statement_counts([record.pk for record in records], key)
    for record in records:
        record.statement_count = counts.get(record.pk, 0)
    return records


def _url(name: str, query: str = "", **kwargs) -> str:
    url = reverse(name, kwargs=kwargs or None)
    return f"{url}?{query}" if query else url


# Treaties and topics: small tables, listed whole -------------------------------------------


@require_safe
def treaty_list(request):
    treaties = _with_counts(
        Treaty.objects.order_by("short_name").defer("search_vector", "summary"), "treaty"
    )
    return render(request, "treaties/treaty_list.html", {"treaties": treaties})


@require_safe
def topic_list(request):
    topics = _with_counts(Topic.objects.order_by("name"), "topic")
    return render(request, "treaties/topic_list.html", {"topics": topics})


# Actors: filtered by kind, country and initial -----------------------------------------------


class ActorDirectoryForm(FilterForm):
    kind = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        label="Kind",
        error_messages={"invalid_choice": "There is no kind of actor “%(value)s”."},
    )
    country = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        label="Country",
        error_messages={"invalid_choice": "No actor on record is from “%(value)s”."},
    )
    letter = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        label="Initial",
        error_messages={"invalid_choice": "“%(value)s” is not a letter from A to Z."},
    )

    def __init__(self, data):
        super().__init__(data)
        self.fields["kind"].choices = [("", "Any kind"), *ActorKind.choices]
        countries = (
            Actor.objects.exclude(country="").order_by("country").values_list("country", flat=True)
        )
        self.fields["country"].choices = [("", "Any country")] + [
            (code, code) for code in dict.fromkeys(countries)
        ]
        self.fields["letter"].choices = [("", "Any")] + [
            (letter, letter) for letter in string.ascii_uppercase
        ]
        self.fields["letter"].choices.append((OTHER_LETTER, "Other"))
        self.order_fields(["kind", "country", "letter", "page"])

    def actors(self):
        """The actors these filters select, A-Z (call after is_valid())."""
        actors = Actor.objects.order_by("name", "pk")
        if kind := self.cleaned_data.get("kind"):
            actors = actors.filter(kind=kind)
        if country := self.cleaned_data.get("country"):
            actors = actors.filter(country=country)
        if letter := self.cleaned_data.get("letter"):
            actors = (
                actors.exclude(name__regex=r"^[A-Za-z]")
                if letter == OTHER_LETTER
                else actors.filter(name__istartswith=letter)
            )
        return actors


@require_safe
def actor_list(request):
    form = ActorDirectoryForm(request.GET)
    form.is_valid()
    filters = form.filters()
    # The actors table holds thousands of rows, not millions: numbered pages are fine here.
    page = Paginator(form.actors(), ACTORS_PER_PAGE).get_page(filters.pop("page", None))
    context = {
        "form": form,
        "filters": filters,
        "problems": form.problems,
        "actors": _with_counts(page.object_list, "speaker"),
        "page_obj": page,
        "base_query": query_string(filters),
        "letters": [
            (label, _url("treaties:actor_list", query_string(filters, letter=value)), value)
            for value, label in form.fields["letter"].choices
        ],
    }
    return render(request, "treaties/actor_list.html", context, status=400 if form.errors else 200)


# Sources: keyset by id, newest entered first ---------------------------------------------------


class AfterIdForm(FilterForm):
    page = None
    after = forms.IntegerField(
        required=False,
        min_value=1,
        label="Continuing from",
        error_messages={"invalid": "That link to a later page is broken; showing the first."},
    )


@require_safe
def source_list(request):
    form = AfterIdForm(request.GET)
    form.is_valid()
    after = form.cleaned_data.get("after")
    sources = Source.objects.public().select_related("outlet").defer("search_vector")
    if after:
        sources = sources.filter(pk__lt=after)
    # The primary key's index, backwards: the most recently entered sources first.
    rows = list(sources.order_by("-pk")[: SOURCES_PER_PAGE + 1])
    shown = rows[:SOURCES_PER_PAGE]
    context = {
        "sources": shown,
        "problems": form.problems,
        "continuing": bool(after),
        "next_url": _url("treaties:source_list", query_string({"after": shown[-1].pk}))
        if len(rows) > SOURCES_PER_PAGE
        else "",
    }
    return render(request, "treaties/source_list.html", context, status=400 if form.errors else 200)


# Pages of entries (a source's, a topic's, every event): the timeline's keyset ---------------


class CursorForm(FilterForm):
    page = None
    after = CursorField()


def _entries(request, filters: dict, url_name: str, **url_kwargs) -> dict:
    """A page of timeline entries matching filters after the request's cursor, and the links
    to the first and the next page."""
    form = CursorForm(request.GET)
    form.is_valid()
    cursor = form.cleaned_data.get("after")
    page = timeline_page(filters, cursor=cursor, per_page=ENTRIES_PER_PAGE)
    return {
        "result": page,
        "problems": form.problems,
        "invalid": bool(form.errors),
        "first_url": _url(url_name, **url_kwargs),
        "next_url": _url(url_name, query_string({"after": page.next_cursor}), **url_kwargs)
        if page.has_next
        else "",
    }


def _render_entries(request, template, context):
    return render(request, template, context, status=400 if context["invalid"] else 200)


@require_safe
def source_detail(request, pk):
    source = Source.objects.select_related("outlet").defer("search_vector").filter(pk=pk).first()
    if source is None:
        # A merged source's old address moves to the source it was merged into.
        if winner := SourceMerge.objects.winner_of(loser_id=pk):
            return redirect(winner, permanent=True)
        raise Http404
    if not (request.user.is_staff or Source.objects.public().filter(pk=pk).exists()):
        raise Http404  # only drafts come from it so far
    context = {
        "source": source,
        **_entries(request, {"source": source}, "treaties:source_detail", pk=pk),
        # Events entered from another source that this one confirms: a few, newest first.
        "corroborated": Event.objects.published()
        .filter(other_sources=source)
        .with_display_relations()[:CORROBORATED_SHOWN],
    }
    return _render_entries(request, "treaties/source_detail.html", context)


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    context = {
        "topic": topic,
        **_entries(request, {"topic": topic}, "treaties:topic_detail", slug=slug),
    }
    return _render_entries(request, "treaties/topic_detail.html", context)


@require_safe
def event_list(request):
    context = _entries(request, {"kind": "events"}, "treaties:event_list")
    return _render_entries(request, "treaties/event_list.html", context)
