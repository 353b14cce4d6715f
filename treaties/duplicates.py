"""Likely duplicates, so that an editor is warned before a second copy of a record stays in:
a source with the same URL or nearly the same title, an actor whose name or alias is close
to another's, a statement by the same speaker in nearly the same words.

Every lookup is bounded at a million statements: an indexed URL lookup, a GIN full-text or
trigram lookup cut to a few candidates, or one speaker's statements within a year, by the
(speaker, date) index; the candidates are then compared in Python.
"""

import datetime
import difflib
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery
from django.db.models import Value

from .fulltext import CONFIG, folded
from .models import Actor, ActorAlias, Source, SourceMerge, Statement

SAME_TITLE = 0.9  # difflib ratios of folded text above which two records are the same
SAME_NAME = 0.8  # "Zakharova" and "Zajárova": 0.82
SAME_WORDS = 0.9
CANDIDATES = 20


def fold(text: str) -> str:
    stripped = unicodedata.normalize("NFKD", text)
    return "".join(c for c in stripped if not unicodedata.combining(c)).lower().strip()


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio()


def similar_source(*, url: str, title: str, exclude: int | None = None) -> Source | None:
    """The source with this URL, or one whose title is nearly the same."""
    others = Source.objects.exclude(pk=exclude) if exclude else Source.objects.all()
    if url and (found := others.filter(url=url).order_by("pk").first()):
        return found
    # A source merged into another (treaties/merges.py) is found as the one it went into.
    if url and (found := SourceMerge.objects.winner_of(loser_url=url)) and found.pk != exclude:
        return found
    longest = sorted(set(re.findall(r"\w{4,}", fold(title))), key=len, reverse=True)[:4]
    if not longest:
        return None
    # In titles only (weight A): the document also holds the author's and the outlet's names.
    query = SearchQuery(
        " & ".join(f"{word}:A" for word in longest), search_type="raw", config=CONFIG
    )
    candidates = others.filter(search_vector=query).only("title")[:CANDIDATES]
    best = max(candidates, key=lambda source: _ratio(title, source.title), default=None)
    return best if best is not None and _ratio(title, best.title) >= SAME_TITLE else None


def similar_actor(*, names: list[str], exclude: int | None = None) -> Actor | None:
    """Another actor whose name or an alias is close to one of these names."""
    for name in names:
        if not name.strip():
            continue
        value = folded(Value(name))
        by_name = (
            Actor.objects.alias(key=folded("name"))
            .filter(key__trigram_similar=value)
            .exclude(pk=exclude)
            .only("name")[:CANDIDATES]
        )
        for actor in by_name:
            if _ratio(name, actor.name) >= SAME_NAME:
                return actor
        by_alias = (
            ActorAlias.objects.alias(key=folded("name"))
            .filter(key__trigram_similar=value)
            .exclude(actor_id=exclude)
            .select_related("actor")[:CANDIDATES]
        )
        for alias in by_alias:
            if _ratio(name, alias.name) >= SAME_NAME:
                return alias.actor
    return None


def similar_statement(
    *, speaker_id: int | None, text: str, date: datetime.date | None = None, exclude=None
) -> Statement | None:
    """A statement by the same speaker in nearly the same words, within a year of date."""
    if speaker_id is None or not text.strip():
        return None
    candidates = Statement.objects.filter(speaker_id=speaker_id)
    if date:
        year = datetime.timedelta(days=366)
        candidates = candidates.filter(date__range=(date - year, date + year))
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    for statement in candidates.order_by("-date").only("text", "date", "slug")[:200]:
        if _ratio(text, statement.text) >= SAME_WORDS:
            return statement
    return None
