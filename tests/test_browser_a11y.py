"""axe-core, run in Chromium on every kind of public page: no accessibility violations.

axe-core comes from the pytest-playwright-axe package (its bundled copy is injected into the
page): nothing is fetched at run time. `make audit` runs this module alone.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pytest_playwright_axe import Axe

from tests.test_pages import build_record

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def record(transactional_db):
    return build_record()


def page_paths(record):
    return {
        "home": reverse("treaties:home"),
        "search": reverse("treaties:search") + "?q=Zakharova",
        "treaty": record["new_start"].get_absolute_url(),
        "actor": record["zakharova"].get_absolute_url(),
        "permalink": record["quote"].get_absolute_url(),
        "event": record["meeting"].get_absolute_url(),
        "timeline": reverse("treaties:timeline"),
        "timeline filtered": reverse("treaties:timeline") + "?treaty=new-start",
        "who said what": reverse("treaties:who_said_what"),
        # Django's page, with our heading and icon (templates/admin/): where editors start.
        "admin login": reverse("admin:login"),
    }


def axe_violations(page):
    """(rule, impact, elements) for each rule axe-core finds broken on the page as shown."""
    results = Axe(use_minified_file=True).run(
        page, html_report_generated=False, json_report_generated=False
    )
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]])
        for v in results["violations"]
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "name",
    [
        "home",
        "search",
        "treaty",
        "actor",
        "permalink",
        "event",
        "timeline",
        "timeline filtered",
        "who said what",
        "admin login",
    ],
)
def test_no_axe_violations(live_server, page, record, name, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + page_paths(record)[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{rule} ({impact}): {nodes}" for rule, impact, nodes in violations
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_lifespans_chart_reads_as_a_list_of_treaty_links(live_server, page, record, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("treaties:home"))
    figure = page.get_by_role("figure", name="The treaties' lives")
    chart = figure.get_by_role("group", name=re.compile(r"^The treaties' lives, \d{4} to \d{4}$"))
    expect(chart).to_have_count(1)  # the wide or the narrow drawing, whichever is shown
    expect(chart.get_by_role("list").get_by_role("listitem").get_by_role("link")).to_have_count(2)
    inf = chart.get_by_role(
        "link",
        name="INF Treaty, withdrawn 2019. Signed on 8 December 1987, not in force until "
        "1 June 1988. In force from 1 June 1988 to 2 August 2019.",
        exact=True,
    )
    # Reached from the keyboard, it opens the treaty's page.
    inf.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + record["inf"].get_absolute_url())
