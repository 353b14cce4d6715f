"""A changed name or alias reaches the search documents of a speaker's statements: at once for
most speakers, in batches after the change for the most prolific (treaties/sql/refold.sql)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests.conftest import admin_form_data, make_actor, make_statement
from treaties import search as finder
from treaties.models import ActorAlias, Refold
from treaties.refolds import refold_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_at_once():
    """More than two statements make a speaker prolific."""
    with connection.cursor() as cursor:
        cursor.execute("SET armscontrol.refold_at_once = 2")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET armscontrol.refold_at_once")


def found(word: str) -> list[int]:
    ranked, _count = finder.statements(finder.words(word))
    return sorted(ranked.ranked_ids)


def speaker_with(count: int):
    speaker = make_actor("Sergei Ryabkov")
    statements = [
        make_statement(speaker=speaker, date=datetime.date(2022, 1, 1 + n)) for n in range(count)
    ]
    return speaker, sorted(statement.pk for statement in statements)


def test_most_speakers_are_folded_at_once(two_at_once):
    speaker, statements = speaker_with(2)
    ActorAlias.objects.create(actor=speaker, name="Рябков")
    assert not Refold.objects.exists()
    assert found("Рябков") == statements


def test_a_prolific_speaker_is_folded_in_batches_after_the_change(two_at_once):
    speaker, statements = speaker_with(5)
    ActorAlias.objects.create(actor=speaker, name="Рябков")
    assert Refold.objects.filter(speaker=speaker).exists()
    assert found("Рябков") == []  # not yet

    assert refold_batch(batch=2) == 2
    job = Refold.objects.get(speaker=speaker)
    assert (job.after_date, job.after_id) == (datetime.date(2022, 1, 2), statements[1])
    assert found("Рябков") == statements[:2]
    assert [refold_batch(batch=2), refold_batch(batch=2)] == [2, 1]
    assert not Refold.objects.exists()
    assert refold_batch(batch=2) is None
    assert found("Рябков") == statements


def test_a_change_while_folding_starts_the_speaker_again(two_at_once):
    speaker, statements = speaker_with(5)
    ActorAlias.objects.create(actor=speaker, name="Рябков")
    refold_batch(batch=2)
    speaker.name = "Sergey Ryabkov"
    speaker.save()
    job = Refold.objects.get(speaker=speaker)
    assert (job.after_date, job.after_id) == (None, 0)
    call_command("refold_documents", verbosity=0)
    assert found("Sergey") == found("Рябков") == statements


def test_an_alias_removed_leaves_the_documents_of_a_prolific_speaker(two_at_once):
    speaker, statements = speaker_with(3)
    alias = ActorAlias.objects.create(actor=speaker, name="Рябков")
    call_command("refold_documents", verbosity=0)
    assert found("Рябков") == statements
    alias.delete()
    call_command("refold_documents", verbosity=0)
    assert found("Рябков") == []


def test_the_admin_says_when_the_new_spelling_reaches_the_search(two_at_once, editor_client):
    speaker, _ = speaker_with(3)
    url = reverse("admin:treaties_actor_change", args=[speaker.pk])
    data = admin_form_data(editor_client.get(url))
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Рябков"})
    response = editor_client.post(url, data, follow=True)
    assert ActorAlias.objects.filter(actor=speaker, name="Рябков").exists()
    assert "searches will find them under the new spelling within a minute" in (
        response.content.decode()
    )
    # A speaker with few statements: nothing to say.
    quiet, _ = speaker_with(1)
    url = reverse("admin:treaties_actor_change", args=[quiet.pk])
    data = admin_form_data(editor_client.get(url))
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Рябков"})
    response = editor_client.post(url, data, follow=True)
    assert "within a minute" not in response.content.decode()
