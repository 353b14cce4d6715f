import datetime
import io
import itertools

import pytest
from django.core.management import call_command

from treaties import seed
from treaties.models import (
    Actor,
    ActorAlias,
    Event,
    Role,
    Source,
    Statement,
    Status,
    Topic,
    Treaty,
    TreatyLimit,
    TreatyParty,
    TreatySigner,
    TreatyStatus,
)

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {
    Topic: 5,
    Actor: 31,
    ActorAlias: 89,
    Role: 15,
    Treaty: 3,
    TreatyParty: 7,
    TreatySigner: 4,
    TreatyLimit: 6,
    Source: 10,
    Statement: 7,
    Event: 23,
}


def load_seed():
    out = io.StringIO()
    call_command("load_seed_data", stdout=out)
    return out.getvalue().strip()


def counts():
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


def history_rows():
    return sum(model.history.count() for model in EXPECTED_COUNTS)


@pytest.fixture
def seeded():
    load_seed()


def test_the_command_creates_every_row_and_says_so():
    output = load_seed()

    assert counts() == EXPECTED_COUNTS
    assert output == (
        "Seed data: created 5 topics, 31 actors, 89 aliases, 15 roles, 3 treaties, 7 parties, "
        "4 treaty signers, 6 treaty limits, 10 sources, 7 statements, 23 events."
    )


def test_a_second_run_changes_nothing(seeded):
    before, writes = counts(), history_rows()

    assert load_seed() == (
        "Seed data: nothing to create (everything is there, or editors removed it)."
    )
    assert counts() == before
    assert history_rows() == writes  # not even a rewrite of the same values


def test_an_editors_edit_survives_another_run(seeded):
    statement = Statement.objects.get(source_locator="paragraph 7")
    statement.editor_note = "Checked against the ministry's website."
    statement.status = Status.DRAFT
    statement.save()
    treaty = Treaty.objects.get(slug="open-skies")
    treaty.status_note = "Edited by an editor."
    treaty.save()

    load_seed()

    statement.refresh_from_db()
    treaty.refresh_from_db()
    assert statement.editor_note == "Checked against the ministry's website."
    assert statement.status == Status.DRAFT
    assert treaty.status_note == "Edited by an editor."
    assert Statement.objects.count() == EXPECTED_COUNTS[Statement]


def test_an_actor_editors_deleted_is_not_brought_back(seeded):
    # A signer is protected: an editor removes the signature first, then the actor.
    TreatySigner.objects.filter(signer__slug="barack-obama").delete()
    Actor.objects.get(slug="barack-obama").delete()

    assert load_seed().startswith("Seed data: nothing to create")
    assert not Actor.objects.filter(slug="barack-obama").exists()
    assert Actor.objects.count() == EXPECTED_COUNTS[Actor] - 1
    signing = Event.objects.get(slug="new-start-signed")
    assert "barack-obama" not in signing.actors.values_list("slug", flat=True)


def test_a_renamed_slug_is_not_created_again(seeded):
    actor = Actor.objects.get(slug="kommersant")
    actor.slug = "kommersant-daily"
    actor.save()

    load_seed()

    assert not Actor.objects.filter(slug="kommersant").exists()
    assert Actor.objects.count() == EXPECTED_COUNTS[Actor]


def test_a_deleted_source_keeps_its_statements_and_events_away(seeded):
    source = Source.objects.get(title=seed.INF_SUSPENSION.title)
    Event.objects.filter(source=source).delete()
    source.delete()

    load_seed()

    assert not Source.objects.filter(title=seed.INF_SUSPENSION.title).exists()
    assert not Event.objects.filter(slug="us-suspends-inf-obligations").exists()


def test_statements_of_a_speaker_deleted_before_loading_stay_drafts():
    Actor.objects.create(slug="maria-zakharova", name="Maria Zakharova", kind="person").delete()

    load_seed()

    assert not Actor.objects.filter(slug="maria-zakharova").exists()
    orphans = Statement.objects.filter(speaker=None)
    assert orphans.count() == 2
    assert set(orphans.values_list("status", flat=True)) == {Status.DRAFT}
    assert Statement.objects.published().count() == EXPECTED_COUNTS[Statement] - 2


def test_new_start_dates_status_and_limits(seeded):
    treaty = Treaty.objects.get(slug="new-start")

    assert (treaty.signed_on, treaty.signed_at) == (datetime.date(2010, 4, 8), "Prague")
    assert treaty.in_force_on == datetime.date(2011, 2, 5)
    assert treaty.suspended_on == datetime.date(2023, 2, 21)
    assert treaty.ended_on == datetime.date(2026, 2, 5)
    assert treaty.status == TreatyStatus.EXPIRED
    assert [limit.number for limit in treaty.limits.all()] == [1550, 700, 800]
    assert str(treaty.limits.first()) == "deployed strategic warheads: 1,550 warheads"
    assert set(treaty.parties.values_list("slug", flat=True)) == {"united-states", "russia"}
    extension = Event.objects.get(slug="new-start-extended")
    assert extension.date == datetime.date(2021, 2, 3)
    assert extension.other_sources.get().published_on == datetime.date(2021, 2, 3)


def test_inf_and_open_skies_withdrawals(seeded):
    inf = Treaty.objects.get(slug="inf")
    assert inf.status == TreatyStatus.TERMINATED
    assert (inf.signed_on, inf.in_force_on) == (
        datetime.date(1987, 12, 8),
        datetime.date(1988, 6, 1),
    )
    assert inf.ended_on == datetime.date(2019, 8, 2)

    open_skies = Treaty.objects.get(slug="open-skies")
    assert open_skies.status == TreatyStatus.IN_FORCE
    withdrawals = dict(
        TreatyParty.objects.filter(treaty=open_skies).values_list("state__slug", "withdrew_on")
    )
    assert withdrawals == {
        "united-states": datetime.date(2020, 11, 22),
        "russia": datetime.date(2021, 12, 18),
    }


def test_zakharova_is_found_by_every_spelling(seeded):
    zakharova = Actor.objects.get(slug="maria-zakharova")
    aliases = dict(zakharova.aliases.values_list("name", "language"))

    assert aliases["Zajárova"] == "es"
    assert aliases["Захарова"] == "ru"
    assert aliases["Maria Sacharowa"] == "de"
    assert aliases["Marija Zacharovová"] == "cs"
    role = zakharova.roles.get()
    assert (role.start_date, role.start_precision) == (datetime.date(2015, 8, 1), "month")
    assert role.period == "since August 2015"


def test_statements_carry_their_dates_at_honest_precision(seeded):
    ministry = Statement.objects.get(speaker__slug="russian-mfa")
    ryabkov = Statement.objects.get(speaker__slug="sergey-ryabkov")
    putin = Statement.objects.get(speaker__slug="vladimir-putin")

    assert ministry.display_date == "mid-October 2022"
    assert ministry.kind == "paraphrase"
    assert "SLBMs" in ministry.editor_note
    assert ryabkov.display_date == "c. August 2022"
    assert putin.display_date == "21 September 2022"
    assert "[including nuclear]" in putin.text
    assert "insertion" in putin.editor_note


def test_speakers_show_what_they_were_on_the_day(seeded):
    statements = Statement.objects.with_display_relations()
    roles = {statement.speaker.slug: statement.role_on_the_day for statement in statements}

    assert roles["maria-zakharova"] == (
        "Director of the Information and Press Department (spokeswoman), "
        "Russian Ministry of Foreign Affairs"
    )
    assert roles["bonnie-jenkins"].startswith("Under Secretary of State")
    assert roles["vladimir-putin"] == "President of Russia, Russia"


def test_the_article_is_recorded_as_an_unattributed_translation(seeded):
    article = Source.objects.get(title=seed.ARTICLE_TITLE)

    assert (article.published_on, article.language) == (datetime.date(2022, 11, 8), "en")
    assert (article.outlet, article.url, article.author) == (None, "", "")
    assert "English translation of a Spanish-language report" in article.notes
    assert article.statements.count() == 7
    assert article.events.count() == 13


def test_every_published_record_has_a_speaker_and_a_source(seeded):
    for statement in Statement.objects.published():
        assert statement.speaker_id and statement.source_id, statement
    for event in Event.objects.published():
        assert event.source_id, event
    assert Statement.objects.published().count() == EXPECTED_COUNTS[Statement]
    assert Event.objects.published().count() == EXPECTED_COUNTS[Event]


def test_every_seeded_row_passes_the_editors_validation(seeded):
    for model in EXPECTED_COUNTS:
        for row in model.objects.all():
            row.full_clean()


def test_seeded_rows_say_where_they_came_from_in_their_history(seeded):
    reasons = set(Statement.history.values_list("history_change_reason", flat=True))

    assert reasons == {seed.CHANGE_REASON}


def test_every_reference_in_the_seed_data_names_a_seeded_record():
    """The loader skips references to records editors deleted; a typo must not hide there."""
    actors = {actor.slug for actor in seed.ACTORS}
    treaties = {treaty.slug for treaty in seed.TREATIES}
    topics = {topic.slug for topic in seed.TOPICS}
    statements = [s for source in seed.SOURCES for s in source.statements]
    events = [e for source in seed.SOURCES for e in source.events]
    roles = [r for actor in seed.ACTORS for r in actor.roles]

    assert {s.speaker for s in statements} <= actors
    assert set(itertools.chain(*(s.mentions for s in statements), *(e.actors for e in events))) <= (
        actors
    )
    assert {r.organisation for r in roles} - {None} <= actors
    assert {p.state for t in seed.TREATIES for p in t.parties} <= actors
    assert {s.signer for t in seed.TREATIES for s in t.signers} <= actors
    assert {s.on_behalf_of for t in seed.TREATIES for s in t.signers} <= actors
    assert {source.outlet for source in seed.SOURCES} - {None} <= actors
    assert set(
        itertools.chain(*(s.treaties for s in statements), *(e.treaties for e in events))
    ) <= (treaties)
    assert set(itertools.chain(*(s.topics for s in statements))) <= topics
    assert {o.title for e in events for o in e.other_sources} <= {s.title for s in seed.SOURCES}
