import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feeds import sitemaps
from feeds.feeds import FEED_LENGTH
from feeds.templatetags.sitemap_dates import day
from tests.conftest import make_actor, make_event, make_statement, make_treaty
from treaties import search as finder
from treaties.models import Statement, Status, Topic
from treaties.word_frequencies import Frequencies

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


# Feeds --------------------------------------------------------------------------------------------


def test_all_statements_feed_is_valid_atom_newest_first_without_drafts(client):
    old = make_statement(date=datetime.date(2020, 1, 1), text="Old words & <tags>")
    new = make_statement(date=datetime.date(2023, 5, 1))
    make_statement(status=Status.DRAFT, text="A draft")

    feed = parse(client.get(reverse("feeds:statements")))

    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{new.get_absolute_url()}",
        f"http://testserver{old.get_absolute_url()}",
    ]
    assert "Old words &amp; &lt;tags&gt;" in feed.entries[1].summary
    assert feed.entries[0].author == new.speaker.name
    assert feed.entries[0].published.startswith("2023-05-01")
    assert "A draft" not in str(feed)


def test_feed_is_at_most_fifty_items(client):
    speaker = make_actor()
    for _ in range(FEED_LENGTH + 3):
        make_statement(speaker=speaker, date=datetime.date(2000, 1, 1))

    feed = parse(client.get(reverse("feeds:statements")))

    assert len(feed.entries) == FEED_LENGTH
    newest = Statement.objects.order_by("-date", "-id").first()
    assert feed.entries[0].link.endswith(newest.get_absolute_url())


def test_treaty_actor_and_topic_feeds(client):
    treaty = make_treaty(short_name="New START", slug="new-start")
    speaker = make_actor("Sergey Ryabkov", slug="ryabkov")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    about = make_statement(treaties=[treaty])
    said = make_statement(speaker=speaker)
    on_topic = make_statement()
    on_topic.topics.add(topic)

    treaty_feed = parse(client.get(reverse("feeds:treaty", args=["new-start"])))
    actor_feed = parse(client.get(reverse("feeds:actor", args=["ryabkov"])))
    topic_feed = parse(client.get(reverse("feeds:topic", args=["inspections"])))

    assert [e.link for e in treaty_feed.entries] == [f"http://testserver{about.get_absolute_url()}"]
    assert treaty_feed.feed.title.startswith("Statements on New START")
    assert treaty_feed.entries[0].tags[0].term == "New START"
    assert [e.link for e in actor_feed.entries] == [f"http://testserver{said.get_absolute_url()}"]
    assert [e.link for e in topic_feed.entries] == [
        f"http://testserver{on_topic.get_absolute_url()}"
    ]
    assert client.get(reverse("feeds:treaty", args=["nothing"])).status_code == 404
    assert client.get(reverse("feeds:actor", args=["nobody"])).status_code == 404
    assert client.get(reverse("feeds:topic", args=["nothing"])).status_code == 404


def test_search_feed_matches_every_word_as_a_prefix(client):
    hit = make_statement(text="We maintain specific contacts with Washington.")
    make_statement(text="We maintain nothing of the kind.")
    make_statement(text="Specific contacts, but a draft.", status=Status.DRAFT)

    feed = parse(client.get(reverse("feeds:search"), {"q": "SPECIF contact"}))

    assert [e.link for e in feed.entries] == [f"http://testserver{hit.get_absolute_url()}"]
    assert "specif contact" in feed.feed.title


def test_search_feed_asks_the_index_for_the_words_the_statistics_do_not_know(client, monkeypatch):
    # "contact" begins a common word; "specif" begins none the statistics know: its rows are
    # read from the index and "contact" checked on them, not the other way round.
    hit = make_statement(text="We maintain specific contacts with Washington.")
    make_statement(text="Contacts only.")
    make_statement(text="Specific only.")
    common = Frequencies({"contacts": 0.2, "the": 0.9}, 0.003, 1e6)
    monkeypatch.setattr(finder, "statement_words", lambda: common)
    with CaptureQueriesContext(connection) as queries:
        feed = parse(client.get(reverse("feeds:search"), {"q": "specif contact"}))
    assert [e.link for e in feed.entries] == [f"http://testserver{hit.get_absolute_url()}"]
    (found,) = [q["sql"] for q in queries.captured_queries if "ts_match_vq" in q["sql"]]
    assert "@@ (to_tsquery('armscontrol'::regconfig, 'specif:*'))" in found


@pytest.mark.parametrize("query", ["", "   ", "&&&", "'\"():*!"])
def test_search_feed_without_words_is_404(client, query):
    make_statement()

    assert client.get(reverse("feeds:search"), {"q": query}).status_code == 404


def test_feed_query_counts(client, django_assert_num_queries):
    treaty = make_treaty(slug="inf")
    for _ in range(6):
        make_statement(treaties=[treaty])

    # Statements with their speakers, then their treaties.
    with django_assert_num_queries(2):
        parse(client.get(reverse("feeds:statements")))
    # The treaty first.
    with django_assert_num_queries(3):
        parse(client.get(reverse("feeds:treaty", args=["inf"])))


def test_pages_link_their_feeds_in_head_and_visibly(client):
    treaty = make_treaty(slug="new-start")
    actor = make_actor(slug="lavrov")
    make_statement(speaker=actor, treaties=[treaty])

    for page, feed in [
        (reverse("treaties:home"), reverse("feeds:statements")),
        (treaty.get_absolute_url(), reverse("feeds:treaty", args=["new-start"])),
        (actor.get_absolute_url(), reverse("feeds:actor", args=["lavrov"])),
    ]:
        html = client.get(page).content.decode()
        head = html.split("</head>")[0]
        assert '<link rel="alternate" type="application/atom+xml"' in head
        assert f'href="{feed}"' in head
        assert html.count(f'href="{feed}"') == 2  # and a visible link in the page


def test_lists_link_the_feed_of_what_they_show(client):
    treaty = make_treaty(slug="new-start")
    actor = make_actor(slug="lavrov")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    make_statement(speaker=actor, treaties=[treaty], text="Inspections resume.").topics.add(topic)
    timeline, who = reverse("treaties:timeline"), reverse("treaties:who_said_what")

    for page, feed in [
        (timeline, reverse("feeds:statements")),
        (f"{timeline}?treaty=new-start", reverse("feeds:treaty", args=["new-start"])),
        (f"{timeline}?actor=lavrov&treaty=new-start", reverse("feeds:actor", args=["lavrov"])),
        (f"{who}?topic=inspections", reverse("feeds:topic", args=["inspections"])),
        (topic.get_absolute_url(), reverse("feeds:topic", args=["inspections"])),
        (
            f"{reverse('treaties:search')}?q=inspections+resume",
            "/feeds/search/?q=inspections+resume",
        ),
        # A search that finds nothing yet can still be followed.
        (f"{reverse('treaties:search')}?q=moratorium", "/feeds/search/?q=moratorium"),
    ]:
        html = client.get(page).content.decode()
        head, body = html.split("</head>")
        assert '<link rel="alternate" type="application/atom+xml"' in head, page
        assert f'href="{feed}"' in head, page
        assert f'<a href="{feed}" type="application/atom+xml">' in body, page
        path, _, query = feed.partition("?")
        parse(client.get(path, dict([query.split("=")]) if query else {}))


# Sitemap and robots.txt ---------------------------------------------------------------------------


def urls_in(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_lists_each_section(client):
    make_statement()

    locations = urls_in(client.get(reverse("feeds:sitemap")))

    for section in sitemaps.SITEMAPS:
        url = reverse("feeds:sitemap_section", kwargs={"section": section})
        assert f"http://testserver{url}" in locations


def test_sitemap_sections_list_published_records_with_lastmod(client, monkeypatch):
    # Every record on the first page, whatever ids earlier tests used up (pages are id
    # ranges: the next test).
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 10**12)
    treaty = make_treaty()
    published = make_statement(treaties=[treaty])
    draft = make_statement(status=Status.DRAFT)
    event = make_event()
    make_event(status=Status.DRAFT, slug="draft-event")

    def section(name):
        return client.get(reverse("feeds:sitemap_section", kwargs={"section": name}))

    statements = section("statements")
    assert urls_in(statements) == [f"http://testserver{published.get_absolute_url()}"]
    assert draft.get_absolute_url() not in statements.content.decode()
    root = ET.fromstring(statements.content)
    assert (
        root.find(f"{SITEMAP}url/{SITEMAP}lastmod").text == published.updated_at.date().isoformat()
    )
    assert urls_in(section("events")) == [f"http://testserver{event.get_absolute_url()}"]
    assert f"http://testserver{treaty.get_absolute_url()}" in urls_in(section("treaties"))
    assert f"http://testserver{published.speaker.get_absolute_url()}" in urls_in(section("actors"))
    assert f"http://testserver{reverse('treaties:timeline')}" in urls_in(section("pages"))
    assert f"http://testserver{reverse('treaties:source_list')}" in urls_in(section("pages"))
    assert urls_in(section("sources")) == [
        f"http://testserver{source.get_absolute_url()}"
        for source in (published.source, event.source)
    ]
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    published.topics.add(topic)
    Topic.objects.create(name="Nothing yet", slug="nothing-yet")
    topics = ET.fromstring(section("topics").content)
    assert [
        (url.find(f"{SITEMAP}loc").text, getattr(url.find(f"{SITEMAP}lastmod"), "text", None))
        for url in topics.iter(f"{SITEMAP}url")
    ] == [
        (f"http://testserver{topic.get_absolute_url()}", published.date.isoformat()),
        ("http://testserver/topics/nothing-yet/", None),
    ]
    assert section("nothing").status_code == 404


def test_sitemap_pages_are_id_ranges(client, monkeypatch):
    monkeypatch.setattr(sitemaps.StatementSitemap, "limit", 2)
    made = [make_statement() for _ in range(5)]
    url = reverse("feeds:sitemap_section", kwargs={"section": "statements"})

    index = urls_in(client.get(reverse("feeds:sitemap")))
    pages = [client.get(url, {"p": p}) for p in range(1, -(-made[-1].pk // 2) + 1)]
    listed = [loc for page in pages for loc in urls_in(page)]

    assert f"http://testserver{url}?p={-(-made[-1].pk // 2)}" in index
    assert all(len(urls_in(page)) <= 2 for page in pages)
    assert listed == [f"http://testserver{s.get_absolute_url()}" for s in made]
    assert client.get(url, {"p": "999999"}).status_code == 404
    assert client.get(url, {"p": "abc"}).status_code == 404


def test_sitemap_query_counts(client, django_assert_num_queries):
    for _ in range(5):
        make_statement()

    # One highest-id probe per record section.
    with django_assert_num_queries(len(sitemaps.SITEMAPS) - 1):
        client.get(reverse("feeds:sitemap"))
    # The page's range of ids (its number checked against the highest id first).
    with django_assert_num_queries(2):
        client.get(reverse("feeds:sitemap_section", kwargs={"section": "statements"}))


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get(reverse("feeds:robots_txt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Disallow: {reverse('admin:index')}" in lines
    assert f"Sitemap: http://testserver{reverse('feeds:sitemap')}" in lines


def test_sitemap_days_are_those_of_the_sites_time_zone():
    late_evening = datetime.datetime(2022, 11, 8, 23, 30, tzinfo=datetime.UTC)
    assert day(late_evening) == "2022-11-08"
    with timezone.override("Europe/Moscow"):  # UTC+3: already the next day there
        assert day(late_evening) == "2022-11-09"
        # What |date:"Y-m-d" writes in a template (which moves a datetime to the time zone).
        same = Template('{{ at|date:"Y-m-d" }}').render(Context({"at": late_evening}))
        assert day(late_evening) == same
    assert day(datetime.date(2022, 11, 8)) == "2022-11-08"
    assert day(None) == ""
