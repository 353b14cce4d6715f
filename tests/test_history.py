import itertools

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.template_utils import HistoricalRecordContextHelper

from treaties.models import ActorAlias, Event, Statement, Status, Topic, Treaty

from .conftest import (
    admin_form_data,
    make_actor,
    make_event,
    make_source,
    make_statement,
    make_treaty,
)

pytestmark = pytest.mark.django_db


def edit_in_admin(client, obj, **changes):
    url = reverse(f"admin:treaties_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.post(url, {**admin_form_data(client.get(url)), **changes})
    assert response.status_code == 302, response.context["errors"]
    obj.refresh_from_db()


def test_an_admin_edit_is_recorded_with_the_editor(editor_client, editor):
    treaty = make_treaty("New START", status_note="")

    edit_in_admin(editor_client, treaty, status_note="Russia suspended its participation in 2023.")

    latest = treaty.history.first()
    assert latest.history_user == editor
    assert latest.history_type == "~"
    changes = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("status_note", "", "Russia suspended its participation in 2023.")
    ]


def test_the_history_page_shows_who_changed_what(editor_client, editor):
    statement = make_statement(text="We maintain contacts.", status=Status.DRAFT)
    edit_in_admin(editor_client, statement, text="We maintain specific contacts.")

    response = editor_client.get(reverse("admin:treaties_statement_history", args=[statement.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "editor" in page
    assert "We maintain contacts." in page
    assert "We maintain specific contacts." in page
    # The strict CSP refuses inline styles; simple-history's own list template has one.
    assert "style=" not in page


def history_of(client, record, page=1):
    url = reverse(f"admin:treaties_{record._meta.model_name}_history", args=[record.pk])
    response = client.get(url, {"p": page})
    assert response.status_code == 200
    return response


def simple_history_changes(newer, older) -> list[dict]:
    """The changes simple-history's own admin shows between two versions."""
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    return HistoricalRecordContextHelper(type(newer.instance), newer).context_for_delta_changes(
        delta
    )


def test_the_history_page_shows_each_change_as_simple_history_does(editor_client):
    statement = linked_statement()
    edit_in_admin(editor_client, statement, text="We maintain specific contacts.")
    edit_in_admin(editor_client, statement, treaties=[make_treaty("CTBT").pk], mentions=[])
    edit_in_admin(editor_client, statement, source=make_source("TASS").pk, topics=[])
    Treaty.objects.get(short_name="CTBT").delete()  # a link to a record deleted since

    page = history_of(editor_client, statement)

    versions = list(page.context["page_obj"])
    for newer, older in itertools.pairwise(versions):
        assert newer.history_delta_changes == simple_history_changes(newer, older)
    changed = {c["field"] for v in versions[:-1] for c in v.history_delta_changes}
    assert changed == {"Words as published", "Treaties", "Actors mentioned", "Source", "Topics"}
    html = " ".join(page.content.decode().split())
    assert "<strong>Treaties:</strong> [] &nbsp;&rarr;&nbsp;&nbsp;[Deleted treaty (pk=" in html
    assert "We maintain specific contacts." in html
    assert str(statement) in html


def test_the_oldest_version_on_a_page_is_compared_with_the_next_page_s(editor_client, monkeypatch):
    monkeypatch.setattr(admin.site.get_model_admin(Treaty), "history_list_per_page", 2)
    treaty = make_treaty("New START", status_note="First.")
    for note in ("Second.", "Third."):
        edit_in_admin(editor_client, treaty, status_note=note)

    first, second = history_of(editor_client, treaty), history_of(editor_client, treaty, 2)

    assert [v.history_delta_changes for v in first.context["page_obj"]] == [
        [{"field": "Status note", "old": "Second.", "new": "Third."}],
        [{"field": "Status note", "old": "First.", "new": "Second."}],
    ]
    assert not hasattr(second.context["page_obj"][0], "history_delta_changes")  # the first


@pytest.mark.parametrize("kind", ["statement", "event", "treaty"])
def test_a_history_page_takes_as_many_queries_for_two_versions_as_for_ten(editor_client, kind):
    record = {"statement": linked_statement, "event": linked_event, "treaty": make_treaty}[kind]()
    field = "status_note" if kind == "treaty" else "treaties"
    counts = []
    for edits in (1, 8):
        for n in range(edits):
            value = f"Note {n}" if kind == "treaty" else [make_treaty().pk]
            edit_in_admin(editor_client, record, **{field: value})
        with CaptureQueriesContext(connection) as queries:
            history_of(editor_client, record)
        counts.append(len(queries))
    assert record.history.count() >= 10
    assert counts[0] == counts[1]


def test_reverting_through_the_history_restores_the_old_value(editor_client, editor):
    treaty = make_treaty("New START", status_note="Extended to 5 February 2026.")
    edit_in_admin(editor_client, treaty, status_note="A mistaken note.")
    assert treaty.status_note == "A mistaken note."
    old = treaty.history.get(status_note="Extended to 5 February 2026.")

    revert_url = reverse("admin:treaties_treaty_simple_history", args=[treaty.pk, old.history_id])
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    assert b"Revert" in page.content
    response = editor_client.post(revert_url, admin_form_data(page))

    assert response.status_code == 302
    treaty.refresh_from_db()
    assert treaty.status_note == "Extended to 5 February 2026."
    assert treaty.history.count() == 3
    assert treaty.history.first().history_user == editor


def test_changes_made_inline_are_recorded_too(editor_client, editor):
    actor = make_actor("Maria Zakharova", aliases=["Zajárova"])
    url = reverse("admin:treaties_actor_change", args=[actor.pk])
    data = admin_form_data(editor_client.get(url))
    data.update(
        {
            "aliases-TOTAL_FORMS": "2",
            "aliases-1-name": "Захарова",
            "aliases-1-language": "ru",
        }
    )

    assert editor_client.post(url, data).status_code == 302

    alias = ActorAlias.objects.get(name="Захарова")
    assert alias.history.get().history_user == editor
    history = editor_client.get(reverse("admin:treaties_actoralias_history", args=[alias.pk]))
    assert history.status_code == 200


def test_a_revert_is_validated_like_any_edit(editor_client):
    statement = make_statement(status=Status.DRAFT)
    old = statement.history.earliest()
    statement.source = None
    statement.save()

    # Reverting to a published version without a source would break the rule: form error.
    revert_url = reverse(
        "admin:treaties_statement_simple_history", args=[statement.pk, old.history_id]
    )
    data = admin_form_data(editor_client.get(revert_url))
    data.update(status="published", source="")
    response = editor_client.post(revert_url, data)

    assert response.status_code == 200
    assert "A published statement needs a source." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Status.DRAFT


# Links, undelete and 410 Gone (issue 7) -----------------------------------------------------


def revert(client, record, version):
    """Open a version's Revert form in the admin and submit it untouched."""
    name = record._meta.model_name
    url = reverse(f"admin:treaties_{name}_simple_history", args=[version.id, version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, admin_form_data(page))
    assert response.status_code == 302, response.context and response.context["errors"]
    return page


def links(record, *fields):
    return {field: sorted(getattr(record, field).values_list("pk", flat=True)) for field in fields}


STATEMENT_LINKS = ("treaties", "mentions", "topics")
EVENT_LINKS = ("treaties", "actors", "other_sources")


def linked_statement():
    statement = make_statement(treaties=[make_treaty("New START")], status=Status.DRAFT)
    statement.mentions.set([make_actor("Sergei Ryabkov")])
    statement.topics.set([Topic.objects.create(name="Inspections", slug="inspections")])
    return statement


def linked_event():
    event = make_event(
        treaties=[make_treaty("INF")], actors=[make_actor("Antony Blinken")], status=Status.DRAFT
    )
    event.other_sources.set([make_source()])
    return event


def test_reverting_a_statement_restores_its_links(editor_client):
    statement = linked_statement()
    before = links(statement, *STATEMENT_LINKS)
    version = statement.history.first()
    edit_in_admin(
        editor_client, statement, treaties=[make_treaty("CTBT").pk], mentions=[], topics=[]
    )
    assert links(statement, *STATEMENT_LINKS) != before

    revert(editor_client, statement, version)

    assert links(statement, *STATEMENT_LINKS) == before
    assert all(before.values())


def test_reverting_an_event_restores_its_links(editor_client):
    event = linked_event()
    before = links(event, *EVENT_LINKS)
    version = event.history.first()
    edit_in_admin(editor_client, event, treaties=[], actors=[], other_sources=[])

    revert(editor_client, event, version)

    event.refresh_from_db()
    assert links(event, *EVENT_LINKS) == before
    assert all(before.values())


def test_a_deleted_statement_is_listed_and_restored_with_every_field_and_link(editor_client):
    statement = linked_statement()
    fields = Statement.objects.filter(pk=statement.pk).values().get()
    before = links(statement, *STATEMENT_LINKS)
    delete_url = reverse("admin:treaties_statement_delete", args=[statement.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Statement.objects.filter(pk=statement.pk).exists()

    changelist = editor_client.get(reverse("admin:treaties_statement_changelist"))
    assert reverse("admin:treaties_statement_deleted") in changelist.content.decode()
    listing = editor_client.get(reverse("admin:treaties_statement_deleted"))
    assert listing.status_code == 200
    (deleted,) = listing.context["deleted"]
    assert deleted.label == str(statement)
    assert deleted.deleted_by.username == "editor"
    restore_url = reverse(
        "admin:treaties_statement_simple_history",
        args=[statement.pk, deleted.last_version.history_id],
    )
    assert restore_url in listing.content.decode()

    revert(editor_client, statement, deleted.last_version)

    restored = Statement.objects.get(pk=statement.pk)
    assert Statement.objects.filter(pk=statement.pk).values().get() == {
        **fields,
        "updated_at": restored.updated_at,
    }
    assert links(restored, *STATEMENT_LINKS) == before
    # Restored, it leaves the list.
    listing = editor_client.get(reverse("admin:treaties_statement_deleted"))
    assert listing.context["deleted"] == []


def test_a_deleted_event_is_listed_and_restored_with_its_links(editor_client):
    event = linked_event()
    before = links(event, *EVENT_LINKS)
    editor_client.post(reverse("admin:treaties_event_delete", args=[event.pk]), {"post": "yes"})

    (deleted,) = editor_client.get(reverse("admin:treaties_event_deleted")).context["deleted"]
    assert deleted.label == event.title
    revert(editor_client, event, deleted.last_version)

    assert links(Event.objects.get(pk=event.pk), *EVENT_LINKS) == before


def test_the_deleted_list_is_for_editors_only(client, editor):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:treaties_statement_deleted")).status_code == 403


def test_the_deleted_list_takes_as_many_queries_for_one_as_for_ten(editor_client):
    url = reverse("admin:treaties_statement_deleted")
    counts = []
    for rows in (1, 9):
        for _ in range(rows):
            make_statement(status=Status.DRAFT).delete()
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(url)
        counts.append(len(queries))
    assert len(response.context["deleted"]) == 10
    assert counts[0] == counts[1]


# 410 Gone ---------------------------------------------------------------------------------


def test_a_deleted_statement_s_permalink_answers_410(client):
    statement = make_statement()
    url = statement.get_absolute_url()
    statement.delete()

    response = client.get(url)

    assert response.status_code == 410
    assert "This statement is no longer published" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_an_unpublished_statement_s_permalink_answers_410_to_readers(client, editor_client):
    statement = make_statement()
    statement.status = Status.DRAFT
    statement.save()
    assert Client().get(statement.get_absolute_url()).status_code == 410
    assert editor_client.get(statement.get_absolute_url()).status_code == 200  # the draft


def test_a_statement_that_never_existed_is_404(client, django_assert_max_num_queries):
    client.get(reverse("treaties:statement_short", args=[987653]))
    # The statement, then whether it was ever published (its history).
    with django_assert_max_num_queries(2):
        response = client.get(reverse("treaties:statement_short", args=[987654]))
    assert response.status_code == 404


def test_a_deleted_event_answers_410_and_a_renamed_one_moves(client):
    gone = make_event(slug="summit-2021")
    gone.delete()
    make_event(slug="never-published", status=Status.DRAFT).delete()
    renamed = make_event(slug="geneva-talks")
    renamed.slug = "geneva-strategic-stability-talks"
    renamed.save()

    assert client.get(reverse("treaties:event_detail", args=["summit-2021"])).status_code == 410
    moved = client.get(reverse("treaties:event_detail", args=["geneva-talks"]))
    assert moved.status_code == 301
    assert moved["Location"] == renamed.get_absolute_url()
    assert client.get(reverse("treaties:event_detail", args=["never"])).status_code == 404
    never_published = reverse("treaties:event_detail", args=["never-published"])
    assert client.get(never_published).status_code == 404


def test_a_version_from_before_a_merge_reverts_to_the_winner(editor_client):
    # The version names the merged actor and source, which are gone: the Revert form offers
    # the records they were merged into, so the revert goes through untouched.
    from treaties.merges import merge_actors, merge_sources

    winner, loser = make_actor("Maria Zakharova"), make_actor("Marija Sacharowa")
    kept_source, merged_source = make_source(), make_source()
    statement = make_statement(speaker=loser, source=merged_source, status=Status.DRAFT)
    statement.mentions.set([loser])
    version = statement.history.latest()
    statement.text = "Edited since."
    statement.save()
    merge_actors(winner=winner, loser=loser)
    merge_sources(winner=kept_source, loser=merged_source)

    revert(editor_client, statement, version)

    statement.refresh_from_db()
    assert statement.text == version.text
    assert (statement.speaker, statement.source) == (winner, kept_source)
    assert list(statement.mentions.all()) == [winner]
