"""The timeline: published statements and events on one line, filtered and paged together.

Paged by keyset, not by page number: a page is the next `per_page` entries after a cursor
(the last entry shown: its date, kind and id). Each kind takes its own `per_page + 1` rows
from an index in timeline order, starting after the cursor, and the two short lists are
merged here, so a page costs the same at the millionth entry as at the first. Statements
about a treaty come from TreatyStatement, which holds their dates for exactly this.

In timeline order a day's events come before its statements; entries of one kind are in id
order. The number of queries per page is the same whatever the tables hold.
"""

import datetime
from dataclasses import dataclass

from django.db import router
from django.db.models import Q

from .cards import statement_cards
from .dates import DatePrecision
from .models import Event, Statement, StatementTally, TreatyStatement
from .prepared import PreparedQuery

PER_PAGE = 25
STATEMENT, EVENT = "statement", "event"
# Events are few beside statements; counting a filtered set of them stops here.
EVENTS_COUNTED = 10_000


@dataclass(frozen=True, order=True)
class Cursor:
    """Where a page of the timeline starts: just after this entry."""

    date: datetime.date
    kind: str
    pk: int

    def __str__(self):
        return f"{self.date.isoformat()}~{self.kind[0]}{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """Raises ValueError for anything that is not a cursor this module wrote."""
        day, _, entry = text.partition("~")
        kinds = {"s": STATEMENT, "e": EVENT}
        if entry[:1] not in kinds or not entry[1:].isdigit() or len(entry) > 20:
            raise ValueError(text)
        return cls(datetime.date.fromisoformat(day), kinds[entry[0]], int(entry[1:]))


def statements_for(filters: dict):
    """Published statements matching the timeline filters (see TimelineFilterForm)."""
    if filters.get("kind") == "events":
        return Statement.objects.none()
    statements = Statement.objects.published()
    if treaty := filters.get("treaty"):
        statements = statements.about_treaty(treaty)
    if actor := filters.get("actor"):
        statements = statements.by_actor(actor)
    if source := filters.get("source"):
        statements = statements.filter(source=source)
    if topic := filters.get("topic"):
        statements = statements.filter(topics=topic)
    return _in_range(statements, filters)


def events_for(filters: dict):
    # Events have no topics: a topic's timeline is statements only.
    if filters.get("kind") == "statements" or filters.get("topic"):
        return Event.objects.none()
    events = Event.objects.published()
    if treaty := filters.get("treaty"):
        events = events.about_treaty(treaty)
    if actor := filters.get("actor"):
        events = events.involving(actor)
    if source := filters.get("source"):
        events = events.filter(source=source)
    return _in_range(events, filters)


def _in_range(queryset, filters):
    # Compared with the stored date, the start of its period: "mid-October 2022" counts as
    # 1 October 2022.
    if start := filters.get("from"):
        queryset = queryset.filter(date__gte=start)
    if end := filters.get("to"):
        queryset = queryset.filter(date__lte=end)
    return queryset


def _statement_keys(filters: dict):
    """(date, id) rows of the filtered statements, from the index that serves the filter."""
    if filters.get("kind") == "events":
        return None
    if (treaty := filters.get("treaty")) and not (filters.get("source") or filters.get("topic")):
        rows = TreatyStatement.objects.filter(treaty=treaty)
        if actor := filters.get("actor"):
            rows = rows.filter(speaker=actor)
        return _in_range(rows, filters), "statement_id"
    return statements_for(filters), "id"


def after(cursor: Cursor | None, kind: str, *, oldest_first: bool, pk_field: str = "id") -> Q:
    """Entries of kind that come after cursor in timeline order."""
    if cursor is None:
        return Q()
    beyond = "gt" if oldest_first else "lt"
    if kind == cursor.kind:
        # The first condition is implied by the second; it lets the index scan start there.
        return Q(**{f"date__{beyond}e": cursor.date}) & (
            Q(**{f"date__{beyond}": cursor.date})
            | Q(date=cursor.date, **{f"{pk_field}__{beyond}": cursor.pk})
        )
    if cursor.kind < kind:  # the cursor's day still has entries of this kind to come
        return Q(**{f"date__{beyond}e": cursor.date})
    return Q(**{f"date__{beyond}": cursor.date})


def _branch(queryset, pk_field, kind, cursor, limit, oldest_first):
    order = ("date", pk_field) if oldest_first else ("-date", f"-{pk_field}")
    rows = (
        queryset.filter(after(cursor, kind, oldest_first=oldest_first, pk_field=pk_field))
        .order_by(*order)
        .values_list("date", pk_field)[:limit]
    )
    return [Cursor(date, kind, pk) for date, pk in rows]


def merged_keys(filters: dict, cursor: Cursor | None, limit: int) -> list[Cursor]:
    """The next `limit` entries after cursor, as cursors, in timeline order."""
    oldest_first = filters.get("order") == "oldest"
    keys = []
    if found := _statement_keys(filters):
        queryset, pk_field = found
        keys += _branch(queryset, pk_field, STATEMENT, cursor, limit, oldest_first)
    if filters.get("kind") != "statements":
        keys += _branch(events_for(filters), "id", EVENT, cursor, limit, oldest_first)
    return _in_order(keys, oldest_first)[:limit]


def _in_order(keys: list[Cursor], oldest_first: bool) -> list[Cursor]:
    if oldest_first:
        return sorted(keys, key=lambda key: (key.date, key.kind, key.pk))
    # Newest first, but within a day events still come first and ids go down.
    return sorted(keys, key=lambda key: (-key.date.toordinal(), key.kind, -key.pk))


# The start of a treaty's timeline with its totals, in one prepared query (treaty pages, and
# the timeline of one treaty): through the ORM, four queries whose SQL cost more to make than
# to run.
TREATY_START = {
    order: PreparedQuery(
        f"treaty_timeline_{order}",
        "treaty_timeline.sql",
        direction={"newest": "DESC", "oldest": "ASC"}[order],
        events_counted=EVENTS_COUNTED,
    )
    for order in ("newest", "oldest")
}
# The only filters a timeline may have to start from TREATY_START: a filter added later
# narrows it, and so takes merged_keys() until the query knows it.
TREATY_ALONE = {"treaty", "order"}


def _starts_a_treaty(filters: dict, cursor: Cursor | None) -> bool:
    asked = {name for name, value in filters.items() if value}
    return cursor is None and "treaty" in asked and asked <= TREATY_ALONE


def _treaty_start(filters: dict, limit: int) -> tuple[list[Cursor], int]:
    """The first `limit` entries of a treaty's timeline, as cursors, and how many there are
    (as total() counts them)."""
    order = "oldest" if filters.get("order") == "oldest" else "newest"
    rows = TREATY_START[order].execute(
        router.db_for_read(TreatyStatement), filters["treaty"].pk, limit
    )
    keys = [Cursor(date, kind, pk) for kind, date, pk, _, _ in rows if kind is not None]
    _, _, _, statements, events = rows[0]
    return _in_order(keys, order == "oldest")[:limit], (statements or 0) + events


def total(filters: dict) -> int | None:
    """How many entries match, from the summaries; None where that would mean counting a
    large set (a date range: the summaries count by whole year only)."""
    if filters.get("from") or filters.get("to") or filters.get("source"):
        return None
    statements = 0
    if filters.get("kind") != "events":
        statements = StatementTally.objects.count_of(
            speaker=filters.get("actor"), treaty=filters.get("treaty"), topic=filters.get("topic")
        )
    events = 0
    if filters.get("kind") != "statements":
        events = events_for(filters).order_by()[:EVENTS_COUNTED].count()
    return statements + events


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
    entries: list[Entry]
    cursor: Cursor | None  # where this page starts (None: at the beginning)
    next_cursor: Cursor | None  # where the next page starts (None: this is the last)
    total: int | None  # every matching entry, when the summaries can say

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _group_key(record):
    month = None if record.date_precision == DatePrecision.YEAR else record.date.month
    return (record.date.year, month)


def timeline_page(
    filters: dict, *, cursor: Cursor | None = None, per_page: int = PER_PAGE, count=True
) -> TimelinePage:
    counted = None
    if _starts_a_treaty(filters, cursor):
        keys, counted = _treaty_start(filters, per_page + 1)
    else:
        keys = merged_keys(filters, cursor, per_page + 1)
    next_cursor = keys[per_page - 1] if len(keys) > per_page else None
    keys = keys[:per_page]

    ids = {STATEMENT: [], EVENT: []}
    for key in keys:
        ids[key.kind].append(key.pk)
    # In no order: the keys give it (and an ORDER BY costs Django's compiler a hash of every
    # column selected).
    records = {
        STATEMENT: statement_cards(ids[STATEMENT]),
        EVENT: Event.objects.filter(pk__in=ids[EVENT])
        .with_display_relations()
        .defer("search_vector", "source__search_vector")
        .order_by()
        .in_bulk()
        if ids[EVENT]
        else {},
    }

    if not count:
        counted = None
    elif counted is None:
        counted = total(filters)

    entries = []
    # A page that continues a month does not repeat its heading.
    last_key = (cursor.date.year, cursor.date.month) if cursor else None
    for key in keys:
        record = records[key.kind].get(key.pk)
        if record is None:  # unpublished or deleted between the two queries
            continue
        group = _group_key(record)
        entries.append(
            Entry(
                kind=key.kind,
                record=record,
                new_year=last_key is None or group[0] != last_key[0],
                new_month=last_key is None or group != last_key,
            )
        )
        last_key = group
    return TimelinePage(
        entries=entries,
        cursor=cursor,
        next_cursor=next_cursor,
        total=counted,
    )


# "Load more" pages in the URL: a reloaded, shared or returned-to list shows every page loaded.
UNTIL_LIMIT = 250  # entries (ten pages): the most one URL shows


def timeline_until(filters: dict, until: Cursor, *, limit: int = UNTIL_LIMIT) -> TimelinePage:
    """The list from its start through the entry until, as after "load more" up to there.

    One keyset read of at most limit + 1 entries, so a URL cannot ask for more work than ten
    pages; past that the list stops at limit and goes on by "load more" as usual."""
    page = timeline_page(filters, per_page=limit)
    shown = next(
        (
            index
            for index, entry in enumerate(page.entries)
            if (entry.kind, entry.record.pk) == (until.kind, until.pk)
        ),
        None,
    )
    if shown is None:
        return page
    more = shown < len(page.entries) - 1 or page.has_next
    return TimelinePage(
        entries=page.entries[: shown + 1],
        cursor=None,
        next_cursor=until if more else None,
        total=page.total,
    )
