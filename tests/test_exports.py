import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from exports import rows
from tests import test_lists
from tests.conftest import make_actor, make_event, make_role, make_statement, make_treaty
from treaties.models import Status, Topic

pytestmark = pytest.mark.django_db

# Two treaties, speakers on both sides, statements and events across two years.
record = test_lists.record


def url(name, fmt="csv"):
    return reverse(f"exports:{name}", kwargs={"fmt": fmt})


def content(response) -> str:
    assert response.status_code == 200
    assert response.streaming  # written as it is read, never held whole
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(content(response))))


def json_results(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(content(response))


# The timeline: also a treaty's record and an actor's statements -------------------------------


def test_timeline_csv_has_the_filtered_entries_in_timeline_order(client, record):
    response = client.get(url("timeline"), {"treaty": "new-start"})
    assert response["Content-Disposition"] == 'attachment; filename="timeline.csv"'
    assert "Set-Cookie" not in response
    found = csv_rows(response)
    # The event of 8 November comes before that day's statement, as on the timeline; the
    # draft and the INF record are left out.
    assert [(row["type"], row["title"] or row["text"]) for row in found] == [
        ("event", "Commission meeting considered"),
        ("statement", "We maintain specific contacts with the United States."),
        ("statement", "We know there is some pushback from Russia."),
        ("statement", "A whim, an absolute provocation."),
    ]
    contacts = found[1]
    assert contacts["speaker"] == "Maria Zakharova"
    assert contacts["speaker_role_on_the_day"] == (
        "Spokeswoman, Russian Ministry of Foreign Affairs"
    )
    assert contacts["treaties"] == "New START"
    assert contacts["date_as_shown"] == "8 November 2022"
    statement = record["statements"]["contacts"]
    assert contacts["permalink"] == f"http://testserver{statement.get_absolute_url()}"
    assert contacts["id"] == str(statement.pk)
    assert found[3]["date_as_shown"] == "August 2022"
    assert found[0]["actors"] == "Russia; United States"


def test_timeline_json_carries_the_api_records_and_the_filters(client, record):
    response = client.get(url("timeline", "json"), {"treaty": "new-start", "order": "oldest"})
    data = json_results(response)
    assert data["format"] == "armscontrol-list"
    assert data["list"] == "timeline"
    assert data["filters"] == {"treaty": "new-start", "order": "oldest"}
    assert data["page"] == "http://testserver/timeline/?treaty=new-start&order=oldest"
    # Oldest first; on 8 November the event still comes before the statement.
    assert [item["type"] for item in data["results"]] == [
        "statement",
        "statement",
        "event",
        "statement",
    ]
    whim = data["results"][0]
    api = client.get(reverse("api:statement_detail", args=[whim["id"]])).json()
    # The same record as the API's (which writes times to the millisecond).
    for time in ("created_at", "updated_at"):
        assert whim.pop(time)[:23] == api.pop(time)[:23]
    assert whim == {"type": "statement", **api}


def test_an_actors_statements(client, record):
    found = csv_rows(
        client.get(url("timeline"), {"actor": "maria-zakharova", "kind": "statements"})
    )
    assert [row["text"] for row in found] == [
        "We maintain specific contacts with the United States.",
        "The INF Treaty is dead.",
    ]


def test_the_whole_list_not_the_page_after_the_cursor(client, record):
    everything = csv_rows(client.get(url("timeline")))
    after = csv_rows(client.get(url("timeline"), {"after": "2022-11-08~s999999"}))
    assert after == everything
    assert len(everything) == 6  # four published statements, two events


def test_batches_walk_every_entry_once_across_equal_dates(record):
    day = datetime.date(2022, 11, 8)
    for _ in range(5):
        make_statement(date=day)
        make_event(date=day)
    everything = list(rows.timeline({}, str, size=1000))
    assert len(everything) == 16
    for size in (1, 2, 3, 7):
        walked = list(rows.timeline({}, str, size=size))
        assert [(r["type"], r["id"]) for r in walked] == [(r["type"], r["id"]) for r in everything]


def test_queries_are_bounded_per_batch(django_assert_max_num_queries):
    treaty = make_treaty(slug="inf")
    speaker = make_actor()
    make_role(speaker)
    for day in range(1, 13):
        statement = make_statement(
            speaker=speaker, treaties=[treaty], date=datetime.date(2022, 1, day)
        )
        statement.topics.add(Topic.objects.get_or_create(name="Inspections", slug="insp")[0])
        make_event(treaties=[treaty], actors=[speaker], date=datetime.date(2022, 1, day))
    # 24 entries, 4 batches of 6 (and one empty batch to learn that it is the end).
    with django_assert_max_num_queries(5 * rows.QUERIES_PER_BATCH):
        assert len(list(rows.timeline({"treaty": treaty}, str, size=6))) == 24
    with django_assert_max_num_queries(5 * rows.QUERIES_PER_BATCH):
        assert len(list(rows.who_said_what({"treaty": treaty}, str, size=3))) == 12


def test_drafts_are_never_exported(client, record):
    draft_treaty = make_treaty(slug="draft-only")
    make_statement(treaties=[draft_treaty], text="Only a draft.", status=Status.DRAFT)
    make_event(treaties=[draft_treaty], title="A draft event", status=Status.DRAFT)
    for name, query in [
        ("timeline", {}),
        ("timeline", {"treaty": "draft-only"}),
        ("who_said_what", {}),
        ("search", {"q": "draft"}),
        ("search", {"q": "unpublished"}),
    ]:
        for fmt in ("csv", "json"):
            text = content(client.get(url(name, fmt), query))
            for draft in ("Only a draft.", "A draft event", "An unpublished draft."):
                assert draft not in text, (name, query, fmt)


def test_spreadsheet_formulas_are_defused(client):
    make_statement(text='=HYPERLINK("http://evil")')
    assert csv_rows(client.get(url("timeline")))[0]["text"].startswith("'=")
    # JSON is data for programs: kept as it is.
    assert json_results(client.get(url("timeline", "json")))["results"][0]["text"][0] == "="


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("timeline", {"treaty": "no-such-treaty"}),
        ("timeline", {"from": "yesterday"}),
        ("timeline", {"from": "2022-01-01", "to": "2021-01-01"}),
        ("who_said_what", {"topic": "nothing"}),
        ("search", {"q": "…"}),
        ("search", {}),
    ],
)
def test_invalid_filters_are_400_saying_what_is_wrong(client, name, query):
    response = client.get(url(name), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("These filters are not valid:")


def test_other_formats_are_not_found(client):
    assert client.get("/export/timeline.xlsx").status_code == 404


# Who said what and search -----------------------------------------------------------------


def test_who_said_what_with_each_speakers_side(client, record):
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    record["statements"]["pushback"].topics.add(topic)
    record["statements"]["inf"].topics.add(topic)
    found = csv_rows(client.get(url("who_said_what"), {"treaty": "new-start"}))
    assert [(row["speaker"], row["side"]) for row in found] == [
        ("Maria Zakharova", "RU"),
        ("Bonnie Jenkins", "US"),
        ("Sergey Ryabkov", "RU"),
    ]
    by_topic = json_results(client.get(url("who_said_what", "json"), {"topic": "inspections"}))
    assert [item["text"] for item in by_topic["results"]] == [
        "We know there is some pushback from Russia.",
        "The INF Treaty is dead.",
    ]
    both = csv_rows(
        client.get(url("who_said_what"), {"treaty": "new-start", "topic": "inspections"})
    )
    assert [row["speaker"] for row in both] == ["Bonnie Jenkins"]


def test_search_results_are_the_statements_found_best_first(client, record):
    found = csv_rows(client.get(url("search"), {"q": "zakharova contacts"}))
    assert [row["text"] for row in found] == [
        "We maintain specific contacts with the United States."
    ]
    data = json_results(client.get(url("search", "json"), {"q": "russia"}))
    assert data["filters"] == {"q": "russia"}
    assert [item["text"] for item in data["results"]] == [
        "We know there is some pushback from Russia."
    ]


# Links on the list pages ----------------------------------------------------------------------


def test_each_list_links_its_downloads_with_its_filters(client, record):
    zakharova = record["actors"]["zakharova"]
    new_start = record["treaties"]["new_start"]
    for page, name, query in [
        (
            f"{reverse('treaties:timeline')}?treaty=inf&kind=events",
            "timeline",
            "treaty=inf&amp;kind=events",
        ),
        (zakharova.get_absolute_url(), "timeline", "actor=maria-zakharova&amp;kind=statements"),
        (
            f"{zakharova.get_absolute_url()}?treaty=new-start&year=2022",
            "timeline",
            "actor=maria-zakharova&amp;kind=statements&amp;treaty=new-start"
            "&amp;from=2022-01-01&amp;to=2022-12-31",
        ),
        (new_start.get_absolute_url(), "timeline", "treaty=new-start"),
        (f"{reverse('treaties:who_said_what')}?treaty=inf", "who_said_what", "treaty=inf"),
        (f"{reverse('treaties:search')}?q=whim", "search", "q=whim"),
    ]:
        html = client.get(page).content.decode()
        for fmt in ("csv", "json"):
            assert f'href="{url(name, fmt)}?{query}"' in html, (page, fmt)
