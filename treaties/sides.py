"""Who said what: the statements on a treaty or topic, side by side by the speaker's country.

A page is a slice of the speakers (those who said most first, then the latest), each with
their latest few statements; the rest are one link away on the timeline. The speakers and
their counts come from StatementTally, the summary the database keeps, and each speaker's
latest statements from an index (a LIMITed subquery per speaker, read with the speakers), so
a page reads a few hundred rows however many statements there are. Queries per page, each
prepared once a connection (treaties/prepared.py): the speakers, with their number and their
latest statements' ids (sql/speakers.sql); the statements as cards (treaties/cards.py); the
total where a page shows it. The names of the sides come from reference_lists().
"""

import functools
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import router

from .cards import statement_cards
from .models import ACTOR_LINK_FIELDS, Actor, Statement, StatementTally
from .prepared import PreparedQuery, columns, fields_of, instance
from .reference import reference_lists

SPEAKERS_PER_PAGE = 12
MAX_OFFSET = 2**63 - 1  # PostgreSQL's bigint
STATEMENTS_PER_SPEAKER = 3


def statements_for(filters: dict):
    statements = Statement.objects.published().filter(speaker__isnull=False)
    if treaty := filters.get("treaty"):
        statements = statements.about_treaty(treaty)
    if topic := filters.get("topic"):
        statements = statements.filter(topics=topic)
    return statements


# The ids of the outer speaker's (actor's) latest statements on treaty $1 and/or topic $2, by
# whether each is given (the query's name, the SQL), read from the index that serves them: a
# treaty's from TreatyStatement.
LATEST = {
    (True, False): (
        "speakers_on_treaty",
        """
        SELECT latest.statement_id FROM treaties_treatystatement latest
        WHERE latest.treaty_id = $1 AND latest.speaker_id = actor.id
        ORDER BY latest.date DESC, latest.statement_id DESC LIMIT {per_speaker}""",
    ),
    (True, True): (
        "speakers_on_treaty_topic",
        """
        SELECT latest.statement_id FROM treaties_treatystatement latest
        JOIN treaties_statement_topics about ON about.statement_id = latest.statement_id
        WHERE latest.treaty_id = $1 AND latest.speaker_id = actor.id AND about.topic_id = $2
        ORDER BY latest.date DESC, latest.statement_id DESC LIMIT {per_speaker}""",
    ),
    (False, True): (
        "speakers_on_topic",
        """
        SELECT latest.id FROM treaties_statement latest
        JOIN treaties_statement_topics about ON about.statement_id = latest.id
        WHERE latest.status = 'published' AND latest.speaker_id = actor.id
          AND about.topic_id = $2
        ORDER BY latest.date DESC, latest.id DESC LIMIT {per_speaker}""",
    ),
    (False, False): (
        "speakers",
        """
        SELECT latest.id FROM treaties_statement latest
        WHERE latest.status = 'published' AND latest.speaker_id = actor.id
        ORDER BY latest.date DESC, latest.id DESC LIMIT {per_speaker}""",
    ),
}
ACTOR = fields_of(Actor, ACTOR_LINK_FIELDS)
SPEAKERS = {
    shape: PreparedQuery(
        name,
        "speakers.sql",
        actor=columns("actor", ACTOR),
        latest=latest.format(per_speaker=STATEMENTS_PER_SPEAKER),
    )
    for shape, (name, latest) in LATEST.items()
}


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


class _SpeakerRows:
    """The speakers as Paginator reads a list: count(), then one page's slice. The first page
    asked for comes with the count, in one query; another (the last, where the one asked for
    is past the end) takes a second."""

    def __init__(self, filters: dict, first: int, per_page: int):
        treaty, topic = filters.get("treaty"), filters.get("topic")
        self.query = SPEAKERS[bool(treaty), bool(topic)]
        self.keys = (treaty.pk if treaty else 0, topic.pk if topic else 0)  # 0: any (the tally's)
        self.alias = router.db_for_read(StatementTally)
        self.total, self.start, self.rows = self._read(first, per_page)

    def _read(self, start, limit):
        found = self.query.execute(self.alias, *self.keys, limit, start)
        total = found[0][0]
        # A speaker is never deleted while a statement names them (PROTECT); the check only
        # guards against a summary row read in the instant of a concurrent change.
        rows = [row[1:] for row in found if row[2] is not None]
        return total, start, rows

    def count(self):
        return self.total

    def __getitem__(self, page: slice):
        if page.start != self.start:
            _, self.start, self.rows = self._read(page.start, page.stop - page.start)
        return self.rows


def sides_page(filters: dict, *, per_page: int = SPEAKERS_PER_PAGE) -> SidesPage:
    requested = filters.get("page")
    first = (requested - 1) * per_page if requested and requested > 0 else 0
    if first > MAX_OFFSET:  # past any list: Paginator asks for the last page
        first = 0
    rows = _SpeakerRows(filters, first, per_page)
    page = Paginator(rows, per_page).get_page(requested)
    speakers = {}
    for statements, *values in page.object_list:
        latest = values.pop()
        actor = instance(rows.alias, Actor, ACTOR, values)
        actor.latest = latest
        speakers[actor.pk] = Speaker(actor=actor, count=statements)

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
