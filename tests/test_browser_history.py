"""Back and Forward after htmx filtering, searching and "load more": the list, the form
controls and the URL agree again (static/js/history.js, the timeline's "until")."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from treaties.models import ActorKind

from .conftest import make_actor, make_statement, make_treaty

pytestmark = pytest.mark.django_db(transaction=True)

CONTACTS = "We maintain specific contacts with the United States."
DEAD = "The INF Treaty is dead."


@pytest.fixture
def record():
    make_actor("Russia", kind=ActorKind.STATE, country="RU", slug="russia")
    zakharova = make_actor("Maria Zakharova", country="RU", slug="maria-zakharova")
    jenkins = make_actor("Bonnie Jenkins", country="US", slug="bonnie-jenkins")
    new_start = make_treaty("New START", slug="new-start")
    inf = make_treaty("INF", slug="inf", signed_on=datetime.date(1987, 12, 8))
    make_statement(zakharova, treaties=[new_start], text=CONTACTS)
    make_statement(zakharova, treaties=[inf], text=DEAD, date=datetime.date(2019, 8, 2))
    make_statement(
        jenkins, treaties=[new_start], text="Some pushback.", date=datetime.date(2022, 8, 25)
    )
    return {"zakharova": zakharova}


def test_timeline_controls_follow_back_and_forward(page, live_server, console_errors, record):
    base = f"{live_server.url}/timeline/"
    page.goto(base)
    page.select_option("#id_treaty", "inf")
    expect(page).to_have_url(f"{base}?treaty=inf")  # no empty parameters
    page.fill("#id_from", "2019-01-01")
    expect(page).to_have_url(f"{base}?treaty=inf&from=2019-01-01")
    page.select_option("#id_kind", "statements")
    expect(page).to_have_url(re.compile(r"kind=statements"))

    page.go_back()
    expect(page).to_have_url(f"{base}?treaty=inf&from=2019-01-01")
    expect(page.locator("#id_kind")).to_have_value("")
    expect(page.locator("#id_treaty")).to_have_value("inf")
    expect(page.locator("#id_from")).to_have_value("2019-01-01")
    page.go_back()
    expect(page).to_have_url(f"{base}?treaty=inf")
    expect(page.locator("#id_from")).to_have_value("")
    page.go_back()
    expect(page).to_have_url(base)
    expect(page.locator("#id_treaty")).to_have_value("")
    expect(page.locator("#results")).to_contain_text(CONTACTS)
    page.go_forward()
    expect(page.locator("#id_treaty")).to_have_value("inf")
    expect(page.locator("#results")).not_to_contain_text(CONTACTS)
    assert console_errors == []


def test_search_box_follows_back_and_forward(page, live_server, console_errors, record):
    page.goto(f"{live_server.url}/search/")
    page.fill("#q", "zakharova")
    expect(page).to_have_url(re.compile(r"\?q=zakharova$"))
    expect(page.locator("#results")).to_contain_text("Maria Zakharova")
    page.fill("#q", "pushback")
    expect(page).to_have_url(re.compile(r"\?q=pushback$"))
    page.go_back()
    expect(page.locator("#q")).to_have_value("zakharova")
    expect(page.locator("#results")).to_contain_text("Maria Zakharova")
    page.go_forward()
    expect(page.locator("#q")).to_have_value("pushback")
    assert console_errors == []


def test_who_said_what_select_follows_back(page, live_server, console_errors, record):
    page.goto(f"{live_server.url}/who-said-what/")
    page.select_option("#id_treaty", "new-start")
    expect(page).to_have_url(re.compile(r"\?treaty=new-start$"))
    page.select_option("#id_treaty", "inf")
    expect(page).to_have_url(re.compile(r"\?treaty=inf$"))
    page.go_back()
    expect(page.locator("#id_treaty")).to_have_value("new-start")
    expect(page.locator("#results")).to_contain_text("Some pushback.")
    assert console_errors == []


def test_actor_page_filter_follows_back(page, live_server, console_errors, record):
    page.goto(f"{live_server.url}{record['zakharova'].get_absolute_url()}")
    page.select_option("#id_treaty", "inf")
    expect(page).to_have_url(re.compile(r"\?treaty=inf$"))
    expect(page.locator("#actor-statements")).not_to_contain_text(CONTACTS)
    page.select_option("#id_year", "2019")
    expect(page).to_have_url(re.compile(r"\?treaty=inf&year=2019$"))
    page.go_back()
    expect(page.locator("#id_year")).to_have_value("")
    expect(page.locator("#id_treaty")).to_have_value("inf")
    page.go_back()
    expect(page.locator("#id_treaty")).to_have_value("")
    expect(page.locator("#actor-statements")).to_contain_text(CONTACTS)
    assert console_errors == []


def test_load_more_is_in_the_url_and_survives_opening_an_entry(page, live_server, console_errors):
    for day in range(1, 29):
        make_statement(text=f"Entry for day {day}.", date=datetime.date(2022, 2, day))
    page.goto(f"{live_server.url}/timeline/")
    entries = page.locator(".timeline__entry")
    expect(entries).to_have_count(25)
    page.get_by_role("link", name="Earlier entries").click()
    expect(entries).to_have_count(28)
    expect(page).to_have_url(re.compile(r"/timeline/\?until=2022-02-01~s\d+$"))

    # Open the last entry loaded, then come back: the whole list is there again.
    page.locator(".timeline__entry .permalink").last.click()
    expect(page).to_have_url(re.compile(r"/q/\d+/"))
    page.go_back()
    expect(entries).to_have_count(28)
    expect(page.locator("#results")).to_contain_text("Entry for day 1.")
    page.reload()
    expect(entries).to_have_count(28)
    # Back before "load more": the first page alone.
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/timeline/")
    expect(entries).to_have_count(25)
    assert console_errors == []
