"""OpenSearch as the search engine (opensearch_backend): the queue the database fills, the
indexes it feeds, and the search page answered from them, with the real opensearch-py client
talking to a stand-in server (tests/fake_opensearch.py)."""

import datetime
import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from opensearch_backend import engine, indexing
from opensearch_backend.client import opensearch
from opensearch_backend.models import FedIndex, Queued, Refused
from tests.conftest import make_actor, make_event, make_source, make_statement, make_treaty
from tests.fake_opensearch import FakeOpenSearch
from treaties import search as finder
from treaties.models import ActorAlias, Status

pytestmark = pytest.mark.django_db

URL = reverse("treaties:search")
STATEMENTS, SOURCES = "test-statements", "test-sources"


@pytest.fixture(scope="session")
def fake_server():
    server = FakeOpenSearch()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server, settings):
    """OpenSearch chosen as the engine, its indexes named test-*, served by the stand-in."""
    fake_server.reset()
    finder._engine.cache_clear()  # a fresh engine: no failure remembered from another test
    settings.SEARCH_ENGINE = settings.SEARCH_ENGINES["opensearch"]
    settings.OPENSEARCH_URL = fake_server.url
    settings.OPENSEARCH_INDEX_PREFIX = "test"
    return fake_server


def queued() -> set[tuple[str, int]]:
    return set(Queued.objects.values_list("kind", "record_id"))


def feed() -> None:
    """Sets the indexes up and sends them everything queued, as the command does."""
    call_command("opensearch_index", verbosity=0)


def shown(response, key="statements") -> list[int]:
    group = next(g for g in response.context["groups"] if g["key"] == key)
    return [record.pk for record in group["items"]]


# The queue ---------------------------------------------------------------------------------


def test_nothing_is_queued_while_no_index_is_fed():
    make_statement()
    assert not Queued.objects.exists()


def test_every_change_to_a_document_is_queued_once_an_index_is_fed():
    FedIndex.objects.create(name=STATEMENTS)
    speaker = make_actor("Sergei Ryabkov")
    draft_source = make_source("Ryabkov on telemetry")
    statement = make_statement(speaker=speaker, source=draft_source, status=Status.DRAFT)
    assert queued() == {("statement", statement.pk), ("source", draft_source.pk)}

    Queued.objects.all().delete()
    statement.text = "Telemetry exchanges are over."
    statement.save()
    assert queued() == {("statement", statement.pk)}  # the source is as public as it was

    Queued.objects.all().delete()
    statement.status = Status.PUBLISHED  # its source becomes public
    statement.save()
    assert queued() == {("statement", statement.pk), ("source", draft_source.pk)}

    Queued.objects.all().delete()
    ActorAlias.objects.create(actor=speaker, name="Сергей Рябков")  # in the document
    assert queued() == {("statement", statement.pk)}

    Queued.objects.all().delete()
    treaty = make_treaty("New START")
    statement.treaties.add(treaty)
    treaty.name = "Treaty on Measures for the Further Reduction of Strategic Offensive Arms"
    treaty.save()
    assert queued() == {("statement", statement.pk)}

    Queued.objects.all().delete()
    other_source = make_source("Another article")
    statement.source = other_source
    statement.save()
    # The two sources' public flags change; the statement's document does not.
    assert queued() == {("source", other_source.pk), ("source", draft_source.pk)}

    Queued.objects.all().delete()
    event = make_event(source=draft_source)
    event.status = Status.DRAFT
    event.save()
    assert queued() == {("source", draft_source.pk)}

    Queued.objects.all().delete()
    statement_pk = statement.pk
    statement.delete()
    assert ("statement", statement_pk) in queued()


def test_an_edit_that_leaves_the_document_alone_is_not_queued():
    FedIndex.objects.create(name=STATEMENTS)
    statement = make_statement()
    Queued.objects.all().delete()
    statement.save()
    assert not Queued.objects.exists()


# Feeding the indexes -----------------------------------------------------------------------


def test_set_up_creates_the_indexes_and_queues_every_record(fake):
    published = make_statement(text="Telemetry exchanges are over.")
    draft = make_statement(status=Status.DRAFT)
    orphan = make_source("A source behind no record")

    assert indexing.set_up(opensearch()) == [STATEMENTS, SOURCES]
    assert set(fake.indexes) == {STATEMENTS, SOURCES}
    assert fake.indexes[STATEMENTS]["definition"] == indexing.DEFINITIONS["statements"]
    assert set(FedIndex.objects.values_list("name", flat=True)) == {STATEMENTS, SOURCES}
    assert {("statement", published.pk), ("statement", draft.pk)} <= queued()
    assert ("source", orphan.pk) in queued()
    # Set up already: nothing created, nothing queued again.
    Queued.objects.all().delete()
    assert indexing.set_up(opensearch()) == []
    assert not Queued.objects.exists()


def test_the_command_sends_each_record_as_it_is(fake):
    speaker = make_actor("Maria Zakharova", aliases=["María Zajárova", "Мария Захарова"])
    treaty = make_treaty("New START", name="Treaty on Strategic Offensive Arms")
    statement = make_statement(
        speaker=speaker,
        treaties=[treaty],
        text="We maintain specific contacts.",
        setting_detail="briefing",
        date=datetime.date(2022, 11, 9),
    )
    draft = make_statement(status=Status.DRAFT)
    feed()

    assert not Queued.objects.exists()
    assert fake.documents(STATEMENTS) == {
        str(statement.pk): {
            "text": "We maintain specific contacts.",
            "original_text": "",
            "names": "Maria Zakharova María Zajárova Мария Захарова",
            "context": "briefing New START Treaty on Strategic Offensive Arms",
            "note": "",
            "date": "2022-11-09",
        }
    }
    assert fake.documents(SOURCES)[str(statement.source_id)]["public"] is True
    assert fake.documents(SOURCES)[str(draft.source_id)]["public"] is False

    statement.status = Status.DRAFT  # unpublished: out of the index
    statement.save()
    feed()
    assert fake.documents(STATEMENTS) == {}
    assert fake.documents(SOURCES)[str(statement.source_id)]["public"] is False


def test_a_source_is_public_while_it_corroborates_a_published_event(fake):
    """Queued when an event gains or loses it, and when the event is published or
    unpublished: its public column changes then (treaties/sql/public_sources.sql), which
    queues it (sql/public_sources.sql), and OpenSearch's flag follows the column."""
    source = make_source("Corroborating transcript")
    event = make_event(status=Status.DRAFT)
    feed()

    def public():
        feed()
        return fake.documents(SOURCES)[str(source.pk)]["public"]

    assert public() is False
    event.other_sources.add(source)
    assert public() is False  # a draft's corroboration
    event.status = Status.PUBLISHED
    event.save()
    assert public() is True
    event.other_sources.remove(source)
    assert public() is False
    event.other_sources.add(source)
    assert public() is True
    event.delete()
    assert public() is False


def test_a_refused_batch_stays_queued(fake):
    feed()
    make_statement()
    before = queued()
    fake.refuse_writes = True
    with pytest.raises(CommandError, match="stay queued"):
        feed()
    assert queued() == before
    fake.refuse_writes = False
    feed()
    assert not Queued.objects.exists()


def test_a_record_refused_for_its_own_reason_is_set_aside(fake, caplog):
    """A document OpenSearch will never take does not hold up the queue behind it: it is set
    aside with the reason and logged, and queued again when the record changes."""
    feed()
    refused, taken = make_statement(text="Refused."), make_statement(text="Taken.")
    fake.refuse_documents.add((STATEMENTS, str(refused.pk)))
    errors = io.StringIO()
    with caplog.at_level(logging.ERROR, logger="opensearch_backend.indexing"):
        call_command("opensearch_index", stderr=errors, verbosity=0)

    assert not Queued.objects.exists()
    assert fake.documents(STATEMENTS)[str(taken.pk)]["text"] == "Taken."
    assert str(refused.pk) not in fake.documents(STATEMENTS)
    (aside,) = Refused.objects.all()
    assert (aside.kind, aside.record_id) == ("statement", refused.pk)
    assert aside.reason == "mapper_parsing_exception: refused by the stand-in"
    assert f"OpenSearch refused statement {refused.pk}: mapper_parsing_exception" in caplog.text
    assert f"statement {refused.pk}: mapper_parsing_exception" in errors.getvalue()

    # Its next change is sent again, and taken once OpenSearch can.
    fake.refuse_documents.clear()
    refused.text = "Mended."
    refused.save()
    feed()
    assert fake.documents(STATEMENTS)[str(refused.pk)]["text"] == "Mended."
    assert not Refused.objects.exists()


def test_a_batch_whose_every_document_is_refused_stays_queued(fake):
    """An index defined wrong refuses every document: nothing is set aside, and PostgreSQL
    goes on answering searches, as the index is not marked ready."""
    statements = [make_statement() for _ in range(indexing.MAPPING_SUSPECTED_AT // 2)]
    for statement in statements:
        fake.refuse_documents.add((STATEMENTS, str(statement.pk)))
        fake.refuse_documents.add((SOURCES, str(statement.source_id)))
    with pytest.raises(CommandError, match="refused every document"):
        feed()
    assert not Refused.objects.exists()
    assert {("statement", statement.pk) for statement in statements} <= queued()
    assert not indexing.ready(STATEMENTS)


def test_a_small_batch_of_refused_documents_is_set_aside(fake):
    """Two records an editor saved, both refused: theirs, not the index's; the queue goes on."""
    feed()
    bad = [make_statement(source=make_source()) for _ in range(2)]
    for statement in bad:
        fake.refuse_documents.add((STATEMENTS, str(statement.pk)))
        fake.refuse_documents.add((SOURCES, str(statement.source_id)))
    feed()
    assert not Queued.objects.exists()
    assert Refused.objects.count() == 4


def test_retry_refused_queues_again_what_was_set_aside(fake):
    statement = make_statement(text="Refused at first.")
    fake.refuse_documents.add((STATEMENTS, str(statement.pk)))
    feed()
    assert Refused.objects.filter(record_id=statement.pk).exists()
    feed()  # nothing queued: it stays aside
    assert Refused.objects.filter(record_id=statement.pk).exists()

    fake.refuse_documents.clear()
    output = io.StringIO()
    call_command("opensearch_index", retry_refused=True, stdout=output, verbosity=0)
    assert "1 refused records are queued again." in output.getvalue()
    assert fake.documents(STATEMENTS)[str(statement.pk)]["text"] == "Refused at first."
    assert not Refused.objects.exists() and not Queued.objects.exists()


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (429, "es_rejected_execution_exception"),
        (400, "index_closed_exception"),
        (403, "cluster_block_exception"),
    ],
)
def test_a_refusal_not_the_documents_own_keeps_the_whole_batch_queued(
    fake, monkeypatch, status, error
):
    """One action refused by a busy, closed or read-only index, one for its own reason: both
    stay queued, as OpenSearch may take the batch later, and nothing is set aside yet."""
    feed()
    busy, refused = make_statement(), make_statement()
    fake.refuse_documents.add((STATEMENTS, str(refused.pk)))
    answer = fake.bulk

    def bulk(lines):
        response = answer(lines)
        for item in response["items"]:
            if item.get("index", {}).get("_id") == str(busy.pk):
                item["index"].update(status=status, error={"type": error, "reason": "no"})
        return response

    monkeypatch.setattr(fake, "bulk", bulk)
    before = queued()
    with pytest.raises(indexing.IndexingFailed, match=f"OpenSearch refused 1: {error}"):
        indexing.send_queued(opensearch())
    assert queued() == before
    assert not Refused.objects.exists()


def test_loading_afresh_or_stopping_forgets_what_was_set_aside(fake):
    statement = make_statement()
    fake.refuse_documents.add((STATEMENTS, str(statement.pk)))
    feed()
    fake.refuse_documents.clear()
    call_command("opensearch_index", recreate=True, verbosity=0)
    assert str(statement.pk) in fake.documents(STATEMENTS)
    assert not Refused.objects.exists()

    fake.refuse_documents.add((STATEMENTS, str(statement.pk)))
    statement.text = "Refused again."
    statement.save()
    feed()
    assert Refused.objects.exists()
    call_command("opensearch_index", stop=True, verbosity=0)
    assert not Refused.objects.exists()


def test_a_sender_that_read_a_record_before_a_later_change_cannot_overwrite_it(fake):
    """Senders side by side: one took the first change and read the statement, another took
    the second change, read it again and sent first. The versions keep the later text."""
    statement = make_statement()
    feed()
    statement.text = "First edit."
    statement.save()
    slow_sender = indexing.actions(list(Queued.objects.all()))
    statement.text = "Second edit."
    statement.save()
    indexing.send_queued(opensearch())
    response = opensearch().bulk(body=slow_sender)
    assert [item["index"]["status"] for item in response["items"]] == [409]
    assert indexing.taken_already("index", response["items"][0]["index"])
    assert fake.documents(STATEMENTS)[str(statement.pk)]["text"] == "Second edit."


def test_stop_empties_the_queue_and_queues_no_more(fake):
    statement = make_statement()
    feed()
    make_statement()
    call_command("opensearch_index", stop=True, verbosity=0)
    assert not FedIndex.objects.exists() and not Queued.objects.exists()
    statement.text = "An edit while OpenSearch is not fed."
    statement.save()
    assert not Queued.objects.exists()
    # Fed again: the indexes are there, but every record is queued, edits included.
    assert indexing.set_up(opensearch()) == [STATEMENTS, SOURCES]
    assert ("statement", statement.pk) in queued()


def test_following_outlasts_a_refusal(fake, monkeypatch):
    """--follow keeps going when OpenSearch refuses a batch, and sends it once it can."""
    from opensearch_backend.management.commands import opensearch_index

    added = []

    def sleep(seconds):
        if not added:  # the first pause: an edit, which OpenSearch refuses
            added.append(make_statement(text="Sent after a refusal."))
            fake.refuse_writes = True
        elif seconds == opensearch_index.RETRY_SECONDS:
            fake.refuse_writes = False
        elif not Queued.objects.exists():
            raise KeyboardInterrupt  # stopped, as by Ctrl-C

    monkeypatch.setattr(opensearch_index.time, "sleep", sleep)
    errors = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("opensearch_index", follow=True, stderr=errors, verbosity=0)
    assert "The changes stay queued." in errors.getvalue()
    assert fake.documents(STATEMENTS)[str(added[0].pk)]["text"] == "Sent after a refusal."


def test_following_outlasts_a_refusal_from_the_start(fake, monkeypatch):
    """A refusal in the first pass, while the indexes are being loaded, does not stop it."""
    from opensearch_backend.management.commands import opensearch_index

    statement = make_statement(text="Sent after a refusal.")
    fake.refuse_writes = True

    def sleep(seconds):
        if seconds == opensearch_index.RETRY_SECONDS:
            fake.refuse_writes = False
        elif not Queued.objects.exists():
            raise KeyboardInterrupt

    monkeypatch.setattr(opensearch_index.time, "sleep", sleep)
    errors = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("opensearch_index", follow=True, stderr=errors, verbosity=0)
    assert "The changes stay queued." in errors.getvalue()
    assert fake.documents(STATEMENTS)[str(statement.pk)]["text"] == "Sent after a refusal."
    assert indexing.ready(STATEMENTS)


def test_the_command_needs_a_server(settings):
    settings.OPENSEARCH_URL = ""
    with pytest.raises(CommandError, match="OPENSEARCH_URL"):
        call_command("opensearch_index")


# The search page on OpenSearch -------------------------------------------------------------


def test_the_search_page_shows_opensearchs_ranking_from_postgresql(fake, client):
    zakharova = make_actor("Maria Zakharova", aliases=["María Zajárova", "Мария Захарова"])
    in_text = make_statement(text="Zakharova's own words, quoted by Zakharova herself.")
    older = make_statement(speaker=zakharova, date=datetime.date(2021, 1, 1))
    newer = make_statement(speaker=zakharova, date=datetime.date(2022, 1, 1))
    make_statement(speaker=zakharova, status=Status.DRAFT)
    source = make_source("Zakharova on specific contacts")
    make_statement(source=source)
    feed()

    for spelling in ("Zakharova", "zajarova", "Захарова"):
        response = client.get(URL, {"q": spelling})
        assert response.status_code == 200
        if spelling == "Zakharova":
            # In the text counts most; then the newest.
            assert shown(response) == [in_text.pk, newer.pk, older.pk]
        else:
            assert shown(response) == [newer.pk, older.pk]
    response = client.get(URL, {"q": "Zakharova", "kind": "sources"})
    assert shown(response, "sources") == [source.pk]
    # PostgreSQL highlights the rows shown.
    assert "<mark>Zakharova</mark>" in response.content.decode()
    assert [name for name, _ in fake.searches][-2:] == [STATEMENTS, SOURCES]


def test_the_last_word_is_a_prefix_and_every_word_must_match(fake, client):
    statement = make_statement(text="We maintain specific contacts with the United States.")
    feed()
    assert shown(client.get(URL, {"q": "specific cont"})) == [statement.pk]
    assert shown(client.get(URL, {"q": "specific telemetry"})) == []


def test_sources_match_every_word_as_a_prefix_as_on_postgresql(fake, client):
    source = make_source("Ryabkov on telemetry exchanges")
    make_statement(source=source)
    feed()
    for q in ("ryab tele", "telemetry ryab"):
        assert shown(client.get(URL, {"q": q, "kind": "sources"}), "sources") == [source.pk]
    # Statements take only the last word as a prefix.
    statement = make_statement(text="Telemetry exchanges are over.")
    feed()
    assert shown(client.get(URL, {"q": "tele exchanges"})) == []
    assert shown(client.get(URL, {"q": "exchanges tele"})) == [statement.pk]


def test_postgresql_answers_while_opensearch_cannot(fake, client, settings, caplog, monkeypatch):
    statement = make_statement(text="We maintain specific contacts.")
    feed()
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="opensearch_backend.engine"):
        response = client.get(URL, {"q": "specific"})
    assert response.status_code == 200
    assert shown(response) == [statement.pk]
    assert "OpenSearch did not answer" in caplog.text
    # For a while after, searches do not ask it again, even once it is back...
    settings.OPENSEARCH_URL = fake.url
    assert shown(client.get(URL, {"q": "specific"})) == [statement.pk]
    assert fake.searches == []
    # ...and then they do.
    monkeypatch.setattr(engine, "PAUSE_AFTER_FAILURE_SECONDS", 0)
    assert shown(client.get(URL, {"q": "specific"})) == [statement.pk]
    assert [name for name, _ in fake.searches] == [STATEMENTS, SOURCES]


def test_an_index_behind_an_edit_shows_nothing_unpublished(fake, client):
    shown_first = make_statement(text="Specific contacts, still published.")
    withdrawn = make_statement(text="Specific contacts, withdrawn.")
    feed()
    withdrawn.status = Status.DRAFT  # not sent yet: the index still has it
    withdrawn.save()
    response = client.get(URL, {"q": "specific"})
    assert shown(response) == [shown_first.pk]
    statements = next(g for g in response.context["groups"] if g["key"] == "statements")
    assert statements["count"] == 1
    assert str(withdrawn.pk) in fake.documents(STATEMENTS)


def test_postgresql_answers_until_the_first_load_is_sent(fake, client):
    statement = make_statement(text="We maintain specific contacts.")
    indexing.set_up(opensearch())  # queued, not sent
    assert shown(client.get(URL, {"q": "specific"})) == [statement.pk]
    assert fake.searches == []
    feed()
    assert shown(client.get(URL, {"q": "specific"})) == [statement.pk]
    assert [name for name, _ in fake.searches] == [STATEMENTS, SOURCES]


def test_an_index_this_database_does_not_feed_starts_empty(fake):
    """Another database's records, or records deleted while the feeding was stopped."""
    statement = make_statement()
    feed()
    call_command("opensearch_index", stop=True, verbosity=0)
    statement.delete()  # not queued: nothing is fed
    feed()
    assert fake.documents(STATEMENTS) == {}


def test_the_query_count_is_postgresqls_less_the_candidates(
    fake, client, django_assert_num_queries
):
    speaker = make_actor("Maria Zakharova")
    for n in range(3):
        source = make_source(f"Specific contacts, article {n}")
        make_statement(speaker=speaker, source=source, text=f"Specific contacts {n}.")
    feed()
    # As on PostgreSQL's search (test_search.py), the candidates coming from OpenSearch: the
    # index lookups' transaction (3); for statements, then sources, whether their index is
    # loaded and which of its ids are public (4); the actors (1), treaties and events (2), the
    # sources shown (1), the statements shown with their speakers' roles on the day (1).
    with django_assert_num_queries(12):
        response = client.get(URL, {"q": "specific"})
    assert (len(shown(response)), len(shown(response, "sources"))) == (3, 3)
