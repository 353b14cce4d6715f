"""A published statement's corrections: what changed in its words, date, speaker or source,
and when, read from the history django-simple-history keeps of every save.

Only changes made while the statement was public count (a draft's edits are not corrections),
and only the latest HISTORY_ROWS saves are read: the history table's index on the statement's
id bounds the query however often a statement is edited.
"""

import itertools
from dataclasses import dataclass, field

from django.utils.text import Truncator

from .dates import format_date
from .models import Actor, Source, Status

HISTORY_ROWS = 20

# The fields a reader is told about, grouped as the reader thinks of them.
TRACKED = {
    "text": "words",
    "date": "date",
    "date_precision": "date",
    "date_approximate": "date",
    "speaker": "speaker",
    "source": "source",
    "source_locator": "source",
}


@dataclass
class Change:
    what: str  # "words", "date", "speaker" or "source"
    before: str
    after: str


@dataclass
class Correction:
    when: object  # an aware datetime
    reason: str
    changes: list[Change] = field(default_factory=list)


def corrections(statement) -> list[Correction]:
    """The statement's corrections, newest first (at most HISTORY_ROWS of them)."""
    # One row more than shown: the oldest shown save is compared with the one before it.
    rows = list(statement.history.order_by("-history_date", "-history_id")[: HISTORY_ROWS + 1])
    pairs = [
        (newer, older)
        for newer, older in itertools.pairwise(rows)
        if older.status == Status.PUBLISHED and newer.history_type == "~"
    ]
    diffs = []
    for newer, older in pairs:
        delta = newer.diff_against(older, included_fields=list(TRACKED))
        if delta.changed_fields:
            diffs.append((newer, older, {TRACKED[name] for name in delta.changed_fields}))
    names = _names(diffs)
    found = []
    for newer, older, what in diffs:
        correction = Correction(when=newer.history_date, reason=newer.history_change_reason or "")
        for aspect in ("words", "date", "speaker", "source"):
            if aspect in what:
                correction.changes.append(
                    Change(aspect, _describe(aspect, older, names), _describe(aspect, newer, names))
                )
        found.append(correction)
    return found


def _names(diffs) -> dict:
    """The speakers' and sources' names the changes mention, in one query each."""
    actor_ids, source_ids = set(), set()
    for newer, older, what in diffs:
        if "speaker" in what:
            actor_ids |= {newer.speaker_id, older.speaker_id}
        if "source" in what:
            source_ids |= {newer.source_id, older.source_id}
    actor_ids.discard(None)
    source_ids.discard(None)
    names = {}
    if actor_ids:
        names |= {("speaker", a.pk): a.name for a in Actor.objects.filter(pk__in=actor_ids)}
    if source_ids:
        names |= {("source", s.pk): str(s) for s in Source.objects.filter(pk__in=source_ids)}
    return names


def _describe(aspect: str, row, names: dict) -> str:
    if aspect == "words":
        return Truncator(row.text).words(60)
    if aspect == "date":
        return format_date(row.date, row.date_precision, row.date_approximate)
    if aspect == "speaker":
        return names.get(("speaker", row.speaker_id), "no speaker")
    title = names.get(("source", row.source_id), "no source")
    return f"{title}, {row.source_locator}" if row.source_locator else title
