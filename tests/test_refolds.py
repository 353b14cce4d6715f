"""A changed name or alias reaches the search documents of the statements that hold it: at
once for most speakers and treaties, in batches after the change for the largest
(treaties/sql/refold.sql)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests.conftest import admin_form_data, make_actor, make_statement, make_treaty
from treaties import search as finder
from treaties.merges import merge_actors
from treaties.models import ActorAlias, Refold
from treaties.refolds import refold_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_at_once():
    """More than two statements make a speaker or a treaty large (until the test's end)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL armscontrol.refold_at_once = 2")


def found(word: str) -> list[int]:
    ranked, _count = finder.statements(finder.words(word))
    return sorted(ranked.ranked_ids)


def newest_first(statements) -> list[int]:
    return [s.pk for s in sorted(statements, key=lambda s: (s.date, s.pk), reverse=True)]


def speaker_with(count: int, name="Sergei Ryabkov"):
    speaker = make_actor(name)
    # Two a day: the batches' keyset must tell statements of one day apart.
    statements = [
        make_statement(speaker=speaker, date=datetime.date(2022, 1, 1 + n // 2))
        for n in range(count)
    ]
    return speaker, statements


def test_most_speakers_are_folded_at_once(two_at_once):
    speaker, statements = speaker_with(2)
    ActorAlias.objects.create(actor=speaker, name="Рябков")
    assert not Refold.objects.exists()
    assert found("Рябков") == sorted(s.pk for s in statements)


def test_a_prolific_speaker_is_folded_in_batches_the_newest_first(two_at_once):
    speaker, statements = speaker_with(5)
    order = newest_first(statements)
    ActorAlias.objects.create(actor=speaker, name="Рябков")
    assert Refold.objects.filter(speaker=speaker).exists()
    assert found("Рябков") == []  # not yet

    assert refold_batch(batch=2) == 2
    assert found("Рябков") == sorted(order[:2])
    assert refold_batch(batch=2) == 2
    assert found("Рябков") == sorted(order[:4])
    assert refold_batch(batch=2) == 1
    assert not Refold.objects.exists()
    assert refold_batch(batch=2) is None
    assert found("Рябков") == sorted(order)


def test_a_change_while_folding_starts_the_job_again(two_at_once):
    speaker, statements = speaker_with(5)
    ActorAlias.objects.create(actor=speaker, name="Рябков")
    refold_batch(batch=2)
    speaker.name = "Sergey Ryabkov"
    speaker.save()
    job = Refold.objects.get(speaker=speaker)
    assert (job.after_date, job.after_id) == (None, None)
    call_command("run_worker", verbosity=0)
    assert found("Sergey") == found("Рябков") == sorted(s.pk for s in statements)


def test_an_alias_removed_or_moved_leaves_the_documents(two_at_once):
    speaker, _ = speaker_with(3)
    other, others = speaker_with(3, name="Maria Zakharova")
    alias = ActorAlias.objects.create(actor=speaker, name="Рябков")
    call_command("run_worker", verbosity=0)
    alias.actor = other
    alias.save()
    assert set(Refold.objects.values_list("speaker", flat=True)) == {speaker.pk, other.pk}
    call_command("run_worker", verbosity=0)
    assert found("Рябков") == sorted(s.pk for s in others)
    alias.delete()
    call_command("run_worker", verbosity=0)
    assert found("Рябков") == []


def test_an_alias_note_folds_nothing_again(two_at_once):
    speaker, _ = speaker_with(3)
    alias = ActorAlias.objects.create(actor=speaker, name="Рябков")
    Refold.objects.all().delete()
    alias.note = "Russian spelling"
    alias.language = "ru"
    alias.save()
    assert not Refold.objects.exists()


def test_a_large_treaty_renamed_is_folded_in_batches(two_at_once):
    treaty = make_treaty("New START")
    statements = [make_statement(treaties=[treaty]) for _ in range(3)]
    treaty.short_name = "СНВ-3"
    treaty.save()
    assert Refold.objects.filter(treaty=treaty).exists()
    assert found("СНВ") == []
    assert refold_batch(batch=2) == 2
    assert found("СНВ") == sorted(s.pk for s in statements)[1:]  # the newest first
    call_command("run_worker", verbosity=0)
    assert found("СНВ") == sorted(s.pk for s in statements)
    assert not Refold.objects.exists()


def test_merging_prolific_actors_keeps_one_job_for_the_one_left(two_at_once):
    winner, winners = speaker_with(3, name="Sergei Ryabkov")
    loser, losers = speaker_with(3, name="Sergey Ryabkov")
    ActorAlias.objects.create(actor=winner, name="Рябков")
    ActorAlias.objects.create(actor=loser, name="С. Рябков")
    assert Refold.objects.count() == 2
    merge_actors(winner=winner, loser=loser)
    call_command("run_worker", verbosity=0)
    assert not Refold.objects.exists()
    assert found("Рябков") == sorted(s.pk for s in winners + losers)


def test_the_admin_says_when_the_new_spelling_reaches_the_search(two_at_once, editor_client):
    speaker, _ = speaker_with(3)
    url = reverse("admin:treaties_actor_change", args=[speaker.pk])
    data = admin_form_data(editor_client.get(url))
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Рябков"})
    response = editor_client.post(url, data, follow=True)
    assert ActorAlias.objects.filter(actor=speaker, name="Рябков").exists()
    assert "searches will find them under the new spelling in a minute or two" in (
        response.content.decode()
    )
    # A speaker with few statements: nothing to say.
    quiet, _ = speaker_with(1)
    url = reverse("admin:treaties_actor_change", args=[quiet.pk])
    data = admin_form_data(editor_client.get(url))
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Рябков"})
    response = editor_client.post(url, data, follow=True)
    assert "in a minute or two" not in response.content.decode()


def test_the_admin_says_so_for_a_large_treaty_renamed(two_at_once, editor_client):
    treaty = make_treaty("New START")
    for _ in range(3):
        make_statement(treaties=[treaty])
    url = reverse("admin:treaties_treaty_change", args=[treaty.pk])
    data = admin_form_data(editor_client.get(url))
    data["short_name"] = "СНВ-3"
    response = editor_client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()[:500]
    assert "СНВ-3 has many statements: searches will find them" in response.content.decode()
