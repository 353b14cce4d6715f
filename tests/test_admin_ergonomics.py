"""What entering an article showed the admin lacked: compact source rows, "draft" said out
loud, save and publish, date warnings, narrow roles, the whole title, dbshell, make run."""

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from treaties.models import Status

from .conftest import admin_form_data, make_actor, make_event, make_source, make_statement


def source_page(client, source):
    return client.get(reverse("admin:treaties_source_change", args=[source.pk]))


def test_stored_rows_fold_to_one_line_and_new_rows_say_draft(editor_client):
    source = make_source("A title long enough " * 10)
    for _ in range(20):
        make_statement(source=source, status=Status.DRAFT)
    make_event(source=source)
    html = source_page(editor_client, source).content.decode()
    assert html.count('<details class="compact-row"') == 21  # 20 statements, 1 event
    assert "new: saved as a draft" in html
    assert "New rows are saved as drafts" in html
    assert 'name="_publish_rows"' in html
    # The whole title in a text area, not a one-line box that cuts it.
    assert '<textarea name="title"' in html and source.title.strip() in html


def test_a_folded_rows_autocompletes_wait_for_the_row_to_open(editor_client):
    """Stored rows are folded, and their select2 widgets start when opened (admin_rows.js):
    all of them on load kept the browser busy for over a second with 41 statements."""
    source = make_source()
    speaker = make_actor("Maria Zakharova")
    make_statement(source=source, speaker=speaker, status=Status.DRAFT)
    response = source_page(editor_client, source)
    html = response.content.decode()
    stored = html[html.index('name="statements-0-speaker"') - 300 :].split("</select>")[0]
    new = html[html.index('name="statements-1-speaker"') - 300 :].split("</select>")[0]
    assert "admin-autocomplete-folded" in stored and "Maria Zakharova" in stored
    assert "admin-autocomplete-folded" not in new and "admin-autocomplete" in new
    assert "js/admin_rows" in html
    # Sent back with an error, every row's widgets start on load, as Django's do.
    data = {**admin_form_data(response), "title": ""}
    again = editor_client.post(reverse("admin:treaties_source_change", args=[source.pk]), data)
    assert again.status_code == 200 and "admin-autocomplete-folded" not in again.content.decode()


def test_the_original_language_and_a_blank_event_row_are_there(editor_client):
    html = editor_client.get(reverse("admin:treaties_source_add")).content.decode()
    language = html.index('name="statements-0-original_language"')
    assert language < html.index("Original words, mentions, topics, note")
    assert 'name="events-0-title"' in html


def test_save_and_publish_publishes_the_sources_rows(editor_client):
    source = make_source()
    speaker = make_actor()
    make_statement(source=source, speaker=speaker, status=Status.DRAFT)
    unattributed = make_statement(source=source, status=Status.DRAFT)
    type(unattributed).objects.filter(pk=unattributed.pk).update(speaker=None)
    make_event(source=source, status=Status.DRAFT)
    data = admin_form_data(source_page(editor_client, source))
    response = editor_client.post(
        reverse("admin:treaties_source_change", args=[source.pk]),
        {**data, "_publish_rows": "1"},
    )
    assert response.status_code == 302
    assert source.statements.filter(status=Status.PUBLISHED).count() == 1
    assert source.statements.get(speaker=None).status == Status.DRAFT
    assert source.events.get().status == Status.PUBLISHED
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("needs a speaker" in text for text in texts)


def test_dates_after_the_source_are_warned_about(editor_client):
    source = make_source(published_on=datetime.date(2022, 11, 8))
    make_statement(source=source, date=datetime.date(2022, 12, 1))
    make_event(source=source, date=datetime.date(2022, 11, 29))
    data = admin_form_data(source_page(editor_client, source))
    response = editor_client.post(
        reverse("admin:treaties_source_change", args=[source.pk]), data, follow=True
    )
    texts = " ".join(str(m) for m in response.context["messages"])
    assert "after its source was published (8 November 2022)" in texts
    assert "cites a source published before it, on 8 November 2022" in texts


def test_roles_are_stacked_so_the_actor_page_stays_narrow(editor_client):
    actor = make_actor()
    html = editor_client.get(reverse("admin:treaties_actor_change", args=[actor.pk])).content
    html = html.decode()
    start = html.index('id="roles-group"')
    assert 'data-inline-type="stacked"' in html[start : start + 200]


def test_dbshell_finds_the_embedded_server_and_a_psql():
    database = settings.DATABASES["default"]
    assert database["HOST"].endswith("var/postgres")
    assert "host" not in database["OPTIONS"]
    assert shutil.which("psql")


def test_make_run_says_how_to_create_an_editor():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("runserver")]
    assert "create_editor" in run and "make editor" in run
