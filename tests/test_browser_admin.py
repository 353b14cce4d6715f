"""An editor enters a statement through the admin in Chromium, under the site's strict CSP."""

import pytest
from playwright.sync_api import expect

from treaties.models import ActorKind, Statement, Status

from .conftest import make_actor, make_editor, make_source, make_statement, make_treaty

# The live server commits for real, so the database is flushed afterwards (the Editors group
# comes back with it: treaties/editors.py).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Arms Control Record")


def pick(page, field, typed, choice):
    """Choose in a Django admin autocomplete (Select2) widget by typing, as an editor does."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).click()
    expect(page.locator(f"#id_{field} + .select2")).to_contain_text(choice)


def test_an_editor_adds_a_statement_picking_the_speaker_by_an_alias(
    page, live_server, console_errors
):
    make_editor(password=PASSWORD)
    zakharova = make_actor("Maria Zakharova", aliases=["Zajárova", "Захарова"])
    make_actor("Sergei Ryabkov", aliases=["Riabkov"])
    new_start = make_treaty("New START")
    source = make_source("Rusia admitió contactos con EE.UU.", outlet=None)
    make_actor("Infobae", kind=ActorKind.MEDIA)

    log_in(page, live_server)
    page.click("a[href='/admin/treaties/statement/add/']")
    expect(page).to_have_url(f"{live_server.url}/admin/treaties/statement/add/")

    pick(page, "speaker", "Zajárova", "Maria Zakharova")
    page.fill("#id_text", "We maintain specific contacts with the Americans.")
    page.fill("#id_date", "08/11/2022")
    page.select_option("#id_setting", "briefing")
    pick(page, "source", "contactos", "Rusia admitió")
    pick(page, "treaties", "START", "New START")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    statement = Statement.objects.get()
    assert statement.speaker == zakharova
    assert statement.source == source
    assert list(statement.treaties.all()) == [new_start]
    assert statement.display_date == "8 November 2022"
    assert statement.status == Status.PUBLISHED

    # The pages an editor passes through next: the statement again, its history, a source
    # with its inline statements and events.
    page.click(f"a[href='/admin/treaties/statement/{statement.pk}/change/']")
    expect(page.locator("#id_text")).to_have_value(
        "We maintain specific contacts with the Americans."
    )
    page.click("a.historylink")
    expect(page.locator("#change-history")).to_contain_text("editor")
    page.goto(f"{live_server.url}/admin/treaties/source/{source.pk}/change/")
    expect(page.locator("#statements-group")).to_contain_text("Maria Zakharova")
    page.goto(f"{live_server.url}/admin/treaties/event/add/")
    # The slug is prepopulated from the title, as it is typed, by the admin's own script.
    page.locator("#id_title").press_sequentially("Kommersant reports a commission meeting")
    expect(page.locator("#id_slug")).to_have_value("kommersant-reports-a-commission-meeting")

    assert console_errors == []


def test_a_folded_rows_speaker_is_changed_once_the_row_is_opened(page, live_server, console_errors):
    """A source's stored rows are folded; their autocomplete widgets start when a row is
    opened (static/js/admin_rows.js), and then work as any other."""
    make_editor(password=PASSWORD)
    zakharova = make_actor("Maria Zakharova")
    ryabkov = make_actor("Sergei Ryabkov", aliases=["Riabkov"])
    source = make_source("Rusia admitió contactos con EE.UU.")
    statement = make_statement(speaker=zakharova, source=source, status=Status.DRAFT)

    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/treaties/source/{source.pk}/change/")
    speaker = page.locator("#id_statements-0-speaker + .select2")
    expect(speaker).to_have_count(0)
    # The new row below it is open, and its widgets started on load.
    expect(page.locator("#id_statements-1-speaker + .select2")).to_have_count(1)

    page.locator("#statements-0 details.compact-row > summary h3 > b").click()
    expect(speaker).to_contain_text("Maria Zakharova")
    pick(page, "statements-0-speaker", "Riabkov", "Sergei Ryabkov")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    statement.refresh_from_db()
    assert statement.speaker == ryabkov
    assert console_errors == []
