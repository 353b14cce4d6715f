"""The timeline: published statements and events on one line, filtered and paged together.

Paging two tables as one list: a UNION ALL of (date, kind, id) rows is ordered and sliced in
the database, then the page's statements and events are loaded with their relations in one
query each. The number of queries per page is the same whatever the tables hold.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When

from .dates import DatePrecision
from .models import Event, Statement

PER_PAGE = 25
STATEMENT, EVENT = "statement", "event"


def statements_for(filters: dict):
    """Published statements matching the timeline filters (see TimelineFilterForm)."""
    if filters.get("kind") == "events":
        return Statement.objects.none()
    statements = Statement.objects.published()
    if treaty := filters.get("treaty"):
        statements = statements.about_treaty(treaty)
    if actor := filters.get("actor"):
        statements = statements.by_actor(actor)
    return _in_range(statements, filters)


def events_for(filters: dict):
    if filters.get("kind") == "statements":
        return Event.objects.none()
    events = Event.objects.published()
    if treaty := filters.get("treaty"):
        events = events.about_treaty(treaty)
    if actor := filters.get("actor"):
        events = events.involving(actor)
    return _in_range(events, filters)


def _in_range(queryset, filters):
    # Compared with the stored date, the start of its period: "mid-October 2022" counts as
    # 1 October 2022.
    if start := filters.get("from"):
        queryset = queryset.filter(date__gte=start)
    if end := filters.get("to"):
        queryset = queryset.filter(date__lte=end)
    return queryset


def _rows(queryset, kind):
    return (
        queryset.order_by()
        .annotate(
            entry_kind=Value(kind),
            # A date known only to the year is stored as 1 January; this keeps such entries
            # together at the edge of their year instead of among the January ones.
            year_only=Case(
                When(date_precision=DatePrecision.YEAR, then=1),
                default=0,
                output_field=IntegerField(),
            ),
        )
        .values_list("date", "year_only", "entry_kind", "pk")
    )


def merged(statements, events, *, oldest_first=False):
    """(date, year_only, kind, id) rows of both, in timeline order, ready to slice."""
    rows = _rows(statements, STATEMENT).union(_rows(events, EVENT), all=True)
    if oldest_first:
        return rows.order_by("date", "-year_only", "entry_kind", "pk")
    return rows.order_by("-date", "year_only", "entry_kind", "-pk")


@dataclass
class Entry:
    kind: str
    record: Statement | Event
    new_year: bool
    new_month: bool

    @property
    def year(self) -> int:
        return self.record.date.year

    @property
    def month(self) -> datetime.date | None:
        """The month heading it sits under; None for a date known only to the year."""
        if self.record.date_precision == DatePrecision.YEAR:
            return None
        return self.record.date.replace(day=1)


@dataclass
class TimelinePage:
    page: object  # django.core.paginator.Page
    entries: list[Entry]
    requested_page: int | None

    @property
    def out_of_range(self) -> bool:
        return self.requested_page is not None and self.requested_page != self.page.number


def _group_key(date, year_only):
    return (date.year, None if year_only else date.month)


def timeline_page(filters: dict, *, per_page: int = PER_PAGE) -> TimelinePage:
    rows_query = merged(
        statements_for(filters), events_for(filters), oldest_first=filters.get("order") == "oldest"
    )
    requested = filters.get("page")
    page = Paginator(rows_query, per_page).get_page(requested)
    offset = (page.number - 1) * per_page
    # One row more, the last of the previous page, says whether this page opens a new year
    # or month (so "load more" does not repeat the heading of a month it continues).
    rows = list(rows_query[max(offset - 1, 0) : offset + per_page])
    previous = rows.pop(0) if offset else None

    ids = {STATEMENT: [], EVENT: []}
    for _date, _year_only, kind, pk in rows:
        ids[kind].append(pk)
    records = {
        STATEMENT: Statement.objects.filter(pk__in=ids[STATEMENT])
        .with_display_relations()
        .defer("search_vector", "source__search_vector")
        .in_bulk(),
        EVENT: Event.objects.filter(pk__in=ids[EVENT])
        .with_display_relations()
        .defer("search_vector", "source__search_vector")
        .in_bulk(),
    }

    entries = []
    last_key = _group_key(previous[0], previous[1]) if previous else None
    for date, year_only, kind, pk in rows:
        record = records[kind].get(pk)
        if record is None:  # unpublished or deleted between the two queries
            continue
        key = _group_key(date, year_only)
        entries.append(
            Entry(
                kind=kind,
                record=record,
                new_year=last_key is None or key[0] != last_key[0],
                new_month=last_key is None or key != last_key,
            )
        )
        last_key = key
    return TimelinePage(page=page, entries=entries, requested_page=requested)
