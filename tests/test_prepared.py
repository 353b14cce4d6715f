"""The prepared queries (treaties/prepared.py) give what the ORM gave: statement cards
(treaties/cards.py), a treaty's facts and its recent sources (treaties/treaty_page.py)."""

import datetime

import pytest

from tests.conftest import make_actor, make_event, make_source, make_statement, make_treaty
from treaties.cards import statement_cards
from treaties.models import (
    CARD_FIELDS,
    ActorKind,
    Role,
    Statement,
    Status,
    TreatyLimit,
    TreatyParty,
    TreatySigner,
)
from treaties.treaty_page import RECENT_RECORDS, SOURCES_SHOWN, read_treaty, recent_sources

pytestmark = pytest.mark.django_db


def test_cards_are_the_orms_cards():
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
    for pk, card in cards.items():
        expected = orm[pk]
        assert card.get_deferred_fields() == expected.get_deferred_fields()
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


def test_a_treatys_recent_sources_are_its_latest_records_sources_newest_first():
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
    assert next(s for s in sources if s.title == "With outlet").outlet == outlet


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
