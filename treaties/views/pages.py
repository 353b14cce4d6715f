"""One record per page: home, a treaty, an actor, a statement's permalink, an event."""

import datetime

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from intake.models import surrounding

from ..actor_page import read_actor
from ..filters import CursorField, EchoingForm, QuickSelect
from ..lifespans import treaty_lifespans
from ..models import (
    Actor,
    ActorMerge,
    Event,
    Source,
    Statement,
    StatementTally,
    Status,
    Treaty,
    estimated_count,
)
from ..permalink import read_permalink
from ..reference import reference_lists
from ..sharing import quotation_json_ld, setting_phrase
from ..sides import sides_page
from ..timeline import timeline_page
from ..treaty_page import read_treaty, recent_sources
from .cite import event_page_context, statement_page_context
from .lists import query_string, render_list

LATEST_STATEMENTS = 6
HOME_TREATIES = 12
ACTOR_STATEMENTS_PER_PAGE = 20
MENTIONS_SHOWN = 10
CONTEXT_SHOWN = 8  # of each kind


# Home ------------------------------------------------------------------------------------


@require_safe
def home(request):
    # The chart and the list show the latest treaties: the page weighs the same with 200.
    treaties = list(Treaty.objects.latest_signed()[:HOME_TREATIES])
    today = timezone.localdate()
    latest = Statement.objects.published().for_cards().order_by("-date", "-id")[:LATEST_STATEMENTS]
    return render(
        request,
        "treaties/home.html",
        {
            "holdings": {
                "treaties": Treaty.objects.count(),
                "statements": StatementTally.objects.count_of(),
                # Exact while small; estimates where a count would read a large table whole.
                "events": estimated_count(Event.objects.published()),
                "actors": estimated_count(Actor.objects.all()),
                "sources": estimated_count(Source.objects.all()),
            },
            "treaties": treaties,
            "chart": treaty_lifespans(treaties, today=today),
            "chart_narrow": treaty_lifespans(treaties, today=today, width=380, max_ticks=5),
            "latest": latest,
        },
    )


# Treaty --------------------------------------------------------------------------------------

ORDERS = {"newest": "Newest first", "oldest": "Oldest first"}
# The treaty page is the fact sheet: its latest entries and most frequent speakers, each list
# one link from the whole of it (the timeline, who said what). Every card shown costs the
# page's render a third of a millisecond.
TREATY_TIMELINE_SHOWN = 12
TREATY_SPEAKERS_SHOWN = 8


@require_safe
def treaty_detail(request, slug):
    treaty = read_treaty(slug)
    if treaty is None:
        raise Http404("No treaty has this address.")
    order = request.GET.get("order", "newest")
    order_message = ""
    if order not in ORDERS:
        order_message = "The order can be “newest” or “oldest”; showing the newest first."
        order = "newest"
    # The latest (or earliest) entries and the most frequent speakers; the rest are one link
    # away on the timeline and "who said what", so the page stays small however much is said.
    filters = {"treaty": treaty, "order": order}
    timeline = timeline_page(filters, per_page=TREATY_TIMELINE_SHOWN)
    sides = sides_page(filters, per_page=TREATY_SPEAKERS_SHOWN)
    context = {
        "treaty": treaty,
        "parties": list(treaty.treatyparty_set.all()),
        "entries": [(entry.kind, entry.record) for entry in timeline.entries],
        "entries_total": timeline.total,
        "order": order,
        "other_order": "oldest" if order == "newest" else "newest",
        "order_message": order_message,
        # Most statements first, then the latest, whichever side they are on.
        "speakers": sides.speakers,
        "speakers_total": sides.page.paginator.count,
        "sources": recent_sources(treaty),
    }
    return render_list(
        request, "treaties/treaty_detail.html", context, partials=["treaty-timeline"]
    )


# Actor ----------------------------------------------------------------------------------------


class ActorStatementFilter(EchoingForm):
    """Narrows an actor's statements to one treaty and/or one year, among those they have."""

    treaty = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        error_messages={
            "invalid_choice": "None of these statements concerns a treaty called “%(value)s”; "
            "showing all treaties."
        },
    )
    year = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=QuickSelect,
        error_messages={
            "invalid_choice": "There is no statement from the year “%(value)s”; showing all years."
        },
    )

    after = CursorField()

    def __init__(self, data, *, treaties, years):
        super().__init__(data)
        self.treaties = {treaty.slug: treaty for treaty in treaties}
        self.fields["treaty"].choices = [("", "All treaties")] + [
            (treaty.slug, treaty.short_name) for treaty in treaties
        ]
        self.fields["year"].choices = [("", "All years")] + [(str(y), str(y)) for y in years]

    def filters(self, actor) -> dict:
        """Timeline filters for the actor's statements (fields that are valid still apply when
        another is not; call after is_valid())."""
        self.selected_treaty = self.treaties.get(self.cleaned_data.get("treaty"))
        self.selected_year = self.cleaned_data.get("year")
        self.filtered = bool(self.selected_treaty or self.selected_year)
        filters = {"actor": actor, "kind": "statements", "treaty": self.selected_treaty}
        if year := self.selected_year:
            filters.update({"from": datetime.date(year, 1, 1), "to": datetime.date(year, 12, 31)})
        return filters


@require_safe
def actor_detail(request, slug):
    record = read_actor(slug)
    if record is None:
        # A merged actor's old address moves to the record it was merged into.
        if winner := ActorMerge.objects.winner_of(loser_slug=slug):
            return redirect(winner, permanent=True)
        raise Http404("No actor has this address.")
    actor, said = record.actor, record.said
    # The treaties and years to choose from, and the totals, from the speaker's tallies; the
    # treaties' slugs and names from the reference lists.
    treaties = [t for t in reference_lists().treaties if t.pk in said.treaty_ids]
    if missing := said.treaty_ids - {treaty.pk for treaty in treaties}:
        # New since the lists were read, in another process (they are up to a minute old).
        treaties += Treaty.objects.filter(pk__in=missing).only("slug", "short_name")
        treaties.sort(key=lambda treaty: treaty.short_name)
    form = ActorStatementFilter(request.GET, treaties=treaties, years=said.years)
    form.is_valid()
    filters = form.filters(actor)
    # Counted below, by year too, which the timeline's own total cannot.
    page = timeline_page(
        filters,
        cursor=form.cleaned_data.get("after"),
        per_page=ACTOR_STATEMENTS_PER_PAGE,
        count=False,
    )
    total_said = said.count()
    total_shown = said.count(treaty=form.selected_treaty, year=form.selected_year)
    if total_shown is None:
        total_shown = StatementTally.objects.count_of(
            speaker=actor, treaty=form.selected_treaty, year=form.selected_year
        )
    query = {"treaty": form.selected_treaty, "year": form.selected_year}
    context = {
        "actor": actor,
        "form": form,
        "filtered": form.filtered,
        "statements": [entry.record for entry in page.entries],
        "page": page,
        "next_query": query_string(query, after=page.next_cursor),
        "first_query": query_string(query),
        # The downloads hold what the page lists: the timeline's filters for it.
        "export_query": query_string(filters),
        "total_said": total_said,
        "total_shown": total_shown,
        "mentioned_in": Statement.objects.published()
        .mentioning(actor)
        .for_cards()
        .order_by("-date", "-id")[:MENTIONS_SHOWN],
        "events": Event.objects.published()
        .involving(actor)
        .with_display_relations()[:MENTIONS_SHOWN],
        "treaties_party_to": record.parties,
    }
    # The filtered view's tidy URL for the history: empty fields left out.
    clean = query_string(query, after=form.cleaned_data.get("after"))
    return render_list(
        request,
        "treaties/actor_detail.html",
        context,
        partials=["actor-statements"],
        clean_url=f"{actor.get_absolute_url()}?{clean}" if clean else actor.get_absolute_url(),
    )


def _admin_url(request, record):
    """Where an editor changes this record, for the draft banner and the editors' link."""
    if not request.user.is_staff:
        return ""
    try:
        return reverse(f"admin:treaties_{record._meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:  # the model is not in the admin
        return ""


# Statement permalink -----------------------------------------------------------------------


def _in_context(record):
    """Statements and events around a record, oldest first, split into those from the same
    days and those only from the same source (the nearest in date first chosen)."""
    statements = (
        Statement.objects.published().in_context_of(record, limit=CONTEXT_SHOWN).for_cards()
    )
    # Without the search documents, which are large and which no card shows.
    events = (
        Event.objects.published()
        .in_context_of(record, limit=CONTEXT_SHOWN)
        .with_display_relations()
        .defer("search_vector", "source__search_vector")
    )
    entries = sorted(
        [("statement", s) for s in statements[:CONTEXT_SHOWN]]
        + [("event", e) for e in events[:CONTEXT_SHOWN]],
        key=lambda entry: (entry[1].date, entry[0] == "statement", entry[1].pk),
    )
    return {
        "same_days": [entry for entry in entries if entry[1].same_days],
        "same_source": [entry for entry in entries if not entry[1].same_days],
    }


def _gone(request, model, **lookup):
    """410 Gone for a record that was published once (unpublished or deleted since: its
    history remembers it), so that a citation in the wild explains itself; 404 for one that
    never was, drafts included. One indexed query (by id or slug)."""
    if not model.history.filter(**lookup, status=Status.PUBLISHED).exists():
        raise Http404
    context = {"noun": model._meta.verbose_name}
    response = render(request, "410.html", context, status=410)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def statement_detail(request, pk, slug=""):
    # The "in context" lists come with ?context=all: htmx asks for them alone once the page
    # is shown, a reader without JavaScript follows a link to the whole page with them.
    with_context = "context" in request.GET
    context_alone = with_context and request.htmx
    # One query for the statement and what the page shows beside it (treaties/permalink.py).
    found = read_permalink(pk, drafts=request.user.is_authenticated and request.user.is_staff)
    if found is None:
        return _gone(request, Statement, id=pk)
    statement = found.statement
    context_url = statement.get_absolute_url() + "?context=all"
    if slug != (statement.slug or "-"):
        # The id is the permalink; any other slug, or none, moves to the canonical address
        # (with ?context=all kept: a page cached before a slug changed still asks for it).
        canonical = context_url if with_context else statement.get_absolute_url()
        return redirect(canonical, permanent=True)
    in_context = _in_context(statement) if with_context else None
    if context_alone:
        context = {"statement": statement, "in_context": in_context}
        response = render(request, "treaties/statement_detail.html#in-context", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    url = request.build_absolute_uri(statement.get_absolute_url())
    context = {
        "statement": statement,
        "role": found.role,
        "setting": setting_phrase(statement),
        "treaties": found.treaties,
        "mentions": found.mentions,
        "topics": found.topics,
        "canonical": url,
        "in_context": in_context,
        "context_url": context_url,
        # The sentences around the words in the article they were taken from (intake).
        "passage": surrounding(statement),
        "previous": found.previous,
        "next": found.next,
        **statement_page_context(request, statement, url=url, corrected=found.corrected),
        "json_ld": quotation_json_ld(statement, url=url, treaties=found.treaties),
        "admin_url": _admin_url(request, statement),
    }
    response = render(request, "treaties/statement_detail.html", context)
    if not statement.is_published:
        response["X-Robots-Tag"] = "noindex"
    if with_context:
        patch_vary_headers(response, ["HX-Request"])
    return response


# Event ------------------------------------------------------------------------------------------


@require_safe
def event_detail(request, slug):
    try:
        event = (
            Event.objects.visible_to(request.user)
            .with_display_relations()
            .prefetch_related("treaties", "actors", "other_sources__outlet")
            .get(slug=slug)
        )
    except Event.DoesNotExist:
        # An event whose slug has changed since moves to its current address.
        version = Event.history.filter(slug=slug).order_by("-history_date").first()
        current = version and Event.objects.visible_to(request.user).filter(pk=version.id).first()
        if current:
            return redirect(current, permanent=True)
        return _gone(request, Event, slug=slug)
    sources = [event.source] if event.source else []
    sources += [source for source in event.other_sources.all() if source not in sources]
    context = {
        "event": event,
        "sources": sources,
        "in_context": _in_context(event),
        "admin_url": _admin_url(request, event),
        **event_page_context(request, event),
    }
    response = render(request, "treaties/event_detail.html", context)
    if not event.is_published:
        response["X-Robots-Tag"] = "noindex"
    return response
