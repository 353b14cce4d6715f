import datetime

import pytest
from django.urls import reverse

from tests.conftest import (
    make_actor,
    make_event,
    make_role,
    make_source,
    make_statement,
    make_treaty,
)
from treaties import search as finder
from treaties.models import ActorAlias, ActorKind, Status

pytestmark = pytest.mark.django_db

QUOTE = (
    "We maintain, let’s put it that way, specific contacts with the United States on those "
    "issues that require their participation."
)
URL = reverse("treaties:search")


@pytest.fixture
def zakharova():
    ministry = make_actor("Russian Ministry of Foreign Affairs", kind=ActorKind.GOVERNMENT_BODY)
    actor = make_actor(
        "Maria Zakharova",
        slug="maria-zakharova",
        country="RU",
        aliases=["María Zajárova", "Мария Захарова", "Maria Sacharowa"],
    )
    make_role(actor, "Spokeswoman", ministry, start=datetime.date(2015, 8, 10))
    return actor


@pytest.fixture
def quote(zakharova):
    new_start = make_treaty(
        "New START", slug="new-start", name="Treaty on Strategic Offensive Arms"
    )
    source = make_source("Russia acknowledges that it maintains specific contacts")
    return make_statement(
        speaker=zakharova,
        source=source,
        treaties=[new_start],
        text=QUOTE,
        setting_detail="interview with Vladimir Solovyov on Rossiya-1",
    )


def search(client, q, **params):
    return client.get(URL, {"q": q, **params})


@pytest.mark.parametrize(
    "q",
    ["Zajárova", "Zajarova", "zajarova", "Zakharova", "Захарова", "zakharova specific contacts"],
)
def test_every_spelling_finds_zakharovas_quote(client, quote, q):
    response = search(client, q)
    assert response.status_code == 200
    statements = next(g for g in response.context["groups"] if g["key"] == "statements")
    assert [s.pk for s in statements["items"]] == [quote.pk]
    assert "specific contacts" in response.content.decode().replace("<mark>", "").replace(
        "</mark>", ""
    )


@pytest.mark.parametrize("q", ["Zajarova", "Захарова", "zakharova", "Zakharowa"])
def test_actor_found_by_any_spelling_and_a_typo(client, zakharova, q):
    response = search(client, q)
    actors = next(g for g in response.context["groups"] if g["key"] == "actors")
    assert zakharova in actors["items"]


def test_actors_must_match_every_word(client, quote):
    make_actor("Ballotpedia", aliases=["Ballotpedia News"])  # "new" is close to "News"
    commission = make_actor("New START Bilateral Consultative Commission")
    actors = next(g for g in search(client, "new start").context["groups"] if g["key"] == "actors")
    assert actors["items"] == [commission]


def test_every_word_must_match_somewhere(client, quote):
    # "zakharova" matches the speaker, "specific" the quote, "bluff" nothing.
    response = search(client, "zakharova specific bluff")
    statements = next(g for g in response.context["groups"] if g["key"] == "statements")
    assert statements["count"] == 0


def test_a_statement_matches_through_its_treaty_and_setting(client, quote):
    for q in ["new start contacts", "Solovyov"]:
        statements = next(
            g for g in search(client, q).context["groups"] if g["key"] == "statements"
        )
        assert [s.pk for s in statements["items"]] == [quote.pk], q


def test_the_last_word_matches_as_a_prefix_while_typing(client, quote):
    """The word being typed is a prefix; the words before it are whole (a short prefix of
    an earlier word would make the index read every word that starts with it)."""

    def found(query):
        groups = search(client, query).context["groups"]
        return next(g["count"] for g in groups if g["key"] == "statements")

    assert found("specific cont") == 1
    assert found("spec") == 1
    assert found("spec contacts") == 0


def test_results_are_grouped_by_kind_and_highlighted(client, quote, zakharova):
    make_event(
        title="Kommersant reports a New START commission meeting",
        description="The Bilateral Consultative Commission may meet in the Middle East.",
    )
    response = search(client, "new start")
    html = response.content.decode()
    keys = {g["key"]: g["count"] for g in response.context["groups"]}
    assert keys["treaties"] == 1
    assert keys["events"] == 1
    assert keys["statements"] == 1  # through the treaty it concerns
    assert '<h2 class="result-group__title" id="group-treaties">Treaties' in html
    assert "<mark>New</mark> <mark>START</mark>" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_sources_are_searched_by_title(client, quote):
    response = search(client, "acknowledges")
    sources = next(g for g in response.context["groups"] if g["key"] == "sources")
    assert [s.title for s in sources["items"]] == [quote.source.title]


def test_highlighting_escapes_the_text_first(client):
    make_statement(text='Contacts <script>alert("x")</script> & <b>bold</b> claims.')
    html = search(client, "contacts").content.decode()
    # ts_headline drops tags from the excerpt; what remains is escaped before <mark> goes in.
    assert "<script>alert" not in html
    assert "<b>bold" not in html
    assert "alert(&quot;x&quot;)" in html
    assert "&amp;" in html
    assert "<mark>Contacts</mark>" in html


def test_highlighted_turns_only_the_markers_into_tags():
    headline = f"a {finder.START}<img src=x>{finder.STOP} b"
    assert finder.highlighted(headline) == "a <mark>&lt;img src=x&gt;</mark> b"


def test_mark_words_is_accent_and_case_insensitive():
    assert finder.mark_words("María Zajárova", ["zajar"]) == "María <mark>Zajár</mark>ova"
    assert finder.mark_words("<Захарова>", ["захарова"]) == "&lt;<mark>Захарова</mark>&gt;"


def test_drafts_are_not_found(client, zakharova):
    make_statement(speaker=zakharova, text="A draft about specific contacts", status=Status.DRAFT)
    response = search(client, "specific contacts")
    statements = next(g for g in response.context["groups"] if g["key"] == "statements")
    assert statements["count"] == 0
    assert "A draft" not in response.content.decode()


def test_a_source_behind_drafts_only_is_not_listed(client):
    make_statement(source=make_source("Unpublished interview transcript"), status=Status.DRAFT)
    sources = next(
        g for g in search(client, "transcript").context["groups"] if g["key"] == "sources"
    )
    assert sources["count"] == 0


def test_a_source_corroborating_a_published_event_is_found_as_its_page_shows_it(client):
    """Public by the one definition the source pages use (treaties/sql/public_sources.sql)."""
    corroborating = make_source("Second transcript, corroborating")
    make_event().other_sources.set([corroborating])
    make_event(status=Status.DRAFT).other_sources.set([make_source("Draft's transcript")])
    sources = next(
        g for g in search(client, "transcript").context["groups"] if g["key"] == "sources"
    )
    assert [source.pk for source in sources["items"]] == [corroborating.pk]
    assert client.get(corroborating.get_absolute_url()).status_code == 200


def test_an_alias_added_later_is_found_at_once(client, zakharova, quote):
    ActorAlias.objects.create(actor=zakharova, name="Marija Zacharovová")
    statements = next(
        g for g in search(client, "Zacharovová").context["groups"] if g["key"] == "statements"
    )
    assert statements["count"] == 1


def test_kind_pages_paginate(client, zakharova):
    for n in range(25):
        make_statement(speaker=zakharova, text=f"Specific contacts, number {n}.")
    first = search(client, "specific", kind="statements")
    assert len(first.context["groups"][0]["items"]) == 20
    second = search(client, "specific", kind="statements", page=2)
    assert second.status_code == 200
    assert len(second.context["groups"][0]["items"]) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_overview_shows_a_few_of_each_kind_with_a_link_to_all(client, zakharova):
    for n in range(12):
        make_statement(speaker=zakharova, text=f"Specific contacts, number {n}.")
    html = search(client, "specific").content.decode()
    assert "All 12 statements" in html
    assert "kind=statements" in html


def test_empty_query_shows_examples(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "For example" in response.content.decode()
    assert "<title>Search ·" in response.content.decode()


def test_no_results_says_so(client, quote):
    response = search(client, "xylophone")
    assert response.status_code == 200
    assert "Nothing in the record matches" in response.content.decode()


def test_title_names_the_query(client, quote):
    assert "<title>Search: Zakharova ·" in search(client, "Zakharova").content.decode()


# Bad input ------------------------------------------------------------------------------


def test_a_5000_character_query_is_refused_with_a_message(client, quote):
    response = search(client, "zakharova " * 500)
    assert response.status_code == 400
    assert "limited to 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "contacts", "page": "abc"}, "whole number"),
        ({"q": "contacts", "kind": "planets"}, "not a choice"),
        ({"q": "contacts", "page": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_parameters_answer_400_with_the_page(client, quote, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<h1>Search" in html


def test_page_beyond_the_end_shows_the_last_with_a_message(client, quote):
    response = search(client, "contacts", kind="statements", page=99999)
    assert response.status_code == 200
    assert "There is no page 99999" in response.content.decode()


@pytest.mark.parametrize("q", ["!!!", "'", "a:*|b", "&&", "(", "\\", "_", "' OR 1=1 --"])
def test_punctuation_and_tsquery_syntax_are_harmless(client, quote, q):
    response = search(client, q)
    assert response.status_code == 200


# htmx ---------------------------------------------------------------------------------------


def test_htmx_request_gets_the_results_fragment(client, quote):
    response = client.get(
        URL, {"q": "Zajárova"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith("<title>Search: Zajárova · Arms Control Record</title>")
    assert '<div id="results"' in html
    assert "specific contacts" in html
    assert response["HX-Push-Url"] == f"{URL}?q=Zaj%C3%A1rova"
    assert "HX-Request" in response["Vary"]


def test_htmx_bad_input_still_swaps_its_message(client):
    response = client.get(URL, {"q": "x" * 5000}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx does not swap a 4xx
    assert "limited to 200 characters" in response.content.decode()


def test_history_restore_gets_the_full_page(client, quote):
    response = client.get(
        URL, {"q": "contacts"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_box_searches_as_you_type_and_works_without_javascript(client):
    html = client.get(URL).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert f'action="{URL}" ' in html or f'action="{URL}"' in html
    assert 'method="get"' in html


# Query counts ---------------------------------------------------------------------------------


def _load(n, speaker, treaty):
    for i in range(n):
        make_statement(speaker=speaker, treaties=[treaty], text=f"Specific contacts {i}.")
        make_event(title=f"Specific meeting {i}", treaties=[treaty], actors=[speaker])


# The index lookups run in one transaction (savepoint, SET LOCAL, release: 3); the candidates
# of statements, with their rank (1); the actors close to the word (1: no one's, here). The
# overview then reads the first rows of treaties, events and sources with the count of their
# matches (3, one each). A kind's own page counts the three kinds other than statements (whose
# count is known) and actors (no one matched): its own included, 3; then reads its page.
# Statements shown: 1 (rows with highlighted excerpts and their speakers' roles on the day);
# events 1.
@pytest.mark.parametrize("kind, queries", [("", 9), ("statements", 9), ("events", 9)])
def test_query_count_does_not_grow_with_the_results(
    client, zakharova, django_assert_num_queries, kind, queries
):
    treaty = make_treaty("New START")
    for rows in (3, 27):  # 3 rows, then 30
        _load(rows, zakharova, treaty)
        with django_assert_num_queries(queries):
            search(client, "specific", kind=kind)


def test_actor_lookups_stop_at_a_word_close_to_no_name(zakharova, django_assert_num_queries):
    """Each word is one lookup of names and aliases; the first word close to no one's name
    ends them, and with no actor left nothing more is asked."""
    with django_assert_num_queries(1):
        assert list(finder.actors(finder.words("specific contacts maria zakharova"))) == []
    with django_assert_num_queries(4):  # two words, then the actors found with their aliases
        assert list(finder.actors(finder.words("maria zakharova"))) == [zakharova]


def test_candidates_are_taken_from_the_index_unsorted(client, quote):
    """An ORDER BY on the statements' candidate query would make PostgreSQL read and sort
    every match (hundreds of thousands for a common word) before the LIMIT: only the ranking
    sorts. Sources, a twentieth as many, are taken the newest entered first (below)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        search(client, "specific")
    candidates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and f"LIMIT {finder.CANDIDATES}" in query["sql"]
    ]
    assert len(candidates) == 2
    statements, sources = sorted(candidates, key=lambda sql: "treaties_source" in sql)
    assert "ORDER BY" not in statements.split(f"LIMIT {finder.CANDIDATES}")[0]
    # Sources' candidates are a subquery: the ranking's ORDER BY comes after their LIMIT.
    before_limit = sources.split(f"LIMIT {finder.CANDIDATES}")[0]
    assert before_limit.endswith("ORDER BY 1 DESC ")  # the id it selects


def test_sources_with_more_matches_than_the_candidates_are_the_newest_entered(monkeypatch):
    """The index alone gives matches in the order of the table, the oldest entered first."""
    made = [make_source(f"Telemetry talks {n}") for n in range(5)]
    for source in made:
        make_statement(source=source)
    monkeypatch.setattr(finder, "CANDIDATES", 2)
    ranked, _ = finder.sources(["telemetry"])
    assert {source.pk for source in ranked} == {made[4].pk, made[3].pk}


def test_sources_are_ranked_and_counted_in_one_query_among_their_candidates(
    monkeypatch, django_assert_num_queries
):
    for title in ("Telemetry talks", "Telemetry, telemetry", "Telemetry again", "Other talks"):
        make_statement(source=make_source(title))
    make_source("Telemetry, a draft's source")  # behind no published record
    # The statements' candidates, the actors close to the word, then the sources: one query.
    with django_assert_num_queries(3):
        group = next(g for g in finder.groups(["telemetry"]) if g.key == "sources")
        rows, count = group.first(2)
    assert (len(rows), count, group.capped(count)) == (2, 3, False)
    assert rows[0].title == "Telemetry, telemetry"  # ranked: the word twice in its title
    # The count stops at the candidates taken from the index, and says so.
    monkeypatch.setattr(finder, "CANDIDATES", 2)
    group = next(g for g in finder.groups(["telemetry"]) if g.key == "sources")
    rows, count = group.first(4)
    assert (len(rows), count, group.capped(count)) == (2, 2, True)
    assert group.total() == 2


def test_only_the_kinds_taken_from_the_index_are_capped(monkeypatch):
    monkeypatch.setattr(finder, "CANDIDATES", 2)
    assert finder.Group("statements", "Statements", None, 2, 8).capped(2)
    assert finder.Group("sources", "Sources", None, 2, 4).capped(2)
    assert not finder.Group("events", "Events", None, None, 5).capped(5)  # an exact count
    assert not finder.Group("statements", "Statements", None, 1, 8).capped(1)


def test_the_overview_counts_a_small_kind_with_its_first_rows(django_assert_num_queries):
    for title in ("Telemetry talks in Geneva", "Telemetry exchange resumes", "Other talks"):
        make_event(title=title)
    group = next(g for g in finder.groups(["telemetry"]) if g.key == "events")
    assert group.total() == 2
    # The overview's first rows and the count of all matches: one query.
    with django_assert_num_queries(1):
        rows, count = group.first(1)
    assert (len(rows), count) == (1, 2)
    assert group.first(5)[1] == 2
    nothing = next(g for g in finder.groups(["qqqqzzzz"]) if g.key == "events")
    assert nothing.first(5) == ([], 0)


def test_the_name_indexes_keep_no_planner_statistics():
    # Estimating a trigram match from statistics costs more planning than the match itself
    # (migration 0010); ANALYZE must not collect them again.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attstattarget FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid WHERE a.attnum = 1 AND c.relname = ANY(%s)",
            [["actor_name_trgm", "actor_skeleton_trgm", "alias_name_trgm", "alias_skeleton_trgm"]],
        )
        targets = dict(cursor.fetchall())
    assert targets == dict.fromkeys(targets, 0)
    assert len(targets) == 4


def test_a_word_the_database_makes_nothing_of_is_left_out(client, quote):
    """ "²" is a word to Python (a digit) and nothing to PostgreSQL's parser: it drops out of
    the query, as "the" does, instead of emptying it."""
    assert finder.words("specific ²") == ["specific", "²"]
    for terms in (["specific", "²"], ["²", "specific"]):
        ranked, count = finder.statements(terms)
        assert count == 1 and ranked[0:1] == [quote]
    assert "We maintain" in search(client, "specific ²").content.decode()
