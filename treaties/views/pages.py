"""One record per page: home, a treaty, an actor, a statement's permalink, an event."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..lifespans import treaty_lifespans
from ..models import Actor, Event, Source, Statement, Treaty, TreatyParty
from ..sharing import citation_text, quotation_json_ld, setting_phrase
from ..sides import sides_page
from ..timeline import timeline_page
from .lists import render_list

LATEST_STATEMENTS = 6
ACTOR_STATEMENTS_PER_PAGE = 20
MENTIONS_SHOWN = 10
CONTEXT_SHOWN = 8  # of each kind


# Home ------------------------------------------------------------------------------------


@require_safe
def home(request):
    treaties = list(Treaty.objects.all())
    today = timezone.localdate()
    latest = Statement.objects.published().with_display_relations()[:LATEST_STATEMENTS]
    return render(
        request,
        "treaties/home.html",
        {
            "holdings": {
                "treaties": len(treaties),
                "statements": Statement.objects.published().count(),
                "events": Event.objects.published().count(),
                "actors": Actor.objects.count(),
                "sources": Source.objects.count(),
            },
            "treaties": treaties,
            "chart": treaty_lifespans(treaties, today=today),
            "chart_narrow": treaty_lifespans(treaties, today=today, width=380, max_ticks=5),
            "latest": latest,
        },
    )


# Treaty --------------------------------------------------------------------------------------

ORDERS = {"newest": "Newest first", "oldest": "Oldest first"}
TREATY_TIMELINE_SHOWN = 40
TREATY_SPEAKERS_SHOWN = 12
TREATY_SOURCES_SHOWN = 20


@require_safe
def treaty_detail(request, slug):
    treaty = get_object_or_404(Treaty.objects.with_display_relations(), slug=slug)
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
        "entries_total": timeline.page.paginator.count,
        "order": order,
        "other_order": "oldest" if order == "newest" else "newest",
        "order_message": order_message,
        "speakers": [speaker for side in sides.sides for speaker in side.speakers],
        "speakers_total": sides.page.paginator.count,
        "sources": Source.objects.used_for_treaty(treaty)[:TREATY_SOURCES_SHOWN],
    }
    return render_list(
        request, "treaties/treaty_detail.html", context, partials=["treaty-timeline"]
    )


# Actor ----------------------------------------------------------------------------------------


class ActorStatementFilter(forms.Form):
    """Narrows an actor's statements to one treaty and/or one year, among those they have."""

    treaty = forms.ChoiceField(
        required=False,
        error_messages={
            "invalid_choice": "None of these statements concerns a treaty called “%(value)s”; "
            "showing all treaties."
        },
    )
    year = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "There is no statement from the year “%(value)s”; showing all years."
        },
    )

    def __init__(self, data, *, treaties, years):
        super().__init__(data)
        self.treaties = {treaty.slug: treaty for treaty in treaties}
        self.fields["treaty"].choices = [("", "All treaties")] + [
            (treaty.slug, treaty.short_name) for treaty in treaties
        ]
        self.fields["year"].choices = [("", "All years")] + [(str(y), str(y)) for y in years]

    def filter(self, statements):
        self.is_valid()  # fields that are valid still apply when another is not
        self.selected_treaty = self.treaties.get(self.cleaned_data.get("treaty"))
        self.selected_year = self.cleaned_data.get("year")
        if self.selected_treaty:
            statements = statements.about_treaty(self.selected_treaty)
        if self.selected_year:
            statements = statements.in_year(self.selected_year)
        return statements


def _page(paginator, raw):
    """The requested page, or the nearest real one with a message saying so (never a 500)."""
    try:
        number = int(raw or 1)
    except ValueError:
        return paginator.page(1), f"There is no page “{raw[:40]}”; showing the first page."
    if number < 1:
        return paginator.page(1), "Pages start at 1; showing the first page."
    if number > paginator.num_pages:
        last = paginator.num_pages
        if last == 1:
            return paginator.page(1), "There is only one page; showing it."
        return paginator.page(last), f"There are only {last} pages; showing the last one."
    return paginator.page(number), ""


@require_safe
def actor_detail(request, slug):
    actor = get_object_or_404(
        Actor.objects.with_display_relations().prefetch_related(
            Prefetch("treatyparty_set", TreatyParty.objects.select_related("treaty"))
        ),
        slug=slug,
    )
    said = Statement.objects.published().by_actor(actor)
    years = [day.year for day in said.dates("date", "year", order="DESC")]
    form = ActorStatementFilter(
        request.GET, treaties=Treaty.objects.spoken_about_by(actor), years=years
    )
    statements = form.filter(said).with_display_relations()
    filtered = bool(form.selected_treaty or form.selected_year)
    page, page_message = _page(
        Paginator(statements, ACTOR_STATEMENTS_PER_PAGE), request.GET.get("page")
    )
    base_query = request.GET.copy()
    base_query.pop("page", None)
    context = {
        "actor": actor,
        "form": form,
        "filtered": filtered,
        "page_obj": page,
        "page_message": page_message,
        "base_query": base_query.urlencode(),
        # Unfiltered, the paginator has already counted them.
        "total_said": said.count() if filtered else page.paginator.count,
        "mentioned_in": Statement.objects.published()
        .mentioning(actor)
        .with_display_relations()[:MENTIONS_SHOWN],
        "events": Event.objects.published()
        .involving(actor)
        .with_display_relations()[:MENTIONS_SHOWN],
        "treaties_party_to": list(actor.treatyparty_set.all()),
    }
    return render_list(
        request, "treaties/actor_detail.html", context, partials=["actor-statements"]
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
    statements = Statement.objects.published().in_context_of(record).with_display_relations()
    events = Event.objects.published().in_context_of(record).with_display_relations()
    entries = sorted(
        [("statement", s) for s in statements[:CONTEXT_SHOWN]]
        + [("event", e) for e in events[:CONTEXT_SHOWN]],
        key=lambda entry: (entry[1].date, entry[0] == "statement", entry[1].pk),
    )
    return {
        "same_days": [entry for entry in entries if entry[1].same_days],
        "same_source": [entry for entry in entries if not entry[1].same_days],
    }


@require_safe
def statement_detail(request, pk, slug=""):
    statement = get_object_or_404(
        Statement.objects.visible_to(request.user)
        .with_display_relations()
        .prefetch_related("mentions", "topics"),
        pk=pk,
    )
    if slug != (statement.slug or "-"):
        # The id is the permalink; any other slug, or none, moves to the canonical address.
        return redirect(statement.get_absolute_url(), permanent=True)
    url = request.build_absolute_uri(statement.get_absolute_url())
    treaties = list(statement.treaties.all())
    # Previous and next by the same speaker (a draft may not have one yet).
    neighbours = Statement.objects.published().by_actor(statement.speaker)
    if statement.speaker is None:
        neighbours = neighbours.none()
    context = {
        "statement": statement,
        "role": statement.speaker_role,
        "setting": setting_phrase(statement),
        "treaties": treaties,
        "canonical": url,
        "in_context": _in_context(statement),
        "previous": neighbours.earlier_than(statement).first(),
        "next": neighbours.later_than(statement).first(),
        "citation": citation_text(statement, url=url, accessed=timezone.localdate()),
        "json_ld": quotation_json_ld(statement, url=url, treaties=treaties),
        "admin_url": _admin_url(request, statement),
    }
    response = render(request, "treaties/statement_detail.html", context)
    if not statement.is_published:
        response["X-Robots-Tag"] = "noindex"
    return response


# Event ------------------------------------------------------------------------------------------


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.visible_to(request.user)
        .with_display_relations()
        .prefetch_related("other_sources__outlet"),
        slug=slug,
    )
    sources = [event.source] if event.source else []
    sources += [source for source in event.other_sources.all() if source not in sources]
    context = {
        "event": event,
        "sources": sources,
        "in_context": _in_context(event),
        "admin_url": _admin_url(request, event),
    }
    response = render(request, "treaties/event_detail.html", context)
    if not event.is_published:
        response["X-Robots-Tag"] = "noindex"
    return response
