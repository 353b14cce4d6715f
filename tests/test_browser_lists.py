"""The timeline, "who said what" and search in Chromium: htmx swaps, history, no JS errors."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from treaties.models import ActorKind

from .conftest import make_actor, make_event, make_role, make_statement, make_treaty

# The live server commits for real, so the database is flushed afterwards (the Editors group
# comes back with it: treaties/editors.py).
pytestmark = pytest.mark.django_db(transaction=True)

CONTACTS = "We maintain, let’s put it that way, specific contacts with the United States"
DEAD = "The INF Treaty is dead, and the United States killed it."


@pytest.fixture
def record():
    ministry = make_actor("Russian Ministry of Foreign Affairs", kind=ActorKind.GOVERNMENT_BODY)
    zakharova = make_actor(
        "Maria Zakharova", country="RU", aliases=["María Zajárova", "Мария Захарова"]
    )
    make_role(zakharova, "Spokeswoman", ministry, start=datetime.date(2015, 8, 10))
    jenkins = make_actor("Bonnie Jenkins", country="US")
    make_actor("Russia", kind=ActorKind.STATE, country="RU")
    make_actor("United States", kind=ActorKind.STATE, country="US")
    new_start = make_treaty("New START", slug="new-start")
    inf = make_treaty("INF", slug="inf", signed_on=datetime.date(1987, 12, 8))
    make_statement(speaker=zakharova, treaties=[new_start], text=CONTACTS + ".")
    make_statement(
        speaker=jenkins,
        treaties=[new_start],
        text="We know there is some pushback from Russia.",
        date=datetime.date(2022, 8, 25),
    )
    make_statement(speaker=zakharova, treaties=[inf], text=DEAD, date=datetime.date(2019, 8, 2))
    make_event(
        title="United States leaves the INF Treaty", treaties=[inf], date=datetime.date(2019, 8, 2)
    )
    return {"new_start": new_start, "inf": inf, "zakharova": zakharova}


def mark_page(page):
    """A flag that survives htmx swaps and is lost on a full page load."""
    page.evaluate("window.notReloaded = true")


def still_same_page(page):
    return page.evaluate("window.notReloaded === true")


def test_filtering_the_timeline_by_treaty_swaps_the_list_and_back_restores_it(
    page, live_server, console_errors, record
):
    page.goto(f"{live_server.url}/timeline/")
    results = page.locator("#results")
    expect(results).to_contain_text(CONTACTS)
    expect(results).to_contain_text(DEAD)
    mark_page(page)

    page.select_option("#id_treaty", "inf")
    expect(page).to_have_url(f"{live_server.url}/timeline/?treaty=inf")
    expect(results).to_contain_text(DEAD)
    expect(results).not_to_contain_text(CONTACTS)
    expect(results).to_contain_text("United States leaves the INF Treaty")
    assert still_same_page(page)
    expect(page).to_have_title("Timeline: INF · Arms Control Record")

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/timeline/")
    expect(page.locator("#results")).to_contain_text(CONTACTS)
    expect(page.locator("#results")).to_contain_text(DEAD)

    # The pushed URL is a real page: reloading it shows the same filtered list.
    page.goto(f"{live_server.url}/timeline/?treaty=inf")
    expect(page.locator("#id_treaty")).to_have_value("inf")
    expect(page.locator("#results")).not_to_contain_text(CONTACTS)
    assert console_errors == []


def test_timeline_loads_more_without_reloading(page, live_server, console_errors):
    for day in range(1, 29):
        make_statement(text=f"Entry for day {day}.", date=datetime.date(2022, 2, day))
    page.goto(f"{live_server.url}/timeline/")
    entries = page.locator(".timeline__entry")
    expect(entries).to_have_count(25)
    mark_page(page)
    page.get_by_role("link", name="Earlier entries").click()
    expect(entries).to_have_count(28)
    expect(page.locator("#results")).to_contain_text("Entry for day 1.")
    expect(page.get_by_role("link", name="Earlier entries")).to_have_count(0)
    expect(page.locator(".timeline__month")).to_have_count(1)  # February 2022, once
    # The list loaded so far is in the URL (test_browser_history.py follows it further).
    expect(page).to_have_url(re.compile(r"/timeline/\?until="))
    assert still_same_page(page)
    assert console_errors == []


def test_timeline_filters_work_without_javascript(browser, live_server, record):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/timeline/")
    page.select_option("#id_treaty", "inf")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/timeline/\?treaty=inf&"))
    expect(page.locator("#results")).to_contain_text(DEAD)
    expect(page.locator("#results")).not_to_contain_text(CONTACTS)
    context.close()


def test_search_as_you_type_finds_zakharova_by_the_spanish_spelling(
    page, live_server, console_errors, record
):
    page.goto(f"{live_server.url}/search/")
    mark_page(page)
    page.locator("#q").press_sequentially("Zajárova", delay=40)
    results = page.locator("#results")
    expect(results).to_contain_text("specific contacts")
    expect(results.locator("mark").first).to_be_visible()  # "Zajárova" marked in her aliases
    expect(page).to_have_url(f"{live_server.url}/search/?q=Zaj%C3%A1rova")
    assert still_same_page(page)

    # Picking a kind keeps the query; typing on keeps the kind.
    page.get_by_role("link", name=re.compile(r"^Statements")).click()
    expect(page).to_have_url(re.compile(r"kind=statements"))
    page.locator("#q").fill("Захарова")
    expect(page).to_have_url(re.compile(r"q=%D0%97.*kind=statements"))
    expect(results).to_contain_text("specific contacts")
    assert still_same_page(page)
    assert console_errors == []


def test_search_without_javascript(browser, live_server, record):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/search/")
    page.locator("#q").fill("zakharova specific contacts")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator("#results")).to_contain_text("specific contacts")
    context.close()


def test_who_said_what_filters_in_place(page, live_server, console_errors, record):
    page.goto(f"{live_server.url}/who-said-what/")
    mark_page(page)
    page.select_option("#id_treaty", "new-start")
    expect(page).to_have_url(f"{live_server.url}/who-said-what/?treaty=new-start")
    sides = page.locator(".side__name")
    expect(sides).to_have_count(2)
    expect(sides.first).to_contain_text("Russia")
    expect(sides.last).to_contain_text("United States")
    expect(page.locator("#results")).not_to_contain_text(DEAD)
    assert still_same_page(page)
    assert console_errors == []


@pytest.mark.parametrize(
    "path",
    ["/timeline/", "/timeline/?from=2022-13-45", "/who-said-what/", "/search/?q=Zakharova"],
)
def test_no_javascript_errors_or_csp_violations(page, live_server, console_errors, record, path):
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_count(1)
    # Chromium reports the bad-input page's own 400 status; nothing else may appear.
    assert [e for e in console_errors if "status of 400" not in e] == []
