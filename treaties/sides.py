"""Who said what: the statements on a treaty or topic, side by side by the speaker's country.

A page is a slice of the speakers (those who said most first, then the latest), each with
their latest few statements; the rest are one link away on the timeline. The speakers and
their counts come from StatementTally, the summary the database keeps, and each speaker's
latest statements from an index (a LIMITed subquery per speaker, read with the speakers), so
a page reads a few hundred rows however many statements there are. Queries per page: the
speakers (count and page), the speakers with their latest statements' ids, the statements
themselves with their speakers' roles on the day, and the total where a page shows it (the
names of the sides come from reference_lists()).
"""

import functools
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef

from .cards import statement_cards
from .models import (
    Actor,
    Statement,
    StatementTally,
    TreatyStatement,
)
from .reference import reference_lists

SPEAKERS_PER_PAGE = 12
STATEMENTS_PER_SPEAKER = 3


def statements_for(filters: dict):
    statements = Statement.objects.published().filter(speaker__isnull=False)
    if treaty := filters.get("treaty"):
        statements = statements.about_treaty(treaty)
    if topic := filters.get("topic"):
        statements = statements.filter(topics=topic)
    return statements


def latest_of_speaker(filters: dict, per_speaker: int) -> ArraySubquery:
    """Ids of the outer actor's latest statements on the filters' treaty and topic, as an
    array: a LIMITed read, per speaker, of the index that serves it."""
    if treaty := filters.get("treaty"):
        rows = TreatyStatement.objects.filter(treaty=treaty, speaker_id=OuterRef("pk"))
        pk_field = "statement_id"
        if topic := filters.get("topic"):
            rows = rows.filter(statement__topics=topic)
    else:
        rows = Statement.objects.published().filter(speaker_id=OuterRef("pk"))
        pk_field = "id"
        if topic := filters.get("topic"):
            rows = rows.filter(topics=topic)
    return ArraySubquery(rows.order_by("-date", f"-{pk_field}").values(pk_field)[:per_speaker])


@dataclass
class Speaker:
    actor: Actor
    count: int
    statements: list[Statement] = field(default_factory=list)
    side: str = ""  # the name of the side they speak for (see Side.name)

    @property
    def more(self) -> int:
        return self.count - len(self.statements)


@dataclass
class Side:
    country: str  # ISO code, "" for speakers without one
    name: str
    speakers: list[Speaker] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(speaker.count for speaker in self.speakers)


@dataclass
class SidesPage:
    page: object  # django.core.paginator.Page of speaker rows
    sides: list[Side]
    requested_page: int | None
    filters: dict
    # The page's speakers across sides: most statements first, then the latest (the tally's
    # order), for a single list such as the treaty page's.
    speakers: list[Speaker] = field(default_factory=list)

    @property
    def out_of_range(self) -> bool:
        return self.requested_page is not None and self.requested_page != self.page.number

    @functools.cached_property
    def total_statements(self) -> int:
        """Every statement on the treaty and topic, asked only by a page that shows it."""
        return StatementTally.objects.count_of(
            treaty=self.filters.get("treaty"), topic=self.filters.get("topic")
        )


def sides_page(filters: dict, *, per_page: int = SPEAKERS_PER_PAGE) -> SidesPage:
    speaker_rows = StatementTally.objects.speakers(
        treaty=filters.get("treaty"), topic=filters.get("topic")
    ).values("speaker_id", "statements")
    requested = filters.get("page")
    page = Paginator(speaker_rows, per_page).get_page(requested)
    counts = {row["speaker_id"]: row["statements"] for row in page.object_list}

    actors = (
        Actor.objects.filter(pk__in=counts)
        .annotate(latest=latest_of_speaker(filters, STATEMENTS_PER_SPEAKER))
        .only("pk", "name", "slug", "kind", "country")
        .order_by()
        .in_bulk()
    )
    # A speaker is never deleted while a statement names them (PROTECT); the check only
    # guards against a summary row read in the instant of a concurrent change.
    speakers = {
        pk: Speaker(actor=actors[pk], count=count) for pk, count in counts.items() if pk in actors
    }

    cards = statement_cards([pk for speaker in speakers.values() for pk in speaker.actor.latest])
    for statement in sorted(cards.values(), key=lambda card: (card.date, card.pk), reverse=True):
        speaker = speakers[statement.speaker_id]
        statement.speaker = speaker.actor
        speaker.statements.append(statement)

    names = reference_lists().states
    sides: dict[str, Side] = {}
    for speaker in speakers.values():
        country = speaker.actor.country
        if country not in sides:
            sides[country] = Side(
                country=country,
                name=names.get(country, country) if country else "International and other",
            )
        sides[country].speakers.append(speaker)
        speaker.side = sides[country].name
    ordered = sorted(sides.values(), key=lambda side: (side.country == "", -side.count, side.name))
    return SidesPage(
        page=page,
        sides=ordered,
        requested_page=requested,
        filters=filters,
        speakers=list(speakers.values()),
    )
