import pytest
from django.urls import reverse

from treaties.models import ActorAlias, Status

from .conftest import admin_form_data, make_actor, make_statement, make_treaty

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
