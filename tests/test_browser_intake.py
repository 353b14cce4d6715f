"""An editor pastes an article, accepts a proposal in place (htmx) and publishes, in Chromium
under the strict CSP."""

import pytest
from playwright.sync_api import expect

from treaties.models import Event, Statement, Status

from .conftest import make_actor, make_editor, make_source, make_treaty
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


# The measure: a second article with two statements, two events, a new actor and an
# existing source took 48 clicks over 11 page loads in the plain admin.
TWO_STATEMENT_ARTICLE = """\
Geneva Talks Resume

Russian and US delegations met in Geneva on Monday for talks on New START. \
“We are ready to discuss every element of the treaty,” Maria Zakharova said.

Inspections under the treaty were suspended in August. \
“Nobody should expect a breakthrough this year,” said Pavel Novak, an analyst.
"""


class Editor:
    """Counts what an editor does: a click, or a field entered (a click into it)."""

    def __init__(self, page):
        self.page, self.clicks, self.loads = page, 0, 0
        page.on("load", lambda _: self.count_load())

    def count_load(self):
        self.loads += 1

    def click(self, target):
        self.clicks += 1
        target.click() if not isinstance(target, str) else self.page.click(target)

    def fill(self, selector, value):
        self.clicks += 1
        self.page.fill(selector, value)


def test_a_two_statement_article_takes_a_dozen_clicks(page, live_server, console_errors):
    make_editor(password=PASSWORD)
    make_actor("Maria Zakharova", aliases=["Мария Захарова"])
    make_actor("United States", kind="state", aliases=["US"])
    make_treaty("New START", slug="new-start")
    source = make_source("Geneva talks resume", url="https://example.org/geneva-talks")

    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/treaties/source/")
    editor = Editor(page)
    editor.click("text=New from article")
    editor.fill("#id_text", TWO_STATEMENT_ARTICLE)
    editor.fill("#id_url", source.url)
    editor.fill("#id_published_on", "2022-11-08")
    editor.click("input[type=submit]")
    expect(page.locator("h1")).to_contain_text("Review: Geneva Talks Resume")
    expect(page.locator("body")).to_contain_text("Geneva talks resume")  # the existing source

    rows = page.locator("article.intake-row", has=page.get_by_role("button", name="Accept"))
    ids = rows.evaluate_all("rows => rows.map(row => row.id)")
    assert len(ids) == 5  # the new actor, two statements, two events
    for dom_id in ids:
        row = page.locator(f"#{dom_id}")
        editor.click(row.get_by_role("button", name="Accept as draft"))
        expect(row).to_contain_text("accepted as a draft")
    editor.click("input[value='Publish the accepted drafts']")
    expect(page.locator(".messagelist")).to_contain_text("Published 4 accepted row")

    statements = Statement.objects.published().filter(source=source)
    assert set(statements.values_list("speaker__name", flat=True)) == {
        "Maria Zakharova",
        "Pavel Novak",
    }
    assert Event.objects.published().filter(source=source).count() == 2
    # The message can be on the page before its "load" event has reached our counter.
    page.wait_for_load_state("load")
    for _ in range(20):
        if editor.loads >= 3:
            break
        page.wait_for_timeout(100)
    assert (editor.clicks, editor.loads) == (11, 3)
    print(f"\nTwo-statement article: {editor.clicks} clicks over {editor.loads} page loads")
    assert console_errors == []
