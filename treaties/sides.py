"""Who said what: the statements on a treaty or topic, side by side by the speaker's country.

A page is a slice of the speakers (those who said most first), each with their latest few
statements; the rest are one link away on the timeline. Queries per page: the speakers
(count and page), their roles, their latest statements (a window function keeps the first
few per speaker in one query), the names of the sides and a count, however many rows there
are.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from .models import Actor, Statement

SPEAKERS_PER_PAGE = 24
STATEMENTS_PER_SPEAKER = 4


def statements_for(filters: dict):
    statements = Statement.objects.published().filter(speaker__isnull=False)
    if treaty := filters.get("treaty"):
        statements = statements.about_treaty(treaty)
    if topic := filters.get("topic"):
        statements = statements.filter(topics=topic)
    return statements


@dataclass
class Speaker:
    actor: Actor
    count: int
    statements: list[Statement] = field(default_factory=list)

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
    total_statements: int

    @property
    def out_of_range(self) -> bool:
        return self.requested_page is not None and self.requested_page != self.page.number


def sides_page(filters: dict, *, per_page: int = SPEAKERS_PER_PAGE) -> SidesPage:
    statements = statements_for(filters)
    speaker_rows = (
        statements.order_by()
        .values("speaker_id")
        .annotate(count=Count("id", distinct=True))
        .order_by("-count", "speaker__name", "speaker_id")
    )
    requested = filters.get("page")
    paginator = Paginator(speaker_rows, per_page)
    page = paginator.get_page(requested)
    counts = {row["speaker_id"]: row["count"] for row in page.object_list}

    actors = (
        Actor.objects.filter(pk__in=counts)
        .prefetch_related("roles__organisation")
        .only("pk", "name", "slug", "kind", "country")
        .in_bulk()
    )
    speakers = {pk: Speaker(actor=actors[pk], count=count) for pk, count in counts.items()}

    latest = (
        statements.filter(speaker__in=counts)
        .annotate(
            position=Window(
                RowNumber(), partition_by=F("speaker_id"), order_by=[F("date").desc(), F("id")]
            )
        )
        .filter(position__lte=STATEMENTS_PER_SPEAKER)
        .select_related("source__outlet")
        .defer("search_vector", "source__search_vector")
        .order_by("speaker_id", "position")
    )
    for statement in latest:
        speaker = speakers[statement.speaker_id]
        # The speaker with its roles already loaded, for "what they were on the day".
        statement.speaker = speaker.actor
        speaker.statements.append(statement)

    countries = {speaker.actor.country for speaker in speakers.values()}
    names = dict(
        Actor.objects.states()
        .filter(country__in=countries - {""})
        .order_by("country", "name")
        .values_list("country", "name")
    )
    sides: dict[str, Side] = {}
    for speaker in speakers.values():
        country = speaker.actor.country
        if country not in sides:
            sides[country] = Side(
                country=country,
                name=names.get(country, country) if country else "International and other",
            )
        sides[country].speakers.append(speaker)
    ordered = sorted(sides.values(), key=lambda side: (side.country == "", -side.count, side.name))
    return SidesPage(
        page=page, sides=ordered, requested_page=requested, total_statements=statements.count()
    )
