"""The endpoints of the read-only JSON API: list and detail for treaties, actors, sources,
statements and events. Only published statements and events appear, and only the sources
behind them. Lists are cursor-paginated (api/paging.py); bad parameters are a 400 whose body
names each one and says what is wrong.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from treaties.models import Actor, ActorMerge, SourceMerge, Topic, Treaty

from . import paging, records
from .schemas import (
    ActorFilters,
    ActorOut,
    ActorPage,
    ErrorOut,
    EventFilters,
    EventOut,
    EventPage,
    PageFilters,
    SourceOut,
    SourcePage,
    StatementFilters,
    StatementOut,
    StatementPage,
    TreatyFilters,
    TreatyOut,
    TreatyPage,
)

api = NinjaAPI(
    title="Arms Control Record API",
    version="1",
    description=(
        "The published record of arms-control diplomacy, read-only: treaties, actors (with "
        "their aliases and roles), sources, statements and events. Every object carries its "
        "stable `id` and its `permalink` on the site. Lists are newest first (statements, "
        "events) or in id order, a page at a time: follow `next` (or pass `next_cursor` as "
        "`?cursor=`) until it is null. Drafts never appear."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)

LIST_RESPONSES = {400: ErrorOut}
DETAIL_RESPONSES = {404: ErrorOut}
# A path id beyond PostgreSQL's bigint is simply not found.
ID = Path(..., ge=1, le=2**63 - 1)


class BadFilter(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


def _error(request, detail: str, errors: list[dict], status: int = 400):
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        errors.append({"field": ".".join(location) or "request", "message": error["msg"]})
    return _error(request, "Some parameters are not valid.", errors)


@api.exception_handler(BadFilter)
def bad_filter(request, exc):
    return _error(request, exc.message, [{"field": exc.field, "message": exc.message}])


@api.exception_handler(paging.BadCursor)
def bad_cursor(request, exc):
    message = "This cursor was not given by this API: use a page's next_cursor as it is."
    return _error(request, message, [{"field": "cursor", "message": message}])


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, str(exc) or "Not found.", [], status=404)


def _absolute(request):
    return request.build_absolute_uri


def _named(queryset, slug, *, field, noun):
    """The record a slug filter names, or a 400 saying there is none."""
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise BadFilter(field, f"There is no {noun} “{slug}”.")
    return found


def _one(queryset, record, request, noun, merged=None, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        # A record merged into another (treaties/merges.py): its address moves to the winner's.
        if merged and (winner := merged.objects.winner_of(loser_id=lookup["pk"])):
            return redirect(reverse(f"api:{noun}_detail", args=[winner.pk]), permanent=True)
        raise Http404(f"There is no published {noun} with this id.")
    return record(found, _absolute(request))


def _page(request, queryset, order, filters, record):
    return paging.page(
        request,
        queryset,
        order,
        cursor=filters.cursor,
        limit=filters.limit,
        record=record,
        absolute=_absolute(request),
    )


# Treaties -------------------------------------------------------------------------------------


@api.get("/treaties/", response={200: TreatyPage, **LIST_RESPONSES}, url_name="treaty_list")
def treaty_list(request, filters: Query[TreatyFilters]):
    """Treaties, in id order."""
    treaties = records.treaties_for_records()
    if filters.status:
        treaties = treaties.filter(status=filters.status)
    if filters.kind:
        treaties = treaties.filter(kind=filters.kind)
    return _page(request, treaties, paging.ById, filters, records.treaty_record)


@api.get(
    "/treaties/{treaty_id}/",
    response={200: TreatyOut, **DETAIL_RESPONSES},
    url_name="treaty_detail",
)
def treaty_detail(request, treaty_id: int = ID):
    return _one(
        records.treaties_for_records(), records.treaty_record, request, "treaty", pk=treaty_id
    )


# Actors ----------------------------------------------------------------------------------------


@api.get("/actors/", response={200: ActorPage, **LIST_RESPONSES}, url_name="actor_list")
def actor_list(request, filters: Query[ActorFilters]):
    """People, states, government bodies, organisations and media outlets, in id order, with
    every spelling of their names (aliases) and the roles they held over time."""
    actors = records.actors_for_records()
    if filters.kind:
        actors = actors.filter(kind=filters.kind)
    if filters.country:
        actors = actors.filter(country=filters.country)
    return _page(request, actors, paging.ById, filters, records.actor_record)


@api.get(
    "/actors/{actor_id}/", response={200: ActorOut, **DETAIL_RESPONSES}, url_name="actor_detail"
)
def actor_detail(request, actor_id: int = ID):
    return _one(
        records.actors_for_records(),
        records.actor_record,
        request,
        "actor",
        merged=ActorMerge,
        pk=actor_id,
    )


# Sources ---------------------------------------------------------------------------------------


@api.get("/sources/", response={200: SourcePage, **LIST_RESPONSES}, url_name="source_list")
def source_list(request, filters: Query[PageFilters]):
    """The sources behind published statements and events, in id order."""
    return _page(
        request, records.sources_for_records(), paging.ById, filters, records.source_record
    )


@api.get(
    "/sources/{source_id}/", response={200: SourceOut, **DETAIL_RESPONSES}, url_name="source_detail"
)
def source_detail(request, source_id: int = ID):
    return _one(
        records.sources_for_records(),
        records.source_record,
        request,
        "source",
        merged=SourceMerge,
        pk=source_id,
    )


# Statements --------------------------------------------------------------------------------------


@api.get("/statements/", response={200: StatementPage, **LIST_RESPONSES}, url_name="statement_list")
def statement_list(request, filters: Query[StatementFilters]):
    """Published statements, newest first, filtered as on the site's timeline."""
    statements = records.statements_for_records()
    if filters.treaty:
        treaty = _named(Treaty.objects.only("pk"), filters.treaty, field="treaty", noun="treaty")
        statements = statements.about_treaty(treaty)
    if filters.speaker:
        actor = _named(Actor.objects.only("pk"), filters.speaker, field="speaker", noun="actor")
        statements = statements.by_actor(actor)
    if filters.topic:
        topic = _named(Topic.objects.only("pk"), filters.topic, field="topic", noun="topic")
        statements = statements.filter(topics=topic)
    statements = _dated(statements, filters)
    if filters.kind:
        statements = statements.filter(kind=filters.kind)
    return _page(request, statements, paging.ByDateDesc, filters, records.statement_record)


@api.get(
    "/statements/{statement_id}/",
    response={200: StatementOut, **DETAIL_RESPONSES},
    url_name="statement_detail",
)
def statement_detail(request, statement_id: int = ID):
    return _one(
        records.statements_for_records(),
        records.statement_record,
        request,
        "statement",
        pk=statement_id,
    )


# Events ------------------------------------------------------------------------------------------


@api.get("/events/", response={200: EventPage, **LIST_RESPONSES}, url_name="event_list")
def event_list(request, filters: Query[EventFilters]):
    """Published events, newest first, filtered as on the site's timeline."""
    events = records.events_for_records()
    if filters.treaty:
        treaty = _named(Treaty.objects.only("pk"), filters.treaty, field="treaty", noun="treaty")
        events = events.about_treaty(treaty)
    if filters.actor:
        actor = _named(Actor.objects.only("pk"), filters.actor, field="actor", noun="actor")
        events = events.involving(actor)
    events = _dated(events, filters)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return _page(request, events, paging.ByDateDesc, filters, records.event_record)


@api.get(
    "/events/{event_id}/", response={200: EventOut, **DETAIL_RESPONSES}, url_name="event_detail"
)
def event_detail(request, event_id: int = ID):
    return _one(records.events_for_records(), records.event_record, request, "event", pk=event_id)


def _dated(queryset, filters):
    if filters.from_date:
        queryset = queryset.filter(date__gte=filters.from_date)
    if filters.to_date:
        queryset = queryset.filter(date__lte=filters.to_date)
    return queryset
