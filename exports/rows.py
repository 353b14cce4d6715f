"""The rows of each list, a batch at a time, as records (dicts) ready to write.

Every generator here reads at most BATCH keys per query, in an index order continued from the
last key of the batch before, then loads that batch's rows with their relations in a fixed
number of queries (see QUERIES_PER_BATCH). Only published statements and events are loaded,
whatever the keys say.
"""

from api import records
from treaties import search, sides
from treaties.models import TreatyStatement
from treaties.timeline import STATEMENT, Cursor, after, merged_keys

BATCH = 500
# Queries a batch costs at most: the statement and event keys, the statements with their
# speakers and sources, then their treaties, topics, mentions and the speakers' roles with
# their organisations; the events with their sources, then their treaties, actors and
# other sources.
QUERIES_PER_BATCH = 2 + 6 + 4

RECORD = {
    "statement": (records.statements_for_records, records.statement_record),
    "event": (records.events_for_records, records.event_record),
}


def _loaded(kind: str, ids: list[int]) -> dict:
    rows, _ = RECORD[kind]
    return rows().filter(pk__in=ids).order_by().in_bulk() if ids else {}


def _records(keys: list[tuple[str, int]], absolute, extra=None):
    """The records of keys, (kind, id) pairs, in their order; drafts and deleted rows left out."""
    loaded = {
        kind: _loaded(kind, [pk for key_kind, pk in keys if key_kind == kind]) for kind in RECORD
    }
    for kind, pk in keys:
        row = loaded[kind].get(pk)
        if row is not None:
            record = {"type": kind, **RECORD[kind][1](row, absolute)}
            if extra:
                record.update(extra(row))
            yield record


def timeline(filters: dict, absolute, *, size: int | None = None):
    """The timeline's entries with its filters (treaty, actor, kind, from, to, order), in its
    order: statements and events merged by treaties.timeline.merged_keys."""
    size = size or BATCH
    cursor = None
    while True:
        keys = merged_keys(filters, cursor, size)
        yield from _records([(key.kind, key.pk) for key in keys], absolute)
        if len(keys) < size:
            return
        cursor = keys[-1]


def _side(statement) -> dict:
    # The speaker's country: the column "who said what" puts them in ("" for international).
    return {"side": statement.speaker.country}


def who_said_what(filters: dict, absolute, *, size: int | None = None):
    """Every published statement with a speaker on the filters' treaty and topic, newest first,
    each with its speaker's side. (The page groups them by speaker; a download keeps one
    row per statement, which a spreadsheet can group however the reader likes.)"""
    if treaty := filters.get("treaty"):
        # A treaty's statements in date order from TreatyStatement's (treaty, date) index.
        keys, pk_field = TreatyStatement.objects.filter(treaty=treaty), "statement_id"
        if topic := filters.get("topic"):
            keys = keys.filter(statement__topics=topic)
    else:
        keys, pk_field = sides.statements_for(filters), "id"
    size = size or BATCH
    cursor = None
    while True:
        batch = list(
            keys.filter(after(cursor, STATEMENT, oldest_first=False, pk_field=pk_field))
            .order_by("-date", f"-{pk_field}")
            .values_list("date", pk_field)[:size]
        )
        yield from _records([(STATEMENT, pk) for _, pk in batch], absolute, extra=_side)
        if len(batch) < size:
            return
        cursor = Cursor(batch[-1][0], STATEMENT, batch[-1][1])


def search_results(terms: list[str], absolute, *, size: int | None = None):
    """The statements a search finds, best first: the search page's statement results, which
    are the best of at most search.CANDIDATES matches (a search is a ranked sample, not a
    census: the timeline's filters give every statement of a treaty or speaker)."""
    if not terms:
        return
    size = size or BATCH
    with search.index_lookups():
        ranked, _count = search.statements(terms)
        ids = ranked.ranked_ids  # best first, at most search.CANDIDATES
    for start in range(0, len(ids), size):
        yield from _records([(STATEMENT, pk) for pk in ids[start : start + size]], absolute)
