"""Every link on the public site leads somewhere: a crawl from the home page over the seed data
and a few made records (an actor who is only mentioned, a draft, a topic) finds no 4xx or 5xx.
"""

import datetime
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import make_actor, make_event, make_statement
from treaties.models import Status, Topic

pytestmark = pytest.mark.django_db

# Not pages of the public site: the editors' interface, and files served by WhiteNoise.
SKIPPED = ("/admin/", "/static/", "/media/")
MAX_PAGES = 3000  # a link loop would otherwise run forever; the seeded site has far fewer


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.found.append(attrs["href"])
        if attrs.get("hx-get"):
            self.found.append(attrs["hx-get"])


def internal_links(html: str, page: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    links = []
    for href in parser.found:
        href = urldefrag(href).url
        if not href:
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.netloc not in ("testserver", ""):
                continue  # another site
            href = parts.path + (f"?{parts.query}" if parts.query else "")
        elif href.startswith("?"):
            href = urlsplit(page).path + href
        elif not href.startswith("/"):
            continue  # mailto:, relative paths (none on this site)
        if not href.startswith(SKIPPED):
            links.append(href)
    return links


def crawl(client, start: str) -> tuple[dict[str, int], dict[str, str]]:
    """Status of every internal link reachable from start, and where each was first found."""
    seen, found_on = {start: 0}, {start: ""}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        seen[url] = response.status_code
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in internal_links(response.content.decode(), url):
            if link not in seen:
                seen[link] = 0
                found_on[link] = url
                queue.append(link)
    return seen, found_on


@pytest.fixture
def site():
    call_command("load_seed_data", verbosity=0)
    mentioned_only = make_actor("Sergei Shoigu", slug="sergei-shoigu", country="RU")
    quiet = make_actor("A body with nothing said", slug="quiet-body")
    topic = Topic.objects.get_or_create(slug="crawl-topic", defaults={"name": "Crawl topic"})[0]
    statement = make_statement(date=datetime.date(2024, 5, 6))
    statement.mentions.add(mentioned_only, quiet)
    statement.topics.add(topic)
    make_statement(text="Not published yet.", status=Status.DRAFT)
    make_event(actors=[mentioned_only], title="An exercise", slug="an-exercise")


def test_no_link_on_the_site_answers_4xx_or_5xx(client, site):
    statuses, found_on = crawl(client, reverse("treaties:home"))
    broken = {url: (status, found_on[url]) for url, status in statuses.items() if status >= 400}
    assert len(statuses) < MAX_PAGES
    assert not broken, broken
    # It went everywhere: every kind of page was reached.
    for prefix in ("/treaties/", "/actors/", "/sources/", "/topics/", "/events/", "/q/"):
        assert any(url.startswith(prefix) and url != prefix for url in statuses), prefix
    assert "/actors/quiet-body/" in statuses


def test_an_actor_only_mentioned_has_no_dead_timeline_link(client, site):
    html = client.get(reverse("treaties:actor_detail", args=["quiet-body"])).content.decode()
    assert "/timeline/?actor=quiet-body" not in html
    html = client.get(reverse("treaties:actor_detail", args=["sergei-shoigu"])).content.decode()
    assert client.get("/timeline/?actor=sergei-shoigu").status_code == 200  # has an event
    assert "/timeline/?actor=sergei-shoigu" in html
