"""The prepared queries (treaties/prepared.py) give what the ORM gave: statement cards
(treaties/cards.py), a treaty's facts and its recent sources (treaties/treaty_page.py), the
speakers of who said what (treaties/sides.py), an actor's record (treaties/actor_page.py)."""

import datetime

import pytest
from django.db import connection

from tests.conftest import make_actor, make_event, make_source, make_statement, make_treaty
from treaties import prepared, timeline
from treaties.actor_page import read_actor
from treaties.cards import statement_cards
from treaties.models import (
    CARD_FIELDS,
    TALLY_COUNT,
    Actor,
    ActorKind,
    Event,
    EventKind,
    Role,
    Statement,
    StatementTally,
    Status,
    Topic,
    TreatyLimit,
    TreatyParty,
    TreatySigner,
    speaker_roles,
)
from treaties.prepared import PreparedQuery
from treaties.sides import sides_page
from treaties.treaty_page import RECENT_RECORDS, SOURCES_SHOWN, read_treaty, recent_sources

pytestmark = pytest.mark.django_db


def test_cards_are_the_orms_cards(django_assert_num_queries):
    ministry = make_actor(name="Ministry", kind=ActorKind.GOVERNMENT_BODY)
    speaker = make_actor(name="Speaker")
    Role.objects.create(actor=speaker, title="Spokeswoman", organisation=ministry)
    outlet = make_actor(name="Outlet", kind=ActorKind.MEDIA)
    statements = [
        make_statement(speaker=speaker, source=make_source(outlet=outlet), setting="interview"),
        make_statement(speaker=make_actor(name="No role"), date=datetime.date(2021, 5, 1)),
        Statement.objects.create(text="Nobody yet, nowhere yet.", date=datetime.date(2022, 1, 1)),
    ]
    ids = [statement.pk for statement in statements]
    cards = statement_cards([*ids, 2**40])  # an id no row has is left out
    orm = Statement.objects.filter(pk__in=ids).for_cards().in_bulk()
    assert cards.keys() == orm.keys() == set(ids)
    with django_assert_num_queries(0):  # every column a card reads, of each part, is there
        for pk, card in cards.items():
            expected = orm[pk]
            for path in ([], ["speaker"], ["source"], ["source", "outlet"]):
                found, wanted = _follow(card, path), _follow(expected, path)
                assert (found and found.get_deferred_fields()) == (
                    wanted and wanted.get_deferred_fields()
                ), path
            for name in CARD_FIELDS:
                path = name.split("__")
                assert _follow(card, path) == _follow(expected, path), name
            assert card.role_on_the_day == expected.role_on_the_day
    assert cards[ids[0]].role_on_the_day == "Spokeswoman, Ministry"
    assert cards[ids[0]].source.outlet == outlet
    assert cards[ids[2]].speaker is None and cards[ids[2]].source is None


def _follow(record, path):
    for name in path:
        if record is None:
            return None
        record = getattr(record, name)
    return record


def test_cards_of_no_ids_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert statement_cards([]) == {}


def test_a_treaty_is_read_with_its_facts_in_their_order(django_assert_num_queries):
    treaty = make_treaty(slug="the-treaty")
    for position, subject in ((2, "launchers"), (1, "warheads"), (1, "bombers")):
        TreatyLimit.objects.create(treaty=treaty, subject=subject, position=position, number=7)
    zeta = make_actor(name="Zeta", kind=ActorKind.STATE, country="ZZ")
    alpha = make_actor(name="Alpha", kind=ActorKind.STATE, country="AA")
    TreatyParty.objects.create(treaty=treaty, state=zeta)
    TreatyParty.objects.create(treaty=treaty, state=alpha, withdrew_on=datetime.date(2019, 8, 2))
    undated = TreatySigner.objects.create(treaty=treaty, signer=make_actor(name="Undated"))
    signer = TreatySigner.objects.create(
        treaty=treaty,
        signer=make_actor(name="Signer"),
        on_behalf_of=alpha,
        signed_on=datetime.date(2010, 4, 8),
        signed_at="Prague",
    )
    read_treaty("the-treaty")  # the first on a connection prepares the query
    with django_assert_num_queries(1):
        found = read_treaty("the-treaty")
        limits = list(found.limits.all())
        parties = list(found.treatyparty_set.all())
        signers = list(found.signers.all())
        names = [(s.signer.name, s.on_behalf_of and s.on_behalf_of.name) for s in signers]
        states = [party.state.get_absolute_url() for party in parties]
        assert found.in_force_only_among_others is False
    assert found == treaty and found.signed_on == treaty.signed_on
    assert [limit.subject for limit in limits] == ["warheads", "bombers", "launchers"]
    assert limits == list(TreatyLimit.objects.filter(treaty=treaty))
    assert states == [alpha.get_absolute_url(), zeta.get_absolute_url()]
    assert parties[0].withdrew_on == datetime.date(2019, 8, 2)  # a date, not JSON's text
    assert signers == [signer, undated]
    assert names == [("Signer", "Alpha"), ("Undated", None)]
    assert signers[0].signed_on == datetime.date(2010, 4, 8)


def test_a_treaty_without_facts_or_with_an_unknown_slug():
    make_treaty(slug="bare")
    bare = read_treaty("bare")
    assert list(bare.limits.all()) == list(bare.signers.all()) == []
    assert list(bare.treatyparty_set.all()) == []
    assert read_treaty("no-such-treaty") is None
    assert read_treaty("o'brien\\'; DROP TABLE treaties_treaty; --") is None  # quoted
    assert read_treaty("bare") is not None


def test_a_treatys_recent_sources_are_its_latest_records_sources_newest_first(
    django_assert_num_queries,
):
    treaty, other = make_treaty(), make_treaty()
    old = make_source(title="Old", published_on=datetime.date(2001, 1, 1))
    new = make_source(title="New", published_on=datetime.date(2024, 1, 1))
    undated = make_source(title="Undated", published_on=None)
    outlet = make_actor(name="Outlet", kind=ActorKind.MEDIA)
    with_outlet = make_source(title="With outlet", outlet=outlet)
    for source in (old, new, undated, with_outlet, old):  # old twice: listed once
        make_statement(source=source, treaties=[treaty])
    make_statement(source=make_source(title="Other treaty"), treaties=[other])
    make_statement(source=make_source(title="Draft"), treaties=[treaty], status=Status.DRAFT)
    make_event(source=make_source(title="Event's"), treaties=[treaty])
    make_event(source=make_source(title="Draft event's"), treaties=[treaty], status=Status.DRAFT)
    sources = recent_sources(treaty)
    # By date, the later of a day's first (the event's is newer than "With outlet"), undated last.
    titles = [source.title for source in sources]
    assert titles == ["New", "Event's", "With outlet", "Old", "Undated"]
    with django_assert_num_queries(0):
        assert next(s for s in sources if s.title == "With outlet").outlet.name == "Outlet"
        assert sources[0].outlet is None


def test_recent_sources_look_no_further_back_than_the_latest_records():
    treaty = make_treaty()
    speaker, recent = make_actor(), make_source(title="Recent")
    make_statement(
        speaker=speaker,
        source=make_source(title="Too far back"),
        treaties=[treaty],
        date=datetime.date(2000, 1, 1),
    )
    latest = Statement.objects.bulk_create(
        Statement(
            speaker=speaker,
            source=recent,
            text=f"Statement {n}",
            date=datetime.date(2022, 1, 1),
            status=Status.PUBLISHED,
        )
        for n in range(RECENT_RECORDS)
    )
    Statement.treaties.through.objects.bulk_create(
        Statement.treaties.through(statement=statement, treaty=treaty) for statement in latest
    )
    assert [source.title for source in recent_sources(treaty)] == ["Recent"]


def test_recent_sources_look_no_further_back_than_the_latest_events():
    treaty, recent = make_treaty(), make_source(title="Recent")
    make_event(
        source=make_source(title="Too far back"), treaties=[treaty], date=datetime.date(2000, 1, 1)
    )
    latest = Event.objects.bulk_create(
        Event(
            title=f"Event {n}",
            slug=f"latest-{n}",
            kind=EventKind.MEETING,
            date=datetime.date(2022, 1, 1),
            source=recent,
            status=Status.PUBLISHED,
        )
        for n in range(RECENT_RECORDS)
    )
    Event.treaties.through.objects.bulk_create(
        Event.treaties.through(event=event, treaty=treaty) for event in latest
    )
    assert [source.title for source in recent_sources(treaty)] == ["Recent"]


def test_recent_sources_stop_at_what_the_page_shows():
    treaty = make_treaty()
    for day in range(1, SOURCES_SHOWN + 3):
        source = make_source(published_on=datetime.date(2022, 1, day))
        make_statement(source=source, treaties=[treaty])
    sources = recent_sources(treaty)
    assert len(sources) == SOURCES_SHOWN
    assert sources[0].published_on == datetime.date(2022, 1, SOURCES_SHOWN + 2)


def test_an_unknown_treaty_page_is_not_found(client):
    assert client.get("/treaties/no-such-treaty/").status_code == 404


def expected_speakers(treaty=None, topic=None):
    """Who said what, worked out the slow way: each speaker's published statements on the
    treaty and topic, most first, then the latest, then by id; and their latest three ids."""
    statements = Statement.objects.published().filter(speaker__isnull=False)
    if treaty:
        statements = statements.filter(treaties=treaty)
    if topic:
        statements = statements.filter(topics=topic)
    said = {}
    for pk, speaker, date in statements.values_list("pk", "speaker_id", "date"):
        said.setdefault(speaker, []).append((date, pk))
    order = sorted(
        said, key=lambda speaker: (-len(said[speaker]), -max(said[speaker])[0].toordinal(), speaker)
    )
    return [
        (speaker, len(said[speaker]), [pk for _, pk in sorted(said[speaker], reverse=True)[:3]])
        for speaker in order
    ]


@pytest.fixture
def said():
    treaties = [make_treaty(), make_treaty()]
    topics = [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(2)]
    speakers = [make_actor(country=country) for country in ("RU", "US", "", "RU", "US", "")]
    for n in range(48):
        statement = make_statement(
            speaker=speakers[n % 6],
            treaties=treaties[: n // 2 % 3],  # none, the first, or both
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n * 7 % 30),
            status=Status.DRAFT if n % 11 == 5 else Status.PUBLISHED,
        )
        statement.topics.set(topics[: n // 3 % 3])  # none, the first, or both
    for speaker in speakers:  # the latest words of each, not yet published
        draft = make_statement(
            speaker=speaker, treaties=treaties, date=datetime.date(2021, 1, 1), status=Status.DRAFT
        )
        draft.topics.set(topics)
    return treaties, topics


@pytest.mark.parametrize("with_treaty", [False, True])
@pytest.mark.parametrize("with_topic", [False, True])
def test_who_said_what_reads_each_shape_as_the_orm_would(said, with_treaty, with_topic):
    treaties, topics = said
    filters = {"treaty": treaties[0] if with_treaty else None}
    filters["topic"] = topics[1] if with_topic else None
    expected = expected_speakers(**filters)
    assert len(expected) > 2  # enough to tell the orders apart
    page = sides_page(filters, per_page=2)
    assert page.page.paginator.count == len(expected)
    found = [
        (speaker.actor.pk, speaker.count, [s.pk for s in speaker.statements])
        for speaker in page.speakers
    ]
    assert found == expected[:2]
    filters["page"] = 2
    second = sides_page(filters, per_page=2).speakers
    assert [speaker.actor.pk for speaker in second] == [pk for pk, _, _ in expected[2:4]]


def test_who_said_what_past_the_last_page_shows_the_last(said, django_assert_num_queries):
    treaties, _ = said
    last = (len(expected_speakers(treaty=treaties[0])) + 1) // 2
    sides_page({"treaty": treaties[0], "page": 99}, per_page=2)  # prepares the queries
    with django_assert_num_queries(3):  # the speakers, again for the last page, their cards
        page = sides_page({"treaty": treaties[0], "page": 99}, per_page=2)
    assert page.out_of_range and page.page.number == last
    assert (
        page.speakers
        and page.speakers == sides_page({"treaty": treaties[0], "page": last}, per_page=2).speakers
    )


def test_who_said_what_about_a_treaty_nobody_spoke_of():
    page = sides_page({"treaty": make_treaty()})
    assert page.page.paginator.count == 0 and page.speakers == [] and not page.out_of_range


def test_an_actor_is_read_with_its_record_in_its_order(django_assert_num_queries):
    ministry = make_actor(name="Ministry", kind=ActorKind.GOVERNMENT_BODY)
    person = make_actor(name="Maria Zakharova", aliases=["Захарова", "Zajárova"])
    Role.objects.create(actor=person, title="Director", start_date=datetime.date(2015, 8, 1))
    Role.objects.create(actor=person, title="Undated", organisation=ministry)
    Role.objects.create(
        actor=person,
        title="Deputy",
        organisation=ministry,
        start_date=datetime.date(2011, 1, 1),
        end_date=datetime.date(2015, 7, 31),
    )
    treaty = make_treaty()
    make_statement(speaker=person, treaties=[treaty], date=datetime.date(2022, 11, 8))
    make_statement(speaker=person, date=datetime.date(2021, 3, 1))
    make_statement(speaker=person, status=Status.DRAFT)
    read_actor(person.slug)  # the first on a connection prepares the query
    with django_assert_num_queries(1):
        found = read_actor(person.slug)
        roles = [(role.title, role.organisation, role.period) for role in found.actor.roles.all()]
        aliases = [alias.name for alias in found.actor.aliases.all()]
        on_the_day = str(found.actor.role_on(datetime.date(2012, 1, 1)))
    assert found.actor == person and found.actor.created_at == person.created_at
    assert [title for title, _, _ in roles] == ["Undated", "Deputy", "Director"]
    assert roles[1] == ("Deputy", ministry, "1 January 2011 – 31 July 2015")
    orm = Actor.objects.prefetch_related(speaker_roles("roles")).get(pk=person.pk)
    assert roles[2][1] is None and on_the_day == str(orm.role_on(datetime.date(2012, 1, 1)))
    assert aliases == ["Zajárova", "Захарова"]
    assert found.parties == []
    assert (found.said.count(), found.said.count(treaty=treaty)) == (2, 1)
    assert found.said.years == [2022, 2021] and found.said.treaty_ids == {treaty.pk}


def test_a_state_is_read_with_the_treaties_it_is_party_to():
    state = make_actor(name="Russia", kind=ActorKind.STATE, country="RU")
    zeta, alpha = make_treaty(short_name="Zeta"), make_treaty(short_name="Alpha")
    TreatyParty.objects.create(treaty=zeta, state=state)
    TreatyParty.objects.create(treaty=alpha, state=state, withdrew_on=datetime.date(2019, 8, 2))
    found = read_actor(state.slug)
    assert [party.treaty for party in found.parties] == [alpha, zeta]
    assert found.parties[0].withdrew_on == datetime.date(2019, 8, 2)
    assert found.parties[0].treaty.get_absolute_url() == alpha.get_absolute_url()
    assert list(found.actor.roles.all()) == list(found.actor.aliases.all()) == []
    assert found.said.count() == 0 and found.said.years == []
    assert read_actor("no-such-actor") is None


def test_who_said_what_pages_no_list_has_show_the_last(said):
    treaties, _ = said
    last = sides_page({"treaty": treaties[0], "page": 2}, per_page=2)
    for page in (0, -3, 10**19):  # the last: beyond a bigint offset
        found = sides_page({"treaty": treaties[0], "page": page}, per_page=2)
        assert found.out_of_range and found.page.number == last.page.number
        assert [s.actor for s in found.speakers] == [s.actor for s in last.speakers]


def test_two_prepared_queries_cannot_share_a_name():
    with pytest.raises(ValueError, match="already a prepared query called statement_cards"):
        PreparedQuery("statement_cards", "statement_cards.sql", statement="", speaker="")


def test_a_file_must_prepare_the_name_it_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(prepared, "SQL_FOLDER", tmp_path)
    (tmp_path / "fixed.sql").write_text("PREPARE fixed_name (bigint) AS SELECT $1")
    with pytest.raises(ValueError, match="does not PREPARE"):
        PreparedQuery("another_name", "fixed.sql")


@pytest.mark.django_db(transaction=True)
def test_a_prepared_query_is_made_again_where_it_was_dropped_or_forgotten():
    """The shared helper, through a query other than the permalink's: dropped from the
    session (DISCARD ALL), it is prepared again; prepared, though the process lost track of
    it, it is used."""
    assert StatementTally.objects.count_of() == 0  # prepared here
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE tally_count")
    make_statement()
    assert StatementTally.objects.count_of() == 1
    TALLY_COUNT.prepared_on.discard(connection.connection)  # still on the session
    make_statement()
    assert StatementTally.objects.count_of() == 2
    assert connection.connection in TALLY_COUNT.prepared_on


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_a_treatys_timeline_starts_as_the_orm_would_start_it(order):
    treaty, other = make_treaty(), make_treaty()
    day = datetime.date(2022, 11, 1)
    for n in range(14):  # several a day, statements and events alike, some drafts
        date = day + datetime.timedelta(days=n % 5)
        status = Status.DRAFT if n % 6 == 5 else Status.PUBLISHED
        make_statement(treaties=[treaty] if n % 7 else [other], date=date, status=status)
        if n % 2:
            make_event(treaties=[treaty], date=date, status=status)
    for _ in range(3):  # days that a page can end in the middle of, at either end
        make_statement(treaties=[treaty], date=day + datetime.timedelta(days=10))
        make_event(treaties=[treaty], date=day + datetime.timedelta(days=9))
        make_event(treaties=[treaty], date=day - datetime.timedelta(days=1))
    for _ in range(2):  # each kind alone at each end, two a day, in other years
        make_event(treaties=[treaty], date=datetime.date(2023, 6, 1))
        make_statement(treaties=[treaty], date=datetime.date(2021, 6, 1))
    filters = {"treaty": treaty, "order": order}
    for limit in (*range(1, 12), 100):  # cut anywhere, through days too
        keys, counted = timeline._treaty_start(filters, limit)
        assert keys == timeline.merged_keys(filters, None, limit)
        assert counted == timeline.total(filters)
    assert {key.kind for key in keys} == {timeline.STATEMENT, timeline.EVENT}
    assert timeline._treaty_start({"treaty": other, "order": order}, 5)[1] == 2
    assert timeline._treaty_start({"treaty": make_treaty(), "order": order}, 5) == ([], 0)


@pytest.mark.parametrize(
    "narrowing", ["actor", "source", "topic", "kind", "from", "to", "anything added later"]
)
def test_only_a_treaty_alone_starts_from_the_prepared_query(narrowing, monkeypatch):
    treaty = make_treaty()
    make_statement(treaties=[treaty])
    started = []
    monkeypatch.setattr(timeline, "_treaty_start", lambda *args: started.append(args) or ([], 0))
    timeline.timeline_page({"treaty": treaty, "order": "oldest"})
    assert len(started) == 1
    timeline.timeline_page({"treaty": treaty, "kind": "", "to": None})  # empty: not asked
    assert len(started) == 2
    value = {
        "actor": make_actor(),
        "source": make_source(),
        "topic": Topic.objects.create(name="Topic", slug="topic"),
        "kind": "events",
        "from": datetime.date(2020, 1, 1),
        "to": datetime.date(2030, 1, 1),
    }.get(narrowing, "a value")
    page = timeline.timeline_page({"treaty": treaty, narrowing: value}, count=False)
    assert len(started) == 2 and page.total is None
    cursor = timeline.Cursor(datetime.date(2030, 1, 1), timeline.STATEMENT, 1)
    timeline.timeline_page({"treaty": treaty}, cursor=cursor)
    assert len(started) == 2
