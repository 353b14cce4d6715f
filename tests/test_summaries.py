"""The summaries the database keeps (treaties/sql/summaries.sql): tallies, a treaty's
statements and the search document stay equal to what they summarise after every kind of
change, made through the ORM as the admin, the seed loader or a revert would make it."""

import datetime
import random

import pytest
from django.db import connection
from django.utils.text import slugify

from treaties.actor_page import read_actor
from treaties.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Event,
    Source,
    Statement,
    StatementTally,
    Status,
    Topic,
    Treaty,
    TreatyStatement,
    TreatyStatus,
)

from .conftest import make_actor, make_event, make_source, make_statement, make_treaty


def snapshot():
    tallies = set(
        StatementTally.objects.values_list(
            "speaker_id", "treaty_id", "topic_id", "year", "statements", "latest"
        )
    )
    rows = set(
        TreatyStatement.objects.values_list("treaty_id", "statement_id", "speaker_id", "date")
    )
    return tallies, rows


def rebuilt():
    """The summaries recomputed from scratch, in a savepoint that is then rolled back."""
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT rebuild")
        cursor.execute("SELECT rebuild_statement_summaries()")
        result = snapshot()
        cursor.execute("ROLLBACK TO SAVEPOINT rebuild")
    return result


DOCUMENTS = {
    "statement": "statement_document",
    "event": "event_document",
    "source": "source_document",
}


def stale_documents() -> list[tuple]:
    """The records whose search document is not the one their triggers would write now, each
    with what it holds and what it would hold."""
    found = []
    with connection.cursor() as cursor:
        for table, document in DOCUMENTS.items():
            cursor.execute(
                f"SELECT '{table}', id, search_vector::text, {document}(r)::text "
                f"FROM treaties_{table} r WHERE search_vector IS DISTINCT FROM {document}(r)"
            )
            found += cursor.fetchall()
    return found


def matches(words: str, model=Statement):
    return set(
        model.objects.extra(
            where=["search_vector @@ to_tsquery('armscontrol', %s)"], params=[words]
        ).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_tallies_count_by_speaker_treaty_topic_and_year():
    treaty = make_treaty("New START")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    zakharova, ryabkov = make_actor("Maria Zakharova"), make_actor("Sergey Ryabkov")
    first = make_statement(speaker=zakharova, treaties=[treaty], date=datetime.date(2022, 11, 8))
    first.topics.add(topic)
    make_statement(speaker=zakharova, date=datetime.date(2021, 3, 1))
    make_statement(speaker=ryabkov, treaties=[treaty], date=datetime.date(2022, 8, 9))
    make_statement(speaker=ryabkov, status=Status.DRAFT)

    tallies = StatementTally.objects
    assert tallies.count_of() == 3
    assert tallies.count_of(treaty=treaty) == 2
    assert tallies.count_of(speaker=zakharova) == 2
    assert tallies.count_of(speaker=zakharova, treaty=treaty, year=2022) == 1
    assert tallies.count_of(topic=topic) == 1
    assert tallies.count_of(speaker=zakharova, year=2021) == 1
    summary = read_actor(zakharova.slug).said
    assert summary.years == [2022, 2021]
    assert summary.treaty_ids == {treaty.pk}
    assert (summary.count(), summary.count(treaty=treaty), summary.count(year=2021)) == (2, 1, 1)
    assert summary.count(treaty=treaty, year=2022) is None  # not among its rows: count_of()
    speakers = tallies.speakers(treaty=treaty).values_list("speaker_id", "statements", "latest")
    # Equal counts: the latest first.
    assert list(speakers) == [
        (zakharova.pk, 1, datetime.date(2022, 11, 8)),
        (ryabkov.pk, 1, datetime.date(2022, 8, 9)),
    ]
    assert snapshot() == rebuilt()


class RandomRecord:
    """Statements with random speakers, treaties, topics, dates and status, for the tests that
    check the summaries after many random changes."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.treaties = [make_treaty(f"Treaty {n}") for n in range(3)]
        self.topics = [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(2)]
        self.speakers = [make_actor(f"Speaker {n}") for n in range(3)]
        self.source = make_source()

    def statement(self):
        rng = self.rng
        statement = make_statement(
            speaker=rng.choice(self.speakers),
            source=self.source,
            treaties=rng.sample(self.treaties, rng.randint(0, 2)),
            date=datetime.date(rng.choice([2020, 2021, 2022]), rng.randint(1, 12), 1),
            status=rng.choice([Status.PUBLISHED, Status.DRAFT]),
        )
        statement.topics.set(rng.sample(self.topics, rng.randint(0, 2)))
        return statement


@pytest.mark.django_db
def test_summaries_follow_every_kind_of_change():
    record = RandomRecord(7)
    rng, treaties, topics, speakers = record.rng, record.treaties, record.topics, record.speakers
    statements = []
    for step in range(120):
        action = rng.choice(["add", "add", "publish", "unpublish", "move", "link", "unlink", "del"])
        if action == "add" or not statements:
            statements.append(record.statement())
            continue
        statement = rng.choice(statements)
        if action == "publish":
            statement.status = Status.PUBLISHED
            statement.save()
        elif action == "unpublish":
            statement.status = Status.DRAFT
            statement.save()
        elif action == "move":
            statement.date = datetime.date(rng.choice([2019, 2022]), rng.randint(1, 12), 1)
            statement.speaker = rng.choice(speakers)
            statement.save()
        elif action == "link":
            statement.treaties.add(rng.choice(treaties))
            statement.topics.add(rng.choice(topics))
        elif action == "unlink":
            statement.treaties.remove(rng.choice(treaties))
            statement.topics.clear()
        elif action == "del":
            statements.remove(statement)
            statement.delete()
        if step % 10 == 0:
            assert snapshot() == rebuilt(), f"after step {step} ({action})"
    assert snapshot() == rebuilt()
    # Deleting a treaty takes its rows away too.
    treaties[0].delete()
    assert snapshot() == rebuilt()


@pytest.mark.django_db
def test_summaries_follow_updates_of_many_statements_at_once():
    # One UPDATE moves, publishes, unpublishes and redates many rows (a merge, an admin
    # action): recount.sql counts them once, from the statement's transition tables.
    record = RandomRecord(11)
    rng, speakers = record.rng, record.speakers
    for _ in range(60):
        record.statement()
    ids = list(Statement.objects.values_list("pk", flat=True))
    for step in range(12):
        rows = Statement.objects.filter(pk__in=rng.sample(ids, rng.randint(1, 30)))
        change = rng.choice(
            [
                {"speaker": rng.choice(speakers)},
                {"status": rng.choice([Status.PUBLISHED, Status.DRAFT])},
                {"date": datetime.date(rng.choice([2019, 2022]), rng.randint(1, 12), 1)},
                {"speaker": rng.choice(speakers), "date": datetime.date(2023, 1, 1)},
                {"text": f"Edited {step}"},  # nothing counted changes
            ]
        )
        rows.update(**change)
        assert snapshot() == rebuilt(), f"after step {step} ({change})"
    # Every statement of one speaker moved to another, as a merge moves them.
    Statement.objects.filter(speaker=speakers[0]).update(speaker=speakers[1])
    assert snapshot() == rebuilt()
    assert not StatementTally.objects.filter(speaker_id=speakers[0].pk).exists()


@pytest.mark.django_db
def test_search_document_follows_names_aliases_and_treaties():
    zakharova = make_actor("Maria Zakharova")
    treaty = make_treaty("New START")
    statement = make_statement(speaker=zakharova, text="Specific contacts are under way.")
    assert statement.pk in matches("zakharova & specific:*")
    assert statement.pk not in matches("zajarova")
    alias = ActorAlias.objects.create(actor=zakharova, name="Захарова")
    ActorAlias.objects.create(actor=zakharova, name="Zajárova")
    assert statement.pk in matches("zajarova")  # accents folded
    assert statement.pk in matches("захарова")
    alias.delete()
    assert statement.pk not in matches("захарова")
    zakharova.name = "Maria V. Zakharova-Renamed"
    zakharova.save()
    assert statement.pk in matches("renamed")
    # A treaty's names join the document when the link is made, and follow a rename.
    assert statement.pk not in matches("new & start")
    statement.treaties.add(treaty)
    assert statement.pk in matches("new & start")
    Treaty.objects.filter(pk=treaty.pk).update(short_name="Novy START")
    assert statement.pk in matches("novy")
    statement.treaties.remove(treaty)
    assert statement.pk not in matches("novy")
    # The statement's own words are there, and an edit replaces them.
    statement.text = "Telemetry exchange."
    statement.save()
    assert statement.pk in matches("telemetry") and statement.pk not in matches("specific")


def event_matches(words: str):
    return matches(words, Event)


def source_matches(words: str):
    return matches(words, Source)


@pytest.mark.django_db
def test_event_document_follows_its_actors_and_treaties():
    zakharova = make_actor("Maria Zakharova")
    treaty = make_treaty("New START")
    event = make_event(title="Talks on inspections", location="Cairo")
    assert event.pk in event_matches("inspections & cairo")
    assert event.pk not in event_matches("zakharova")
    event.actors.add(zakharova)
    assert event.pk in event_matches("zakharova & inspections")
    alias = ActorAlias.objects.create(actor=zakharova, name="Zajárova")
    assert event.pk in event_matches("zajarova")  # accents folded
    alias.name = "Sacharowa"
    alias.save()
    assert event.pk in event_matches("sacharowa") and event.pk not in event_matches("zajarova")
    Actor.objects.filter(pk=zakharova.pk).update(name="Maria Renamed")
    assert event.pk in event_matches("renamed") and event.pk not in event_matches("zakharova")
    event.treaties.add(treaty)
    assert event.pk in event_matches("new & start")
    Treaty.objects.filter(pk=treaty.pk).update(short_name="Novy START")
    assert event.pk in event_matches("novy")
    event.treaties.remove(treaty)
    event.actors.remove(zakharova)
    assert event.pk not in event_matches("novy") | event_matches("zajarova")


@pytest.mark.django_db
def test_documents_list_names_in_the_same_order_whatever_the_plan():
    # Links and aliases made in another order than their ids: a plan that reads them by an
    # index on (record, actor) or (record, treaty) lists them in another order than one that
    # reads the table, which is how generate_data's test once found 24 "stale" events in CI.
    older, newer = make_actor("Maria Zakharova"), make_actor("Sergei Ryabkov")
    first, second = make_treaty("New START"), make_treaty("INF")
    event = make_event(actors=[newer], treaties=[second])
    event.actors.add(older)
    event.treaties.add(first)
    statement = make_statement(speaker=older, treaties=[second])
    statement.treaties.add(first)
    alias = ActorAlias.objects.create(actor=older, name="Zajárova")
    ActorAlias.objects.create(actor=older, name="Захарова")
    alias.name = "Sacharowa"
    alias.save()  # its row moves to the end of the table
    assert not stale_documents()
    with connection.cursor() as cursor:
        # Every index but the unique ones that give the ids' order, and no reading the tables.
        for table, column in [
            ("event_actors", "event_id"),
            ("event_treaties", "event_id"),
            ("statement_treaties", "statement_id"),
        ]:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE "
                "'%%UNIQUE%%' AND indexdef LIKE %s",
                [f"treaties_{table}", f"%({column})"],
            )
            for (index,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {index}")
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        assert not stale_documents()


@pytest.mark.django_db
def test_an_actor_merge_and_its_undo_move_the_names_in_documents():
    from treaties.merges import merge_actors, undo_merge

    winner = make_actor("Sergei Ryabkov")
    loser = make_actor("Agence Rjabkow", kind=ActorKind.MEDIA)
    event = make_event(actors=[loser])
    source = make_source(outlet=loser)
    assert event.pk in event_matches("rjabkow") and event.pk not in event_matches("sergei")
    assert source.pk in source_matches("agence") and source.pk not in source_matches("sergei")
    merge = merge_actors(winner=winner, loser=loser)
    assert event.pk in event_matches("sergei & ryabkov")
    assert source.pk in source_matches("sergei & ryabkov")
    undo_merge(merge)
    assert event.pk in event_matches("rjabkow") and event.pk not in event_matches("sergei")
    assert source.pk in source_matches("agence") and source.pk not in source_matches("sergei")


@pytest.mark.django_db
def test_source_document_follows_its_outlet():
    tass = make_actor("TASS", kind=ActorKind.MEDIA)
    source = make_source("Russia and US discuss contacts", author="Ivan Petrov")
    assert source.pk in source_matches("contacts & petrov")
    assert source.pk not in source_matches("tass")
    source.outlet = tass
    source.save()
    assert source.pk in source_matches("tass & contacts")
    alias = ActorAlias.objects.create(actor=tass, name="ТАСС")
    assert source.pk in source_matches("тасс")
    alias.delete()
    assert source.pk not in source_matches("тасс")
    Actor.objects.filter(pk=tass.pk).update(name="TASS News Agency")
    assert source.pk in source_matches("agency")


@pytest.mark.django_db
def test_generate_data_fills_summaries_that_match_a_rebuild(capsys):
    from django.core.management import call_command

    # Imported here, as call_command does: the command's progress bars take sys.stderr as it
    # is when the module is loaded, and capsys replaces it for this test only.
    from treaties.management.commands.generate_data import GENERATED_TREATIES

    call_command("generate_data", statements=300, actors=20, sources=30, events=10, force=True)
    assert Statement.objects.published().count() >= 300
    assert StatementTally.objects.count_of() == Statement.objects.published().count()
    assert snapshot() == rebuilt()
    # Every generated statement is findable by its speaker's name.
    statement = Statement.objects.filter(speaker__isnull=False).order_by("-pk").first()
    surname = statement.speaker.name.split()[-1].lower()
    assert statement.pk in matches(surname)
    # Each statement's, event's and source's document is the one its triggers would write.
    assert Event.objects.exists() and Source.objects.exists()
    assert not stale_documents()
    assert Source.objects.filter(public=True).exists() and not sources_with_a_stale_flag()
    # A generated treaty in force says since when (the home page's chart draws that day).
    generated = Treaty.objects.filter(slug__in=[slugify(name) for name in GENERATED_TREATIES])
    assert generated.exists()
    for treaty in generated:
        assert (treaty.status == TreatyStatus.IN_FORCE) == (treaty.in_force_on is not None)
        assert treaty.in_force_on is None or treaty.signed_on < treaty.in_force_on
    assert "statements" in capsys.readouterr().err


# Whether a source is public (treaties/sql/public_sources.sql) ------------------------------


def public(source) -> bool:
    return Source.objects.values_list("public", flat=True).get(pk=source.pk)


def sources_with_a_stale_flag() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM treaties_source WHERE public IS DISTINCT FROM source_is_public(id)"
        )
        return [pk for (pk,) in cursor.fetchall()]


@pytest.mark.django_db
def test_a_source_is_public_while_a_published_statement_cites_it():
    source, other = make_source(), make_source()
    assert not public(source)
    statement = make_statement(source=source, status=Status.DRAFT)
    assert not public(source)
    statement.status = Status.PUBLISHED
    statement.save()
    assert public(source)
    statement.source = other  # moved: the source it left has nothing published any more
    statement.save()
    assert (public(source), public(other)) == (False, True)
    statement.status = Status.DRAFT
    statement.save()
    assert not public(other)
    statement.status = Status.PUBLISHED
    statement.save()
    statement.delete()
    assert not public(other)


@pytest.mark.django_db
def test_a_source_is_public_while_a_published_event_cites_or_is_corroborated_by_it():
    cited, corroborating = make_source(), make_source()
    event = make_event(source=cited, status=Status.DRAFT)
    event.other_sources.add(corroborating)
    assert (public(cited), public(corroborating)) == (False, False)
    event.status = Status.PUBLISHED
    event.save()
    assert (public(cited), public(corroborating)) == (True, True)
    event.other_sources.remove(corroborating)
    assert not public(corroborating)
    event.other_sources.add(corroborating)
    assert public(corroborating)
    event.delete()
    assert (public(cited), public(corroborating)) == (False, False)


@pytest.mark.django_db
def test_a_source_saved_from_a_stale_form_keeps_its_flag():
    source = make_source()
    stale = Source.objects.get(pk=source.pk)
    make_statement(source=source)
    stale.title = "Retitled while a statement from it was published"
    stale.save()  # sends public=False, read before the statement
    assert public(source)


@pytest.mark.django_db
def test_a_source_merge_and_its_undo_move_the_flag():
    from treaties.merges import merge_sources, undo_merge

    # Each is public one way: cited by a statement, by an event, corroborating an event.
    for record in ("statement", "event", "corroboration"):
        winner, loser = make_source(), make_source()
        if record == "statement":
            make_statement(source=loser)
        elif record == "event":
            make_event(source=loser)
        else:
            make_event().other_sources.add(loser)
        merge = merge_sources(winner=winner, loser=loser)
        assert public(winner), record
        undo_merge(merge)
        assert (public(winner), public(Source.objects.get(pk=loser.pk))) == (False, True)
        assert not sources_with_a_stale_flag()


def race(first_change: tuple, second_change: tuple):
    """Two transactions: the second's change is made while the first's is not committed."""
    import threading

    import psycopg

    dsn = connection.get_connection_params()
    first, second = psycopg.connect(**dsn), psycopg.connect(**dsn)
    try:
        first.execute(*first_change)
        during = threading.Thread(target=lambda: second.execute(*second_change))
        during.start()
        during.join(timeout=1)  # it waits for the first to commit, with the locks
        first.commit()
        during.join(timeout=10)
        second.commit()
    finally:
        first.close()
        second.close()


@pytest.mark.django_db(transaction=True)
def test_two_transactions_changing_one_source_s_statements_leave_it_right():
    """One moves a published statement into the source while the other unpublishes the
    source's only published one. Without the lock, each reads the other's statement as it
    was: the first sees the source public already and writes nothing, the second sees nothing
    published there and hides it. (Publishing and unpublishing both wait on the tallies'
    rows anyway; a move does not change them.)"""
    source = make_source()
    published = make_statement(source=source)
    moved = make_statement()
    race(
        ("UPDATE treaties_statement SET source_id = %s WHERE id = %s", [source.pk, moved.pk]),
        ("UPDATE treaties_statement SET status = 'draft' WHERE id = %s", [published.pk]),
    )
    assert public(source)
    assert not sources_with_a_stale_flag()


@pytest.mark.django_db(transaction=True)
def test_a_corroboration_added_while_its_event_is_published_makes_its_source_public():
    """Without locking the event, the publication does not see the uncommitted link, and the
    link's recheck sees a draft."""
    corroborating = make_source()
    event = make_event(status=Status.DRAFT)
    race(
        (
            "INSERT INTO treaties_event_other_sources (event_id, source_id) VALUES (%s, %s)",
            [event.pk, corroborating.pk],
        ),
        ("UPDATE treaties_event SET status = 'published' WHERE id = %s", [event.pk]),
    )
    assert public(corroborating)
    assert not sources_with_a_stale_flag()
