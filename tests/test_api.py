import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate

from api import paging
from armscontrol.wsgi import application
from tests.conftest import (
    make_actor,
    make_event,
    make_role,
    make_source,
    make_statement,
    make_treaty,
)
from treaties.models import ActorKind, EventKind, Statement, StatementKind, Status, Topic

pytestmark = pytest.mark.django_db


def get(client, name, *args, **params):
    return client.get(reverse(f"api:{name}", args=args), params)


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# Statements -----------------------------------------------------------------------------------


def test_statements_are_published_only_newest_first_with_permalinks(client):
    old = make_statement(date=datetime.date(2020, 1, 1))
    new = make_statement(date=datetime.date(2023, 1, 1))
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    new.topics.add(topic)
    topic_url = f"http://testserver{topic.get_absolute_url()}"
    make_statement(status=Status.DRAFT, speaker=None, source=None)

    response = get(client, "statement_list")

    assert response.status_code == 200
    assert ids(response) == [new.pk, old.pk]
    row = response.json()["results"][0]
    assert row["permalink"] == f"http://testserver{new.get_absolute_url()}"
    assert row["speaker"]["permalink"] == f"http://testserver{new.speaker.get_absolute_url()}"
    assert row["source"]["permalink"] == f"http://testserver{new.source.get_absolute_url()}"
    assert row["topics"] == [
        {"id": topic.pk, "slug": "inspections", "name": "Inspections", "permalink": topic_url}
    ]
    assert row["date"] == "2023-01-01"
    assert response.json()["next"] is None


def test_draft_statement_detail_is_404(client):
    draft = make_statement(status=Status.DRAFT)
    published = make_statement()

    assert get(client, "statement_detail", draft.pk).status_code == 404
    response = get(client, "statement_detail", published.pk)
    assert response.status_code == 200
    assert response.json()["id"] == published.pk
    assert response.json()["text"] == published.text


def test_statement_cursor_walks_every_row_once_across_equal_dates(client):
    day = datetime.date(2022, 11, 8)
    made = [make_statement(date=day) for _ in range(5)] + [
        make_statement(date=datetime.date(2021, 5, 1)) for _ in range(2)
    ]

    seen, params = [], {"limit": 2}
    for _ in range(10):
        response = get(client, "statement_list", **params)
        assert response.status_code == 200
        seen += ids(response)
        if not response.json()["next_cursor"]:
            break
        params = {"limit": 2, "cursor": response.json()["next_cursor"]}

    expected = sorted(made, key=lambda s: (s.date, s.pk), reverse=True)
    assert seen == [s.pk for s in expected]


def test_next_link_keeps_the_filters(client):
    treaty = make_treaty(slug="new-start")
    for _ in range(3):
        make_statement(treaties=[treaty])
    make_statement()

    first = get(client, "statement_list", treaty="new-start", limit=2).json()
    second = client.get(first["next"]).json()

    assert "treaty=new-start" in first["next"]
    assert len(first["results"]) + len(second["results"]) == 3
    assert second["next"] is None


def test_statement_filters(client):
    treaty = make_treaty(slug="inf")
    speaker = make_actor(slug="zakharova")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    about = make_statement(treaties=[treaty], date=datetime.date(2022, 3, 1))
    said = make_statement(speaker=speaker, kind=StatementKind.PARAPHRASE)
    on_topic = make_statement(date=datetime.date(2019, 6, 1))
    on_topic.topics.add(topic)

    assert ids(get(client, "statement_list", treaty="inf")) == [about.pk]
    assert ids(get(client, "statement_list", speaker="zakharova")) == [said.pk]
    assert ids(get(client, "statement_list", topic="inspections")) == [on_topic.pk]
    assert ids(get(client, "statement_list", kind="paraphrase")) == [said.pk]
    window = get(client, "statement_list", **{"from": "2020-01-01", "to": "2022-06-30"})
    assert ids(window) == [about.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"treaty": "no-such-treaty"}, "treaty"),
        ({"speaker": "nobody"}, "speaker"),
        ({"topic": "nothing"}, "topic"),
        ({"from": "2022-13-45"}, "from"),
        ({"from": "2022-02-01", "to": "2021-01-01"}, "to"),
        ({"kind": "gossip"}, "kind"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"treaty": "bad slug!"}, "treaty"),
        ({"speaker": "nul\x00byte"}, "speaker"),
        ({"cursor": "bm90LWpzb24"}, "cursor"),
        ({"cursor": paging.encode(["2022-01-01", "x"])}, "cursor"),
        ({"cursor": paging.encode([5])}, "cursor"),
    ],
)
def test_bad_statement_filters_are_400_naming_the_parameter(client, params, field):
    make_statement()

    response = get(client, "statement_list", **params)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert field in [error["field"] for error in body["errors"]]


def test_statement_list_query_count(client, django_assert_num_queries):
    treaty = make_treaty(slug="new-start")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    organisation = make_actor(kind=ActorKind.GOVERNMENT_BODY)
    for _ in range(6):
        speaker = make_actor()
        make_role(speaker, organisation=organisation)
        statement = make_statement(speaker=speaker, treaties=[treaty])
        statement.topics.add(topic)
        statement.mentions.add(organisation)

    # Statements, then treaties, topics, mentions, the speakers' roles with their organisations.
    with django_assert_num_queries(5):
        response = get(client, "statement_list")
    assert len(response.json()["results"]) == 6
    # A filter by slug adds one lookup.
    with django_assert_num_queries(6):
        response = get(client, "statement_list", treaty="new-start")
    assert len(response.json()["results"]) == 6


# Events ---------------------------------------------------------------------------------------


def test_event_filters_and_drafts(client):
    treaty = make_treaty(slug="open-skies")
    actor = make_actor(slug="russia", kind=ActorKind.STATE)
    talks = make_event(treaties=[treaty], kind=EventKind.TALKS, date=datetime.date(2021, 1, 5))
    meeting = make_event(actors=[actor], date=datetime.date(2022, 1, 5))
    make_event(status=Status.DRAFT)

    assert ids(get(client, "event_list")) == [meeting.pk, talks.pk]
    assert ids(get(client, "event_list", treaty="open-skies")) == [talks.pk]
    assert ids(get(client, "event_list", actor="russia")) == [meeting.pk]
    assert ids(get(client, "event_list", kind="talks")) == [talks.pk]
    assert ids(get(client, "event_list", to="2021-12-31")) == [talks.pk]
    assert get(client, "event_list", actor="nobody").status_code == 400
    row = get(client, "event_detail", talks.pk).json()
    assert row["permalink"] == f"http://testserver{talks.get_absolute_url()}"


def test_event_list_query_count(client, django_assert_num_queries):
    treaty = make_treaty()
    for _ in range(5):
        make_event(treaties=[treaty], actors=[make_actor()])

    # Events (with their sources), then treaties, actors and other sources.
    with django_assert_num_queries(4):
        response = get(client, "event_list")
    assert len(response.json()["results"]) == 5


# Treaties, actors, sources --------------------------------------------------------------------


def test_actor_has_aliases_and_roles(client):
    ministry = make_actor("Ministry of Foreign Affairs", kind=ActorKind.GOVERNMENT_BODY)
    actor = make_actor("Maria Zakharova", aliases=["Захарова", "Zajárova"], country="RU")
    make_role(actor, organisation=ministry, start=datetime.date(2015, 8, 10))

    row = get(client, "actor_detail", actor.pk).json()

    assert {alias["name"] for alias in row["aliases"]} == {"Захарова", "Zajárova"}
    assert row["roles"][0]["organisation"]["name"] == "Ministry of Foreign Affairs"
    assert row["roles"][0]["start_date"] == "2015-08-10"
    assert ids(get(client, "actor_list", country="RU")) == [actor.pk]
    assert ids(get(client, "actor_list", kind="government_body")) == [ministry.pk]


def test_actor_list_query_count(client, django_assert_num_queries):
    ministry = make_actor(kind=ActorKind.GOVERNMENT_BODY)
    for n in range(5):
        make_role(make_actor(aliases=[f"Alias {n}"]), organisation=ministry)

    # Actors, aliases, roles with their organisations.
    with django_assert_num_queries(3):
        response = get(client, "actor_list")
    assert len(response.json()["results"]) == 6


def test_treaty_list_and_query_count(client, django_assert_num_queries):
    state = make_actor(kind=ActorKind.STATE)
    treaties = [make_treaty() for _ in range(4)]
    for treaty in treaties:
        treaty.treatyparty_set.create(state=state)

    # Treaties, limits, parties with their states.
    with django_assert_num_queries(3):
        response = get(client, "treaty_list")
    assert ids(response) == [treaty.pk for treaty in treaties]
    assert response.json()["results"][0]["parties"][0]["state"]["id"] == state.pk
    assert get(client, "treaty_list", status="nonsense").status_code == 400


def test_only_sources_behind_published_records_are_listed(client):
    public = make_statement().source
    event_source = make_event().source
    draft_only = make_source()
    make_statement(source=draft_only, status=Status.DRAFT)
    unused = make_source()

    assert ids(get(client, "source_list")) == [public.pk, event_source.pk]
    assert get(client, "source_detail", draft_only.pk).status_code == 404
    assert get(client, "source_detail", unused.pk).status_code == 404
    row = get(client, "source_detail", public.pk).json()
    assert row["permalink"] == f"http://testserver{public.get_absolute_url()}"


def test_source_list_query_count(client, django_assert_num_queries):
    outlet = make_actor(kind=ActorKind.MEDIA)
    for _ in range(5):
        make_statement(source=make_source(outlet=outlet))

    with django_assert_num_queries(1):
        response = get(client, "source_list")
    assert len(response.json()["results"]) == 5


def test_huge_ids_are_not_found(client):
    assert get(client, "statement_detail", 2**63 - 1).status_code == 404
    assert client.get("/api/statements/99999999999999999999999/").status_code in (400, 404)


# Schema and docs ------------------------------------------------------------------------------


def test_openapi_schema_validates(client):
    response = client.get(reverse("api:openapi-json"))

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/statements/", "/api/events/", "/api/actors/", "/api/treaties/"} <= set(
        schema["paths"]
    )


def test_docs_page_loads_its_scripts_from_our_static_files(client):
    response = client.get(reverse("api:openapi-view"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # The strict policy applies: scripts only from our origin (or with a nonce).
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy


# Fuzzing --------------------------------------------------------------------------------------


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    treaty = make_treaty(slug="new-start")
    speaker = make_actor(slug="zakharova", aliases=["Захарова"])
    make_role(speaker)
    statement = make_statement(speaker=speaker, treaties=[treaty])
    statement.topics.add(Topic.objects.create(name="Inspections", slug="inspections"))
    make_event(treaties=[treaty], actors=[speaker])
    make_statement(status=Status.DRAFT)
    # As Django's test client does: a request's end must not close the test's connection
    # (and with it the transaction holding the rows above).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(reverse("api:openapi-json"), application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_fuzzing_the_api_finds_no_server_error(api_schema):
    failures, calls = [], []
    for operation in api_schema.get_all_operations():
        operation = operation.ok()

        @hypothesis_settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call()
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, response.text))

        check()
    assert failures == []
    # Every operation was exercised, and some requests got through the validation.
    assert len(calls) >= 10 * len(list(api_schema.get_all_operations()))
    assert 200 in calls and 400 in calls
    assert Statement.objects.count() == 2  # the fuzzer only reads
