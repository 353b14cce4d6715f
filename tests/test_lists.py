import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_actor, make_event, make_role, make_statement, make_treaty
from treaties.dates import DatePrecision
from treaties.models import ActorKind, StatementTally, Status, Topic

pytestmark = pytest.mark.django_db

TIMELINE = reverse("treaties:timeline")
WHO = reverse("treaties:who_said_what")
HTMX = {"HX-Request": "true", "HX-Target": "results"}


@pytest.fixture
def record():
    """Two treaties, speakers on both sides, statements and events across two years."""
    russia = make_actor("Russia", kind=ActorKind.STATE, country="RU", slug="russia")
    usa = make_actor("United States", kind=ActorKind.STATE, country="US", slug="united-states")
    ministry = make_actor("Russian Ministry of Foreign Affairs", kind=ActorKind.GOVERNMENT_BODY)
    zakharova = make_actor("Maria Zakharova", slug="maria-zakharova", country="RU")
    make_role(zakharova, "Spokeswoman", ministry, start=datetime.date(2015, 8, 10))
    ryabkov = make_actor("Sergey Ryabkov", slug="sergey-ryabkov", country="RU")
    jenkins = make_actor("Bonnie Jenkins", slug="bonnie-jenkins", country="US")
    new_start = make_treaty("New START", slug="new-start")
    inf = make_treaty("INF", slug="inf", signed_on=datetime.date(1987, 12, 8))
    statements = {
        "contacts": make_statement(
            speaker=zakharova,
            treaties=[new_start],
            text="We maintain specific contacts with the United States.",
            date=datetime.date(2022, 11, 8),
        ),
        "whim": make_statement(
            speaker=ryabkov,
            treaties=[new_start],
            text="A whim, an absolute provocation.",
            date=datetime.date(2022, 8, 1),
            date_precision=DatePrecision.MONTH,
        ),
        "pushback": make_statement(
            speaker=jenkins,
            treaties=[new_start],
            text="We know there is some pushback from Russia.",
            date=datetime.date(2022, 8, 25),
        ),
        "inf": make_statement(
            speaker=zakharova,
            treaties=[inf],
            text="The INF Treaty is dead.",
            date=datetime.date(2019, 8, 2),
        ),
        "draft": make_statement(
            speaker=zakharova,
            treaties=[new_start],
            text="An unpublished draft.",
            date=datetime.date(2022, 11, 9),
            status=Status.DRAFT,
        ),
    }
    events = {
        "withdrawal": make_event(
            title="United States leaves the INF Treaty",
            treaties=[inf],
            actors=[usa],
            date=datetime.date(2019, 8, 2),
        ),
        "meeting": make_event(
            title="Commission meeting considered",
            treaties=[new_start],
            actors=[russia, usa],
            date=datetime.date(2022, 11, 8),
        ),
    }
    return {
        "actors": {"zakharova": zakharova, "ryabkov": ryabkov, "jenkins": jenkins, "usa": usa},
        "treaties": {"new_start": new_start, "inf": inf},
        "statements": statements,
        "events": events,
    }


def entries(response):
    return [entry.record for entry in response.context["result"].entries]


# Timeline -------------------------------------------------------------------------------------


def test_timeline_shows_every_published_record_newest_first(client, record):
    response = client.get(TIMELINE)
    assert response.status_code == 200
    s, e = record["statements"], record["events"]
    # On the same day, the event comes before the statements.
    assert entries(response) == [
        e["meeting"],
        s["contacts"],
        s["pushback"],
        s["whim"],
        e["withdrawal"],
        s["inf"],
    ]
    html = response.content.decode()
    assert "An unpublished draft" not in html
    assert "<title>Timeline ·" in html
    assert html.count("<h1") == 1


def test_timeline_groups_by_year_and_month(client, record):
    html = client.get(TIMELINE).content.decode()
    assert '<h2 class="timeline__year">2022</h2>' in html
    assert '<h2 class="timeline__year">2019</h2>' in html
    assert html.count('<h3 class="timeline__month">November 2022</h3>') == 1
    assert html.count('<h3 class="timeline__month">August 2022</h3>') == 1
    # A month-precise date is shown as a month, never a made-up day.
    assert "August 2022</time>" in html


def test_statements_and_events_are_told_apart(client, record):
    html = client.get(TIMELINE).content.decode()
    assert "timeline__entry--statement" in html
    assert "timeline__entry--event" in html


def test_timeline_filters_by_treaty(client, record):
    response = client.get(TIMELINE, {"treaty": "inf"})
    assert set(entries(response)) == {record["statements"]["inf"], record["events"]["withdrawal"]}
    assert "<title>Timeline: INF ·" in response.content.decode()


def test_timeline_filters_by_actor_speaking_or_involved(client, record):
    response = client.get(TIMELINE, {"actor": "united-states"})
    assert set(entries(response)) == {record["events"]["withdrawal"], record["events"]["meeting"]}
    response = client.get(TIMELINE, {"actor": "maria-zakharova"})
    assert set(entries(response)) == {record["statements"]["contacts"], record["statements"]["inf"]}


def test_timeline_filters_by_kind(client, record):
    only_events = entries(client.get(TIMELINE, {"kind": "events"}))
    assert set(only_events) == set(record["events"].values())
    only_statements = entries(client.get(TIMELINE, {"kind": "statements"}))
    assert len(only_statements) == 4


def test_timeline_filters_by_date_range(client, record):
    response = client.get(TIMELINE, {"from": "2022-08-01", "to": "2022-08-31"})
    assert set(entries(response)) == {
        record["statements"]["whim"],
        record["statements"]["pushback"],
    }


def test_timeline_oldest_first(client, record):
    records = entries(client.get(TIMELINE, {"order": "oldest"}))
    assert records[0] == record["events"]["withdrawal"]
    assert records[-1] == record["statements"]["contacts"]


def test_timeline_year_only_dates_sit_under_their_year(client):
    make_statement(
        text="Sometime that year.", date=datetime.date(2021, 1, 1), date_precision="year"
    )
    make_statement(text="On New Year's Day.", date=datetime.date(2021, 1, 1))
    html = client.get(TIMELINE).content.decode()
    assert "2021, day and month not known" in html
    assert "January 2021" in html


def test_timeline_filter_form_works_without_javascript(client, record):
    html = client.get(TIMELINE).content.decode()
    assert f'action="{TIMELINE}"' in html
    assert 'method="get"' in html
    assert '<button type="submit">Apply</button>' in html
    for name in ["treaty", "actor", "kind", "from", "to"]:
        assert f'<label for="id_{name}">' in html
    assert 'hx-trigger="change, submit"' in html
    assert 'hx-push-url="true"' in html


def test_timeline_pages_with_load_more(client):
    for day in range(1, 29):
        make_statement(text=f"Day {day}.", date=datetime.date(2022, 2, day))
    first = client.get(TIMELINE)
    result = first.context["result"]
    assert len(result.entries) == 25
    # Keyset paging: the next page starts after the last entry shown.
    last = result.entries[-1].record
    assert str(result.next_cursor) == f"2022-02-04~s{last.pk}"
    html = first.content.decode()
    assert 'id="more"' in html
    assert f'href="?after=2022-02-04~s{last.pk}"' in html
    assert 'hx-target="#more"' in html
    # Loading more by htmx returns the next entries and no repeated month heading.
    cursor = {"after": str(result.next_cursor)}
    more = client.get(TIMELINE, cursor, headers={"HX-Request": "true", "HX-Target": "more"})
    fragment = more.content.decode()
    assert "<html" not in fragment
    assert "timeline__month" not in fragment
    assert fragment.count("timeline__entry--statement") == 3
    assert 'id="more"' not in fragment
    # The address now says "everything through the last entry shown" (Back, reload, share).
    assert more["HX-Push-Url"].startswith("/timeline/?until=2022-02-01~s")
    # Without JavaScript, the next page is a whole page with its headings and a way back.
    page_two = client.get(TIMELINE, cursor).content.decode()
    assert "<html" in page_two
    assert "February 2022" in page_two
    assert "Back to the latest entries" in page_two
    assert [
        entry.record.text for entry in client.get(TIMELINE, cursor).context["result"].entries
    ] == ["Day 3.", "Day 2.", "Day 1."]


def test_timeline_keyset_pages_keep_a_day_s_events_before_its_statements(client):
    day = datetime.date(2022, 3, 1)
    statements = [make_statement(text=f"S{i}.", date=day) for i in range(3)]
    events = [make_event(date=day) for _ in range(3)]
    seen = []
    params = {}
    for _ in range(6):
        result = client.get(TIMELINE, params).context["result"]
        seen += [(entry.kind, entry.record.pk) for entry in result.entries]
        if not result.has_next:
            break
        params = {"after": str(result.next_cursor)}
    # Page by page, nothing is repeated or skipped, whatever the page size.
    expected = [("event", e.pk) for e in reversed(events)] + [
        ("statement", s.pk) for s in reversed(statements)
    ]
    assert seen == expected


@pytest.mark.parametrize("order", ["", "oldest"])
def test_timeline_cursor_walks_every_entry_once(client, record, order, monkeypatch):
    monkeypatch.setattr("treaties.timeline.PER_PAGE", 2)
    everything = [
        (e.kind, e.record.pk)
        for e in client.get(TIMELINE, {"order": order}).context["result"].entries
    ]
    monkeypatch.setattr("treaties.timeline.PER_PAGE", 2)
    seen, params = [], {"order": order}
    while True:
        result = client.get(TIMELINE, params).context["result"]
        seen += [(entry.kind, entry.record.pk) for entry in result.entries]
        if not result.has_next:
            break
        params = {"order": order, "after": str(result.next_cursor)}
    assert len(seen) == len(set(seen)) == result.total
    assert seen[:2] == everything[:2]


def test_timeline_htmx_filter_returns_the_list_and_a_clean_url(client, record):
    params = {"treaty": "inf", "actor": "", "kind": "", "from": "", "to": "", "order": ""}
    response = client.get(TIMELINE, params, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    # The title comes first, for htmx to put in the tab and the history entry.
    assert html.lstrip().startswith("<title>Timeline: INF · Arms Control Record</title>")
    assert '<div id="results"' in html
    assert "The INF Treaty is dead" in html
    assert "specific contacts" not in html
    assert response["HX-Push-Url"] == f"{TIMELINE}?treaty=inf"
    assert "HX-Request" in response["Vary"]


def test_timeline_full_page_varies_on_hx_request(client, record):
    assert "HX-Request" in client.get(TIMELINE)["Vary"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"after": "abc"}, "link to a later page is broken"),
        ({"from": "2022-13-45"}, "Enter a real date"),
        ({"treaty": "nonexistent"}, "There is no treaty “nonexistent”"),
        ({"actor": "nobody"}, "There is no actor “nobody”"),
        ({"kind": "rumours"}, "not a choice"),
        ({"treaty": "x" * 5000}, "There is no treaty"),
        ({"from": "2022-12-01", "to": "2022-01-01"}, "end date is before the start date"),
        ({"after": "2022-02-30~s1"}, "link to a later page is broken"),
        ({"after": "2022-02-01~x1"}, "link to a later page is broken"),
        ({"after": "2022-02-01~s" + "9" * 30}, "link to a later page is broken"),
    ],
)
def test_timeline_bad_input_answers_400_with_a_message(client, record, params, message):
    response = client.get(TIMELINE, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<h1>Timeline</h1>" in html


def test_timeline_bad_filter_is_left_out_and_the_rest_apply(client, record):
    response = client.get(TIMELINE, {"treaty": "inf", "from": "2022-13-45"})
    assert response.status_code == 400
    assert set(entries(response)) == {record["statements"]["inf"], record["events"]["withdrawal"]}


def test_timeline_cursor_beyond_the_end_shows_an_empty_page(client, record):
    response = client.get(TIMELINE, {"after": "1900-01-01~s1"})
    assert response.status_code == 200
    assert "Nothing on the timeline matches" in response.content.decode()
    assert "Back to the latest entries" in response.content.decode()


def test_timeline_bad_input_by_htmx_still_swaps(client, record):
    response = client.get(TIMELINE, {"from": "2022-13-45"}, headers=HTMX)
    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()


def _many(n, treaty, speaker, actor):
    for i in range(n):
        make_statement(
            speaker=speaker,
            treaties=[treaty],
            text=f"Statement {i}.",
            date=datetime.date(2022, 3, 1),
        )
        make_event(treaties=[treaty], actors=[actor], date=datetime.date(2022, 3, 2))


# The statements' and the events' keys, statements (with speakers, outlets and the speakers'
# roles on the day), events, and the statement and event totals. The form's treaty and actor
# choices come from the cache (treaties/reference.py), read first.
TIMELINE_QUERIES = 6


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, TIMELINE_QUERIES),
        # Filtering by actor adds the lookup of its slug (a treaty's comes with the options).
        ({"treaty": "new-start", "actor": "maria-zakharova"}, TIMELINE_QUERIES + 1),
        # A treaty alone starts with its keys and totals in one (timeline.TREATY_START).
        ({"treaty": "new-start"}, TIMELINE_QUERIES - 3),
    ],
)
def test_timeline_query_count_is_constant(
    client, record, django_assert_num_queries, params, expected
):
    treaty, speaker = record["treaties"]["new_start"], record["actors"]["zakharova"]
    for rows in (3, 27):  # 3, then 30 of each
        _many(rows, treaty, speaker, speaker)
        client.get(TIMELINE, params)  # reads the filters' options, once a minute at most
        with django_assert_num_queries(expected):
            client.get(TIMELINE, params)


# Export ---------------------------------------------------------------------------------------


# Who said what -------------------------------------------------------------------------------


def test_who_said_what_puts_the_sides_side_by_side(client, record):
    response = client.get(WHO, {"treaty": "new-start"})
    assert response.status_code == 200
    sides = response.context["result"].sides
    assert [side.name for side in sides] == ["Russia", "United States"]
    assert [s.actor.name for s in sides[0].speakers] == ["Maria Zakharova", "Sergey Ryabkov"]
    html = response.content.decode()
    assert "A whim, an absolute provocation." in html
    assert "We know there is some pushback from Russia." in html
    assert "The INF Treaty is dead." not in html  # about another treaty
    assert "An unpublished draft." not in html
    assert "Spokeswoman, Russian Ministry of Foreign Affairs" in html
    assert "<title>Who said what about New START ·" in html
    assert html.count("<h1") == 1
    # A side's count is its speakers' whole tallies, not the statements shown.
    assert "2 statements by these 2 speakers" in html
    assert "1 statement by this speaker" in html


def test_who_said_what_groups_the_thousands_of_large_counts(client, record):
    # The tallies of a site with a million statements, written where the triggers keep them.
    zakharova, treaty = record["actors"]["zakharova"], record["treaties"]["new_start"]
    StatementTally.objects.of(speaker=zakharova, treaty=treaty).update(statements=56081)
    StatementTally.objects.of(treaty=treaty).update(statements=364006)
    html = client.get(WHO, {"treaty": "new-start"}).content.decode()
    assert "<strong>364,006</strong> statements by 3 speakers" in html
    assert "56,082 statements by these 2 speakers" in html
    assert "56,081 statements, the latest 1 shown" in html


def test_who_said_what_by_topic(client, record):
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    record["statements"]["pushback"].topics.add(topic)
    response = client.get(WHO, {"topic": "inspections"})
    sides = response.context["result"].sides
    assert [side.name for side in sides] == ["United States"]


def test_who_said_what_links_to_the_rest_of_a_speakers_statements(client, record):
    treaty, speaker = record["treaties"]["new_start"], record["actors"]["jenkins"]
    for i in range(5):
        make_statement(speaker=speaker, treaties=[treaty], text=f"More {i}.")
    html = client.get(WHO, {"treaty": "new-start"}).content.decode()
    assert "All 6 statements by Bonnie Jenkins about New START on the timeline" in html
    assert f"{TIMELINE}?treaty=new-start&amp;kind=statements&amp;actor=bonnie-jenkins" in html


def test_who_said_what_speaker_without_country(client):
    make_statement(speaker=make_actor("IAEA spokesperson"), text="Without a country.")
    sides = client.get(WHO).context["result"].sides
    assert [side.name for side in sides] == ["International and other"]


def test_who_said_what_htmx_fragment(client, record):
    response = client.get(WHO, {"treaty": "inf", "topic": ""}, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith("<title>Who said what about INF · Arms Control Record")
    assert '<div id="results"' in html
    assert "The INF Treaty is dead." in html
    assert response["HX-Push-Url"] == f"{WHO}?treaty=inf"
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"treaty": "nonexistent"}, "There is no treaty “nonexistent”"),
        ({"topic": "nope"}, "There is no topic “nope”"),
        ({"page": "abc"}, "whole number"),
    ],
)
def test_who_said_what_bad_input(client, record, params, message):
    response = client.get(WHO, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_who_said_what_page_beyond_the_end(client, record):
    response = client.get(WHO, {"page": 99999})
    assert response.status_code == 200
    assert "There is no page 99999" in response.content.decode()


def test_who_said_what_empty(client, record):
    html = client.get(WHO, {"treaty": "new-start", "topic": ""}).content.decode()
    assert "No published statements" not in html
    Topic.objects.create(name="Missiles", slug="missiles")
    html = client.get(WHO, {"topic": "missiles"}).content.decode()
    assert "No published statements match on Missiles yet." in html


# The speakers with their number and their latest statements' ids (sql/speakers.sql), the
# statements as cards (with the speakers' roles on the day), the statement count. The sides'
# names and the treaty and topic choices come from the cache (treaties/reference.py), read
# first.
WHO_QUERIES = 3


def test_who_said_what_query_count_is_constant(client, record, django_assert_num_queries):
    treaty = record["treaties"]["new_start"]
    ministry = make_actor("A ministry", kind=ActorKind.GOVERNMENT_BODY)
    for rows in (3, 27):
        for i in range(rows):
            speaker = make_actor(country="RU" if i % 2 else "US")
            make_role(speaker, "Official", ministry)
            for _ in range(2):
                make_statement(speaker=speaker, treaties=[treaty])
        client.get(WHO, {"treaty": "new-start"})
        with django_assert_num_queries(WHO_QUERIES):  # the treaty comes with the options
            client.get(WHO, {"treaty": "new-start"})


def test_the_actor_select_offers_the_most_quoted_and_the_chosen_one(client, monkeypatch):
    from treaties import reference

    monkeypatch.setattr(reference, "SPEAKERS", 3)
    quiet = make_actor(name="Quiet Speaker")
    make_statement(speaker=quiet)
    loud = [make_actor(name=f"Loud Speaker {i}") for i in range(3)]
    for speaker in loud:
        make_statement(speaker=speaker)
        make_statement(speaker=speaker)
    offered = client.get(TIMELINE).context["form"].fields["actor"].choices
    chosen = client.get(TIMELINE, {"actor": quiet.slug}).context["form"]
    assert [name for _, name in offered] == ["Anyone", *(s.name for s in loud)]
    assert (quiet.slug, "Quiet Speaker") in chosen.fields["actor"].choices
    assert chosen.cleaned_data["actor"] == quiet


def test_a_quick_select_escapes_its_options_and_marks_the_chosen_one(client):
    from treaties import filters

    odd = make_actor(name='Tricky <b>"Name"</b> & Co', slug="tricky")
    make_statement(speaker=odd)
    page = client.get(TIMELINE, {"actor": "tricky"}).content.decode()
    label = "Tricky &lt;b&gt;&quot;Name&quot;&lt;/b&gt; &amp; Co"
    assert f'<option value="tricky" selected>{label}</option>' in page
    assert '<option value="">Anyone</option>' in page
    select = filters.QuickSelect(choices=[("a", "A")]).render(
        "x", "", {"id": "id_x", "hidden": True}
    )
    assert select == '<select name="x" id="id_x" hidden>\n<option value="a">A</option>\n</select>'
