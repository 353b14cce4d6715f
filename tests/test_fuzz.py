"""Hostile requests to every public URL and query parameter: none may answer 500 or worse.

Hypothesis generates the requests: each public route (walked from the URL configuration,
so a new page is fuzzed as soon as it exists) with real or made-up slugs and ids, and up to
six query parameters, known or not, repeated or not, holding NUL bytes, broken UTF-8, 10 kB
strings, tsquery and LIKE operators, huge numbers, impossible dates and HTML payloads.

A few hundred examples run with the suite; `FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py`
runs the long version (see README).
"""

import os
import re
from urllib.parse import quote, quote_from_bytes

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treaties.models import Topic

from .conftest import make_event, make_statement, make_treaty

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
NOT_PUBLIC = ("admin/",)

# Every GET parameter a public page reads (filters.py, views/, the API and the feeds).
PARAMETERS = [
    "q", "page", "after", "treaty", "actor", "topic", "kind", "order", "from", "to", "year",
    "limit", "cursor", "format", "fmt", "speaker", "status",
]  # fmt: skip
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "!!",
    "a & | ! <-> b",
    "(((",
    "a:*",
    "x" * 10_000,
    "9" * 30,
    "-1",
    "0",
    "1e309",
    "NaN",
    "2022-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "\u202e\u200b",
    "Захарова",
    "😀" * 50,
]


def routes(patterns=None, prefix=""):
    """Every route of the URL configuration outside the admin, as strings like
    "q/<int:pk>/<str:slug>/"."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def route_values(records):
    """Values for each converter: real slugs and ids, and made-up ones."""
    return {
        "int": st.one_of(
            st.sampled_from(records["ids"]), st.integers(min_value=0, max_value=10**30)
        ).map(str),
        "slug": st.one_of(
            st.sampled_from(records["slugs"]), st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z")
        ),
        "str": st.one_of(
            st.sampled_from(["bib", "ris", "json", "csv", "-"]),
            st.text(min_size=1, max_size=40).map(lambda s: quote(s, safe="")),
        ),
        "path": st.text(min_size=1, max_size=40).map(lambda s: quote(s, safe="/")),
    }


PART = re.compile(r"<(?:(\w+):)?\w+>")


@st.composite
def paths(draw, records):
    route = draw(st.sampled_from(records["routes"]))
    if route.startswith("^"):  # a regex route (none today): its literal prefix only
        route = route.lstrip("^").split("(")[0].rstrip("$")
    values = route_values(records)
    return "/" + PART.sub(lambda m: draw(values.get(m.group(1) or "str", values["str"])), route)


def values():
    return st.one_of(
        st.sampled_from(HOSTILE).map(lambda s: quote(s, safe="")),
        st.text(max_size=60).map(lambda s: quote(s, safe="")),
        st.binary(max_size=30).map(quote_from_bytes),  # broken UTF-8 among them
        st.integers().map(str),
        st.dates().map(str),
    )


@st.composite
def query_strings(draw):
    names = st.one_of(
        st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=12).map(lambda s: quote(s))
    )
    pairs = draw(st.lists(st.tuples(names, values()), max_size=6))
    return "&".join(f"{name}={value}" for name, value in pairs)


@pytest.fixture
def records(db):
    treaty = make_treaty("New START", slug="new-start")
    statement = make_statement(treaties=[treaty])
    statement.topics.set([Topic.objects.create(name="Inspections", slug="inspections")])
    event = make_event(treaties=[treaty], actors=[statement.speaker])
    return {
        "routes": sorted(set(routes())),
        "ids": [statement.pk, event.pk],
        "slugs": [treaty.slug, statement.speaker.slug, event.slug, "inspections"],
    }


def test_the_fuzzed_routes_include_every_page(records):
    for route in ["", "q/<int:pk>/<str:slug>/", "timeline/", "search/", "events/<slug:slug>/"]:
        assert route in records["routes"]
    assert not [route for route in records["routes"] if route.startswith("admin")]


def test_no_hostile_request_gets_a_server_error(client, records):
    statuses = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,  # nothing written into the working tree
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(path=paths(records), query=query_strings(), htmx=st.booleans())
    def request_is_handled(path, query, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(f"{path}?{query}" if query else path, headers=headers)
        statuses.append(response.status_code)
        assert response.status_code < 500, (path, query, response.status_code)

    request_is_handled()
    assert len(statuses) >= EXAMPLES
    if os.environ.get("FUZZ_REPORT"):
        print({status: statuses.count(status) for status in sorted(set(statuses))})
