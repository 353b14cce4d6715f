"""The one-record pages: home, treaty, actor, statement permalink, event, and the error pages."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import (
    make_actor,
    make_event,
    make_role,
    make_source,
    make_statement,
    make_treaty,
)
from treaties import permalink
from treaties.dates import DatePrecision
from treaties.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Event,
    EventKind,
    Setting,
    Source,
    StatementKind,
    Status,
    Treaty,
    TreatyLimit,
    TreatyParty,
    TreatyStatus,
)
from treaties.permalink import read_permalink
from treaties.views.pages import CONTEXT_SHOWN

pytestmark = pytest.mark.django_db

ZAKHAROVA_QUOTE = "We maintain specific contacts, and the American side knows our position on this."


def build_record():
    """A small record shaped like the seed article's: New START, INF, Zakharova, Ryabkov."""
    russia = make_actor("Russia", kind=ActorKind.STATE, slug="russia", country="RU")
    usa = make_actor("United States", kind=ActorKind.STATE, slug="united-states", country="US")
    ministry = make_actor(
        "Russian Ministry of Foreign Affairs", kind=ActorKind.GOVERNMENT_BODY, slug="mfa-russia"
    )
    outlet = make_actor("El País", kind=ActorKind.MEDIA, slug="el-pais")
    zakharova = make_actor("Maria Zakharova", slug="maria-zakharova", country="RU")
    ActorAlias.objects.create(actor=zakharova, name="Zajárova", language="es", note="Spanish")
    ActorAlias.objects.create(actor=zakharova, name="Мария Захарова", language="ru")
    make_role(
        zakharova,
        title="Director of the Information and Press Department",
        organisation=ministry,
        start=datetime.date(2015, 8, 10),
    )
    ryabkov = make_actor("Sergei Ryabkov", slug="sergei-ryabkov", country="RU")
    make_role(ryabkov, title="Deputy Foreign Minister", organisation=ministry)

    new_start = make_treaty(
        "New START",
        slug="new-start",
        name="Treaty on Measures for the Further Reduction and Limitation of Strategic "
        "Offensive Arms",
        status=TreatyStatus.EXPIRED,
        status_note="Russia suspended its participation in February 2023.",
        summary="The last treaty limiting the strategic arsenals of Russia and the United States.",
        signed_on=datetime.date(2010, 4, 8),
        signed_at="Prague",
        in_force_on=datetime.date(2011, 2, 5),
        suspended_on=datetime.date(2023, 2, 21),
        ended_on=datetime.date(2026, 2, 5),
    )
    TreatyParty.objects.create(treaty=new_start, state=russia)
    TreatyParty.objects.create(treaty=new_start, state=usa)
    for position, (subject, number) in enumerate(
        [
            ("deployed strategic warheads", 1550),
            ("deployed launchers", 700),
            ("deployed and non-deployed launchers", 800),
        ]
    ):
        TreatyLimit.objects.create(
            treaty=new_start, subject=subject, number=number, position=position
        )
    inf = make_treaty(
        "INF Treaty",
        slug="inf",
        status=TreatyStatus.WITHDRAWN,
        signed_on=datetime.date(1987, 12, 8),
        in_force_on=datetime.date(1988, 6, 1),
        ended_on=datetime.date(2019, 8, 2),
    )
    TreatyParty.objects.create(treaty=inf, state=usa, withdrew_on=datetime.date(2019, 8, 2))

    article = make_source(
        "Russia says it keeps contacts with the US",
        outlet=outlet,
        author="María R. Sahuquillo",
        published_on=datetime.date(2022, 11, 9),
        archive_url="https://web.archive.org/web/2022/https://example.org/article",
    )
    other_source = make_source("Kommersant report", published_on=datetime.date(2022, 11, 28))
    zakharova_quote = make_statement(
        speaker=zakharova,
        source=article,
        treaties=[new_start],
        text=ZAKHAROVA_QUOTE,
        original_text="Мы поддерживаем конкретные контакты.",
        original_language="ru",
        date=datetime.date(2022, 11, 8),
        setting=Setting.PRESS_CONFERENCE,
        setting_detail="special press conference",
        editor_note="The article calls the press conference weekly; it was a special one.",
    )
    zakharova_quote.mentions.set([usa])
    ryabkov_quote = make_statement(
        speaker=ryabkov,
        source=article,
        treaties=[new_start],
        text="It would be an absolute provocation.",
        date=datetime.date(2022, 10, 1),
        date_precision=DatePrecision.MID_MONTH,
        kind=StatementKind.PARAPHRASE,
    )
    far_away = make_statement(
        speaker=zakharova,
        source=other_source,
        text="An earlier remark far from the others.",
        date=datetime.date(2021, 1, 20),
    )
    draft = make_statement(
        speaker=zakharova, source=article, text="Not yet checked.", status=Status.DRAFT
    )
    meeting = make_event(
        title="New START commission meeting postponed",
        slug="bcc-postponed",
        kind=EventKind.MEETING,
        date=datetime.date(2022, 11, 28),
        source=other_source,
        treaties=[new_start],
        actors=[russia, usa],
        description="Kommersant reported the meeting in Cairo would not take place.",
        location="Cairo",
    )
    signing = make_event(
        title="New START signed",
        slug="new-start-signed",
        kind=EventKind.SIGNING,
        date=datetime.date(2010, 4, 8),
        source=other_source,
        treaties=[new_start],
        actors=[russia, usa],
    )
    draft_event = make_event(title="Unconfirmed talks", slug="unconfirmed", status=Status.DRAFT)
    return {
        "zakharova": zakharova,
        "ryabkov": ryabkov,
        "usa": usa,
        "new_start": new_start,
        "inf": inf,
        "article": article,
        "quote": zakharova_quote,
        "ryabkov_quote": ryabkov_quote,
        "far_away": far_away,
        "draft": draft,
        "meeting": meeting,
        "signing": signing,
        "draft_event": draft_event,
    }


@pytest.fixture
def record(db):
    return build_record()


class _Meta(HTMLParser):
    """Collects <meta>, <link rel=canonical>, <h1> counts and JSON-LD blocks from a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.canonical, self.h1, self.json_ld = {}, [], 0, []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "h1":
            self.h1 += 1
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def parse(response):
    parser = _Meta()
    parser.feed(response.content.decode())
    return parser


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


# Home ------------------------------------------------------------------------------------------


def test_home_counts_are_exact_while_small_and_estimates_beyond(client, record, monkeypatch):
    from treaties import models

    holdings = client.get(reverse("treaties:home")).context["holdings"]
    assert holdings["events"] == (Event.objects.published().count(), True)
    assert holdings["sources"] == (Source.objects.count(), True)

    monkeypatch.setattr(models, "EXACT_COUNT_UP_TO", 1)
    make_source()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE treaties_source")
    response = client.get(reverse("treaties:home"))
    assert response.context["holdings"]["sources"] == (Source.objects.count(), False)
    assert f"about {Source.objects.count()}" in text_of(response)


def test_home_shows_holdings_treaties_chart_and_latest_statements(client, record):
    response = client.get(reverse("treaties:home"))
    assert response.status_code == 200
    page = text_of(response)
    assert "<title>Treaties, statements and events in arms control · Arms Control Record" in page
    assert "New START" in page and "INF Treaty" in page
    assert "<svg" in page and 'role="group"' in page and 'role="list"' in page
    # Two drawings (wide, and narrow for phones), each with both treaties in force for a time.
    assert page.count('class="lifespans__bar lifespans__bar--in_force"') == 4
    assert "lifespans__bar--suspended" in page
    assert ZAKHAROVA_QUOTE in page
    assert "Not yet checked." not in page  # drafts stay out
    assert response.context["holdings"]["statements"] == 3
    assert 'name="q"' in page and 'for="home-search-q"' in page
    assert parse(response).h1 == 1
    # No inline styles anywhere: the CSP forbids them.
    assert "style=" not in page


def test_home_chart_is_kept_rendered_and_redrawn_after_an_edit(client, record):
    """The SVG comes from the cache while nothing it shows has changed; a change to a treaty's
    status (here through update(), which no signal sees) draws it again."""

    def chart_drawn(response):
        names = [template.name for template in response.templates]
        return "treaties/includes/lifespans_chart.html" in names

    cache.clear()
    first = client.get(reverse("treaties:home"))
    again = client.get(reverse("treaties:home"))
    assert chart_drawn(first) and not chart_drawn(again)
    assert text_of(again).count('lifespans__end--expired"') == 2  # New START, wide and narrow

    Treaty.objects.filter(pk=record["inf"].pk).update(status=TreatyStatus.EXPIRED)
    edited = client.get(reverse("treaties:home"))
    assert chart_drawn(edited)
    page = text_of(edited)
    assert 'aria-label="INF Treaty, expired' in page
    assert page.count('lifespans__end--expired"') == 4


def test_home_with_an_empty_database(client):
    response = client.get(reverse("treaties:home"))
    assert response.status_code == 200
    assert "No treaties have been entered yet." in text_of(response)
    assert response.context["chart"] is None


def test_base_layout_carries_htmx_config_and_canonical_and_no_cookie(client, record):
    response = client.get(reverse("treaties:home"))
    page = parse(response)
    config = json.loads(page.meta["htmx-config"])
    assert config == {
        "allowEval": False,
        "includeIndicatorStyles": False,
        "historyRestoreAsHxRequest": False,
        "attributesToSettle": ["class", "width", "height"],
    }
    assert page.canonical == ["http://testserver/"]
    html = response.content.decode()
    # An anonymous page sets no cookie, so a shared cache may keep it: no CSRF token.
    assert "X-CSRFToken" not in html
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert 'href="#main"' in html and '<main id="main"' in html
    # Scripts are our own files: no per-response nonce, so the page is the same bytes for
    # every reader (ETag, 304, shared caches) and the policy still allows no inline script.
    assert re.search(r'<script src="[^"]*htmx[^"]*" defer>', html)
    assert "nonce" not in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert client.get(reverse("treaties:home")).content == response.content


# Treaty ----------------------------------------------------------------------------------------


def test_treaty_page_facts_timeline_speakers_and_sources(client, record):
    response = client.get(record["new_start"].get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    assert "<title>New START · Arms Control Record</title>" in page
    assert "1,550" in page and "deployed strategic warheads" in page
    assert "Prague" in page and "8 April 2010" in page and "5 February 2011" in page
    assert "Russia suspended its participation in February 2023." in page
    assert "status--expired" in page and ">Expired<" in page
    assert "Maria Zakharova" in page and "Sergei Ryabkov" in page
    assert "New START commission meeting postponed" in page
    assert "Russia says it keeps contacts with the US" in page  # sources used
    assert "Kommersant report" in page
    assert "Not yet checked." not in page
    assert parse(response).h1 == 1


def test_treaty_page_lists_parties_with_withdrawal_dates(client, record):
    page = text_of(client.get(record["inf"].get_absolute_url()))
    assert "United States" in page
    assert "withdrew, effective" in page and "2 August 2019" in page


def test_treaty_timeline_order_newest_or_oldest(client, record):
    url = record["new_start"].get_absolute_url()
    newest = text_of(client.get(url))
    assert newest.index("commission meeting postponed") < newest.index("New START signed")
    oldest = text_of(client.get(url, {"order": "oldest"}))
    assert oldest.index("New START signed") < oldest.index("commission meeting postponed")
    assert "Show newest first" in oldest


def test_treaty_page_shows_the_latest_entries_and_links_to_the_rest(client, record, monkeypatch):
    monkeypatch.setattr("treaties.views.pages.TREATY_TIMELINE_SHOWN", 2)
    monkeypatch.setattr("treaties.views.pages.TREATY_SPEAKERS_SHOWN", 1)
    page = text_of(client.get(record["new_start"].get_absolute_url()))
    assert "The 2 latest of" in page
    assert "The 1 most frequent of 2 speakers" in page
    assert "commission meeting postponed" in page and "New START signed" not in page


def test_treaty_timeline_bad_order_is_a_message(client, record):
    response = client.get(record["new_start"].get_absolute_url(), {"order": "sideways"})
    assert response.status_code == 200
    assert "The order can be “newest” or “oldest”" in text_of(response)


def test_treaty_timeline_htmx_fragment(client, record):
    response = client.get(
        record["new_start"].get_absolute_url(), {"order": "oldest"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<section id="treaty-timeline"')
    assert "HX-Request" in response.headers["Vary"]


def test_treaty_history_restore_gets_the_full_page(client, record):
    response = client.get(
        record["new_start"].get_absolute_url(),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_unknown_treaty_is_404(client, record):
    assert client.get(reverse("treaties:treaty_detail", args=["no-such-treaty"])).status_code == 404


# Actor -----------------------------------------------------------------------------------------


def test_actor_page_roles_aliases_statements_and_mentions(client, record):
    response = client.get(record["zakharova"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    assert "<title>Maria Zakharova · Arms Control Record</title>" in page
    assert "Director of the Information and Press Department" in page
    assert "since 10 August 2015" in page
    assert '<span class="alias" lang="ru">Мария Захарова</span> <span class="meta">Russian' in html
    assert '<span class="alias" lang="es">Zajárova</span>' in html
    assert ZAKHAROVA_QUOTE in page and "An earlier remark" in page
    assert "Not yet checked." not in page
    assert parse(response).h1 == 1


def test_a_sources_language_is_named_where_it_is_listed(client, record):
    article = record["article"]
    Source.objects.filter(pk=article.pk).update(language="es")
    source_page = client.get(article.get_absolute_url()).content.decode()
    assert "<dt>Language</dt><dd>Spanish</dd>" in source_page
    assert " · in Spanish" in text_of(client.get(record["new_start"].get_absolute_url()))


def test_actor_page_mentions(client, record):
    page = text_of(client.get(record["usa"].get_absolute_url()))
    assert ZAKHAROVA_QUOTE in page  # she mentions the United States
    assert "New START commission meeting postponed" in page  # an event involving it
    assert "Party to" in page and "withdrew, effective 2 August 2019" in page
    # The editors' form offers only states as parties, but a merge or a change of kind can
    # leave another kind with them: it still shows them.
    Actor.objects.filter(pk=record["usa"].pk).update(kind=ActorKind.PERSON)
    assert "Party to" in text_of(client.get(record["usa"].get_absolute_url()))


def test_actor_statements_filter_by_treaty_and_year(client, record):
    url = record["zakharova"].get_absolute_url()
    by_treaty = text_of(client.get(url, {"treaty": "new-start"}))
    assert ZAKHAROVA_QUOTE in by_treaty and "An earlier remark" not in by_treaty
    assert "1 of 2 statements about New START" in by_treaty
    by_year = client.get(url, {"year": "2021"}).content.decode()
    assert "An earlier remark" in by_year and ZAKHAROVA_QUOTE not in by_year
    # The filters' selects (QuickSelect) mark the choice made.
    assert '<option value="2021" selected>2021</option>' in by_year
    assert '<option value="" selected>All treaties</option>' in by_year


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"treaty": "nonexistent"}, "None of these statements concerns a treaty called"),
        ({"treaty": "x" * 5000}, "None of these statements concerns a treaty called"),
        ({"year": "abc"}, "There is no statement from the year “abc”"),
        ({"year": "1999"}, "There is no statement from the year “1999”"),
        ({"after": "abc"}, "That link to a later page is broken; showing the first entries."),
        ({"after": "2022-02-31~s1"}, "That link to a later page is broken"),
    ],
)
def test_actor_bad_filters_answer_with_the_page_and_a_message(client, record, params, message):
    response = client.get(record["zakharova"].get_absolute_url(), params)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert ZAKHAROVA_QUOTE in page  # the bad filter is dropped, the rest still shows


def test_actor_bad_treaty_keeps_a_good_year(client, record):
    page = text_of(
        client.get(record["zakharova"].get_absolute_url(), {"treaty": "nope", "year": "2021"})
    )
    assert "An earlier remark" in page and ZAKHAROVA_QUOTE not in page


def test_actor_statements_paginate_with_real_links(client, record):
    zakharova = record["zakharova"]
    for day in range(1, 23):
        make_statement(speaker=zakharova, text=f"Remark {day}.", date=datetime.date(2020, 3, day))
    url = zakharova.get_absolute_url()
    first = client.get(url, {"year": "2020"})
    html = first.content.decode()
    last_shown = first.context["statements"][-1]
    assert last_shown.text == "Remark 3."
    assert f'href="?year=2020&amp;after=2020-03-03~s{last_shown.pk}"' in html
    second = text_of(client.get(url, {"year": "2020", "after": f"2020-03-03~s{last_shown.pk}"}))
    assert "Remark 2." in second and "Remark 22." not in second
    assert "Back to the latest" in second and "Earlier statements" not in second


def test_signed_in_editors_get_the_csrf_header(client, record, editor):
    client.force_login(editor)
    assert "X-CSRFToken" in client.get(reverse("treaties:home")).content.decode()


def test_actor_filter_htmx_fragment(client, record):
    response = client.get(
        record["zakharova"].get_absolute_url(), {"year": "2021"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="actor-statements"')
    assert "An earlier remark" in html
    assert "HX-Request" in response.headers["Vary"]


def test_actor_history_restore_gets_the_full_page(client, record):
    response = client.get(
        record["zakharova"].get_absolute_url(),
        {"year": "2021"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_unknown_actor_is_404(client, record):
    assert client.get(reverse("treaties:actor_detail", args=["nobody"])).status_code == 404


# Statement permalink ---------------------------------------------------------------------------


def test_statement_permalink_page(client, record):
    quote = record["quote"]
    response = client.get(quote.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    assert ZAKHAROVA_QUOTE in page
    assert '<blockquote class="quote quote--original" lang="ru">' in html
    assert "Original words, in Russian" in page
    assert "Director of the Information and Press Department" in page  # role on the day
    assert '<time datetime="2022-11-08">8 November 2022</time>' in html
    assert "Special press conference" in page
    assert "https://web.archive.org/web/2022/https://example.org/article" in html
    assert "The article calls the press conference weekly" in page  # editor's note
    assert 'href="/treaties/new-start/"' in html
    assert parse(response).h1 == 1
    assert 'src="/static/js/cite.js" defer' in html
    assert "onclick" not in html


def test_statement_meta_tags_and_json_ld(client, record):
    quote = record["quote"]
    response = client.get(quote.get_absolute_url())
    page = parse(response)
    canonical = f"http://testserver{quote.get_absolute_url()}"
    assert page.canonical == [canonical]
    assert page.meta["og:url"] == canonical
    assert page.meta["og:type"] == "article"
    assert page.meta["og:description"] == ZAKHAROVA_QUOTE
    assert page.meta["og:title"] == "Maria Zakharova, 8 November 2022"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert len(page.json_ld) == 1
    data = json.loads(page.json_ld[0])
    assert data["@type"] == "Quotation"
    assert data["text"] == ZAKHAROVA_QUOTE
    assert data["spokenByCharacter"] == {"@type": "Person", "name": "Maria Zakharova"}
    assert data["dateCreated"] == "2022-11-08"
    assert data["url"] == canonical
    assert data["citation"]["publisher"]["name"] == "El País"
    assert data["about"][0]["alternateName"] == "New START"
    assert '<script type="application/ld+json">' in response.content.decode()


def test_json_ld_cannot_be_broken_out_of(client, record):
    quote = make_statement(
        speaker=record["zakharova"], text="</script><script>alert(1)</script> & more"
    )
    response = client.get(quote.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    data = json.loads(parse(response).json_ld[0])
    assert data["text"] == "</script><script>alert(1)</script> & more"


def test_statement_precision_is_never_a_made_up_day(client, record):
    response = client.get(record["ryabkov_quote"].get_absolute_url())
    html = response.content.decode()
    assert '<time datetime="2022-10">mid-October 2022</time>' in html
    assert "1 October" not in html
    assert "Paraphrase" in html
    assert "“It would be an absolute provocation" not in html  # no quotation marks
    assert "quote--paraphrase" in html


def test_statement_cite_this_block(client, record, settings):
    quote = record["quote"]
    page = text_of(client.get(quote.get_absolute_url()))
    canonical = f"http://testserver{quote.get_absolute_url()}"
    assert (
        f"Maria Zakharova, “{ZAKHAROVA_QUOTE.rstrip('.')},” "
        "Russia Says It Keeps Contacts with the US (special press conference, November 8, 2022), "
        f"Arms Control Record, {canonical}."
    ) in page
    assert 'data-copy-target="citation"' in page


def test_a_permalink_id_too_large_for_the_database_is_not_found(client, db):
    # The URL takes any number of digits; PostgreSQL's bigint does not.
    assert client.get("/q/99999999999999999999999/").status_code == 404
    assert client.get("/q/9223372036854775808/a-slug/").status_code == 404


def test_the_permalink_query_is_prepared_once_a_connection(client, db):
    url = make_statement().get_absolute_url()
    client.get(url)
    with connection.cursor() as cursor:  # as on a connection that has not asked for it yet
        cursor.execute("DEALLOCATE permalink")
    permalink.QUERY.prepared_on.discard(connection.connection)
    for expected in (["PREPARE", "EXECUTE"], ["EXECUTE"]):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        asked = [re.search(r"^(\w+) permalink", query["sql"], re.M) for query in queries]
        assert [found and found[1] for found in asked] == expected


@pytest.mark.django_db(transaction=True)
def test_a_permalink_query_prepared_before_a_change_is_prepared_again(client):
    """Dropped from the session (DISCARD ALL), or prepared before a migration changed a
    column it reads: made again, once, rather than failing until the connection closes."""
    url = make_statement().get_absolute_url()
    assert client.get(url).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE permalink")
    assert client.get(url).status_code == 200
    alter = "ALTER TABLE treaties_statement ALTER COLUMN source_locator TYPE varchar({})"
    with connection.cursor() as cursor:
        cursor.execute(alter.format(201))
    try:
        assert client.get(url).status_code == 200
    finally:
        with connection.cursor() as cursor:
            cursor.execute(alter.format(200))
    assert client.get(url).status_code == 200


def in_context_of(client, statement, **headers):
    return client.get(f"{statement.get_absolute_url()}?context=all", headers=headers)


def test_statement_in_context_and_neighbours(client, record):
    response = in_context_of(client, record["quote"])
    same_days = [item for _, item in response.context["in_context"]["same_days"]]
    same_source = [item for _, item in response.context["in_context"]["same_source"]]
    # Ryabkov in October is only from the same source; a 2021 remark from elsewhere is out.
    assert same_source == [record["ryabkov_quote"]]
    assert same_days == []
    assert record["far_away"] not in same_source
    assert "Also from this source" in text_of(response)
    assert response.context["previous"] == record["far_away"]
    assert response.context["next"] is None


def test_event_in_the_same_days_is_in_context(client, record):
    nearby = make_event(title="Talks nearby", slug="talks-nearby", date=datetime.date(2022, 11, 10))
    later = make_event(title="Talks later", slug="talks-later", date=datetime.date(2022, 11, 12))
    response = in_context_of(client, record["quote"])
    same_days = [item for _, item in response.context["in_context"]["same_days"]]
    assert nearby in same_days and later not in same_days


def test_in_context_puts_the_same_days_first_and_keeps_the_nearest(client, record):
    for day in range(1, 13):
        make_statement(
            speaker=record["ryabkov"], source=record["article"], date=datetime.date(2020, 1, day)
        )
    nearby = make_statement(speaker=record["ryabkov"], date=datetime.date(2022, 11, 10))
    context = in_context_of(client, record["quote"]).context["in_context"]
    assert [item for _, item in context["same_days"]] == [nearby]
    from_source = [item for kind, item in context["same_source"] if kind == "statement"]
    assert len(from_source) == CONTEXT_SHOWN - 1  # the same-days one took a place
    # The nearest in date are chosen (October 2022 before January 2020), shown oldest first.
    assert record["ryabkov_quote"] in from_source
    assert from_source == sorted(from_source, key=lambda statement: statement.date)
    assert record["draft"] not in from_source


def test_in_context_is_loaded_when_shown(client, record):
    """The permalink itself leaves the lists out: htmx fetches them when the section comes
    into view, and without JavaScript a link opens the page with them."""
    quote = record["quote"]
    response = client.get(quote.get_absolute_url())
    page = text_of(response)
    url = f"{quote.get_absolute_url()}?context=all"
    assert response.context["in_context"] is None
    assert re.search(
        rf'<section class="in-context" id="in-context" [^>]*hx-get="{re.escape(url)}" '
        'hx-trigger="revealed" hx-swap="outerHTML">',
        page,
    )
    assert f'<a href="{url}#in-context" rel="nofollow">' in page
    assert "Also from this source" not in text_of(response)

    fragment = in_context_of(client, quote, HX_Request="true")
    assert fragment.content.decode().lstrip().startswith('<section class="in-context"')
    assert "hx-get" not in fragment.content.decode()
    assert "Also from this source" in text_of(fragment)
    assert "HX-Request" in fragment["Vary"]
    whole = in_context_of(client, quote)
    assert "<html" in whole.content.decode() and "Also from this source" in text_of(whole)
    assert "HX-Request" in whole["Vary"]


def test_an_old_slug_keeps_the_request_for_the_lists_in_context(client, record):
    quote = record["quote"]
    response = client.get(f"/q/{quote.pk}/an-old-slug/?context=all", headers={"HX-Request": "true"})
    assert response.status_code == 301
    assert response["Location"] == f"{quote.get_absolute_url()}?context=all"


@pytest.mark.parametrize("slug", ["", "wrong-slug", "We%20maintain"])
def test_statement_wrong_or_missing_slug_is_a_301_to_canonical(client, record, slug):
    quote = record["quote"]
    url = f"/q/{quote.pk}/{slug + '/' if slug else ''}"
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == quote.get_absolute_url()


def test_statement_unknown_id_is_404(client, record):
    assert client.get("/q/999999/anything/").status_code == 404
    assert client.get("/q/999999/").status_code == 404


def test_draft_statement_is_404_for_the_public(client, record):
    assert client.get(record["draft"].get_absolute_url()).status_code == 404


def test_draft_statement_is_shown_to_editors_with_a_banner(editor_client, record):
    response = editor_client.get(record["draft"].get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    assert 'class="draft-banner"' in page and "Only editors can see this statement" in page
    assert parse(response).meta["robots"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"


def test_published_statement_has_no_banner_or_noindex(editor_client, record):
    response = editor_client.get(record["quote"].get_absolute_url())
    assert "draft-banner" not in response.content.decode()
    assert "robots" not in parse(response).meta


# Event -------------------------------------------------------------------------------------------


def test_event_page(client, record):
    meeting = record["meeting"]
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    assert "<title>New START commission meeting postponed (28 November 2022)" in page
    assert "Cairo" in page and "Kommersant report" in page
    assert 'href="/treaties/new-start/"' in page and 'href="/actors/russia/"' in page
    context = response.context["in_context"]
    assert [item for _, item in context["same_source"]] == [record["signing"], record["far_away"]]
    assert context["same_days"] == []  # Zakharova spoke 20 days before, in another source
    assert parse(response).h1 == 1


def test_draft_event_is_404_for_the_public_and_shown_to_editors(editor_client, record):
    url = record["draft_event"].get_absolute_url()
    assert Client().get(url).status_code == 404
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Only editors can see this event" in text_of(response)


def test_unknown_event_is_404(client, record):
    assert client.get(reverse("treaties:event_detail", args=["nothing"])).status_code == 404


# Error pages -------------------------------------------------------------------------------------


def test_404_page_is_styled(client, record):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = text_of(response)
    assert "There is nothing on record at this address" in page
    assert "<title>Page not found · Arms Control Record</title>" in page
    assert "/static/css/site.css" in page


def test_500_page_needs_no_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html
    assert "/static/css/site.css" in html


def test_400_page_is_styled_and_needs_no_request_or_database(django_assert_num_queries):
    # Django renders it without a request: for a bad Host header, or an admin lookup that
    # the list does not offer (treaties/admin_lists.py).
    with django_assert_num_queries(0):
        html = loader.get_template("400.html").render()
    assert "This address asks for something the page does not offer" in html
    assert "/static/css/site.css" in html


# Query counts: the same however many rows -------------------------------------------------------


def add_rows(record, n):
    """n more statements and events about New START, by n more speakers with roles and
    aliases, mentioning Zakharova and the US, from the same source and days."""
    for i in range(n):
        speaker = make_actor(aliases=[f"Alias {i}"])
        make_role(speaker, title="Official", organisation=record["usa"])
        statement = make_statement(
            speaker=speaker,
            source=record["article"],
            treaties=[record["new_start"], record["inf"]],
            date=datetime.date(2022, 11, 7),
        )
        statement.mentions.set([record["zakharova"], record["usa"]])
        make_statement(
            speaker=record["zakharova"],
            source=record["article"],
            treaties=[record["new_start"]],
            date=datetime.date(2022, 11, 9),
        )
        make_event(
            source=record["article"],
            treaties=[record["new_start"]],
            actors=[record["zakharova"], record["usa"]],
            date=datetime.date(2022, 11, 8),
        )
        ActorAlias.objects.create(actor=record["zakharova"], name=f"Spelling {n}.{i}")


def page_urls(record):
    return {
        "home": reverse("treaties:home"),
        "treaty": record["new_start"].get_absolute_url(),
        "actor": record["zakharova"].get_absolute_url(),
        "actor_filtered": record["zakharova"].get_absolute_url() + "?treaty=new-start&year=2022",
        "state": record["usa"].get_absolute_url(),
        "statement": record["quote"].get_absolute_url(),
        "statement_with_context": record["quote"].get_absolute_url() + "?context=all",
        "event": record["meeting"].get_absolute_url(),
    }


# Pinned so that a new query on a page is a decision, not an accident.
EXPECTED_QUERIES = {
    "home": 7,  # counts from the tallies and the planner's estimates
    # Its facts in one (treaties/treaty_page.py); its timeline's start with its totals in one
    # (timeline.TREATY_START) and its records (statement cards, events); the speakers
    # (sql/speakers.sql) and their latest words; its recent sources.
    "treaty": 7,
    # Its record in one (treaties/actor_page.py), its statements' keys and cards, the
    # statements mentioning it, the events involving it.
    "actor": 5,
    "actor_filtered": 6,  # + the count of a treaty in a year: not among the actor's summary
    "state": 4,  # a state says nothing here: no statements' cards
    # Everything in one (treaties/permalink.py), + its corrections: the quote was saved again
    # after it was published. The lists in context come later.
    "statement": 2,
    "statement_with_context": 4,  # + the lists in context (statements, events)
    "event": 6,
}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_of_the_lists_in_context_is_constant(client, record, django_assert_num_queries):
    """What htmx asks for once the permalink is shown: the statement, the lists (statements
    with their speakers' roles on the day, events)."""
    in_context_of(client, record["quote"])  # the first on a connection prepares the query
    for rows in (3, 27):
        add_rows(record, rows)
        with django_assert_num_queries(3):
            in_context_of(client, record["quote"], HX_Request="true")


@pytest.mark.parametrize("name", list(EXPECTED_QUERIES))
def test_query_count_is_constant(client, record, name, django_assert_num_queries):
    add_rows(record, 3)
    url = page_urls(record)[name]
    client.get(url)  # what comes from the cache, read once a minute at most (reference.py)
    few = count_queries(client, url)
    add_rows(record, 27)
    client.get(url)
    with django_assert_num_queries(EXPECTED_QUERIES[name]):
        client.get(url)
    assert few == EXPECTED_QUERIES[name]


def test_previous_and_next_are_in_date_then_id_order(record):
    # Two statements on one day must still be ordered; a draft is never a neighbour.
    a = make_statement(speaker=record["ryabkov"], date=datetime.date(2023, 1, 1))
    make_statement(speaker=record["ryabkov"], date=datetime.date(2023, 1, 1), status=Status.DRAFT)
    b = make_statement(speaker=record["ryabkov"], date=datetime.date(2023, 1, 1))
    c = make_statement(speaker=record["ryabkov"], date=datetime.date(2023, 1, 2))
    found = read_permalink(b.pk, drafts=False)
    assert (found.previous, found.next) == (a, c)
    assert read_permalink(a.pk, drafts=False).next == b
    assert read_permalink(c.pk, drafts=False).next is None
