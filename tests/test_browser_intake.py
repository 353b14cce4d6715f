"""An editor pastes an article, accepts a proposal in place (htmx) and publishes, in Chromium
under the strict CSP."""

import pytest
from playwright.sync_api import expect

from treaties.models import Statement, Status

from .conftest import make_actor, make_editor
from .test_browser_admin import PASSWORD, log_in
from .test_intake import ARTICLE

pytestmark = pytest.mark.django_db(transaction=True)


def test_paste_accept_in_place_and_publish(page, live_server, console_errors):
    make_editor(password=PASSWORD)
    make_actor("Maria Zakharova", aliases=["Мария Захарова"])
    make_actor("United States", kind="state", aliases=["US"])

    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/treaties/source/")
    page.click("text=New from article")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_published_on", "2022-11-08")
    page.click("input[type=submit]")

    expect(page.locator("h1")).to_contain_text("Review: Moscow Keeps Talking")
    page.evaluate("window.notReloaded = true")
    first = page.locator("article.intake-row", has_text="the diplomat said").first
    first.get_by_role("button", name="Accept as draft").click()
    expect(first).to_contain_text("accepted as a draft")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no page load
    statement = Statement.objects.get()
    assert statement.status == Status.DRAFT

    page.click("input[value='Publish the accepted drafts']")
    expect(page.locator(".messagelist")).to_contain_text("Published 1 accepted row")
    statement.refresh_from_db()
    assert statement.status == Status.PUBLISHED
    assert console_errors == []
