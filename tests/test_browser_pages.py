"""The one-record pages in Chromium: no JavaScript errors or CSP violations, the copy button,
permalink redirects, and the htmx swaps on the actor and treaty pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.test_pages import ZAKHAROVA_QUOTE, build_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def record(transactional_db):
    return build_record()


def page_paths(record):
    return {
        "home": "/",
        "treaty": record["new_start"].get_absolute_url(),
        "actor": record["zakharova"].get_absolute_url(),
        "statement": record["quote"].get_absolute_url(),
        "event": record["meeting"].get_absolute_url(),
    }


@pytest.mark.parametrize("name", ["home", "treaty", "actor", "statement", "event"])
def test_no_console_errors_or_csp_violations(live_server, page, console_errors, record, name):
    response = page.goto(live_server.url + page_paths(record)[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    # htmx started (so its script passed the CSP) and read its configuration from the meta tag.
    assert page.evaluate("window.htmx.config.allowEval") is False
    assert page.evaluate("window.htmx.config.historyRestoreAsHxRequest") is False
    assert page.evaluate("window.htmx.config.includeIndicatorStyles") is False
    assert console_errors == []


def test_copy_button_copies_the_citation(live_server, page, console_errors, record):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + record["quote"].get_absolute_url())
    citation = page.locator("#citation").inner_text().strip()
    assert ZAKHAROVA_QUOTE.rstrip(".") in citation
    button = page.get_by_role("button", name="Copy citation")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".cite__status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert console_errors == []


def test_copy_button_selects_the_citation_without_a_clipboard(
    live_server, page, console_errors, record
):
    # As on a page served over plain HTTP from another host: no asynchronous clipboard.
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(live_server.url + record["quote"].get_absolute_url())
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".cite__status")).to_contain_text("Selected")
    selected = page.evaluate("window.getSelection().toString()").strip()
    assert selected == page.locator("#citation").inner_text().strip()
    assert console_errors == []


def test_permalink_loads_its_context_when_scrolled_to(live_server, page, console_errors, record):
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(live_server.url + record["quote"].get_absolute_url())
    section = page.locator("#in-context")
    # Below the fold on a phone: still the placeholder, which htmx fills once it is seen.
    expect(page.locator("#in-context[hx-get]")).to_have_count(1)
    expect(section.get_by_text("Also from this source")).to_have_count(0)
    section.scroll_into_view_if_needed()
    expect(page.locator("#in-context").get_by_text("Also from this source")).to_be_visible()
    expect(page.locator("#in-context [hx-get]")).to_have_count(0)
    assert page.url == live_server.url + record["quote"].get_absolute_url()  # no history entry
    assert console_errors == []


def test_permalink_with_a_wrong_slug_lands_on_the_canonical_url(live_server, page, record):
    quote = record["quote"]
    page.goto(f"{live_server.url}/q/{quote.pk}/an-old-slug/")
    assert page.url == live_server.url + quote.get_absolute_url()
    expect(page.locator("blockquote.quote--large")).to_contain_text(ZAKHAROVA_QUOTE)
    page.goto(f"{live_server.url}/q/{quote.pk}/")
    assert page.url == live_server.url + quote.get_absolute_url()


def test_actor_filter_swaps_the_list_and_pushes_the_url(live_server, page, console_errors, record):
    page.goto(live_server.url + record["zakharova"].get_absolute_url())
    page.evaluate("window.notReloaded = true")
    statements = page.locator("#actor-statements")
    expect(statements).to_contain_text("An earlier remark")
    page.get_by_label("Year").select_option("2022")
    expect(page).to_have_url(re.compile(r"/\?year=2022$"))  # the empty treaty left out
    expect(statements).not_to_contain_text("An earlier remark")
    expect(statements).to_contain_text(ZAKHAROVA_QUOTE)
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
    page.go_back()
    expect(statements).to_contain_text("An earlier remark")
    assert console_errors == []


def test_treaty_order_toggle_swaps_the_timeline(live_server, page, console_errors, record):
    page.goto(live_server.url + record["new_start"].get_absolute_url())
    page.evaluate("window.notReloaded = true")
    entries = page.locator("#treaty-timeline .timeline__entry")
    expect(entries.first).to_contain_text("commission meeting postponed")
    page.get_by_role("link", name="Show oldest first").click()
    expect(page).to_have_url(re.compile(r"\?order=oldest$"))
    expect(entries.first).to_contain_text("New START signed")
    assert page.evaluate("window.notReloaded") is True
    page.reload()  # the pushed URL is a real page
    expect(entries.first).to_contain_text("New START signed")
    assert console_errors == []
