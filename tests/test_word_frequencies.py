"""A search of several words takes its matches from the index by its rarest words alone, when
the planner's statistics say they are rare enough, and finds exactly what it found before."""

import datetime
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_actor, make_source, make_statement
from treaties import search as finder
from treaties import word_frequencies
from treaties.models import Status
from treaties.word_frequencies import INDEXED_MATCHES, Frequencies

COMMON = Frequencies({"treaty": 0.8, "arms": 0.5, "limits": 0.02, "warheads": 0.04}, 0.003, 1e6)


def test_the_rarest_words_go_to_the_index_until_they_are_rare_enough_together():
    # 1,000,000 x 0.003 x 0.02 = 60 statements expected: two words are enough.
    assert COMMON.indexed_words(["treaty", "telemetry", "limits", "arms"]) == [
        "telemetry",
        "limits",
    ]
    # 1,000,000 x 0.02 x 0.04 = 800
    assert COMMON.indexed_words(["warheads", "limits"]) == ["limits", "warheads"]
    assert COMMON.rows * 0.02 * 0.04 <= INDEXED_MATCHES


def test_the_index_is_given_at_least_one_word_the_statistics_know():
    # Words unknown to the statistics may make no lexeme at all ("²"): a query of only
    # those would match nothing, so a known word joins them.
    assert COMMON.indexed_words(["qqq", "zzz"]) is None
    assert COMMON.indexed_words(["qqq", "zzz", "arms"]) == ["qqq", "zzz", "arms"]


def test_every_word_goes_to_the_index_when_the_words_are_not_rare_enough():
    assert COMMON.indexed_words(["treaty", "arms"]) is None  # 400,000 expected
    assert COMMON.indexed_words(["limits"]) is None  # 20,000
    assert COMMON.indexed_words([]) is None
    assert Frequencies().indexed_words(["limits", "warheads"]) is None  # no statistics yet


@pytest.mark.django_db
def test_the_frequencies_are_read_from_the_planner_s_statistics():
    speaker, source = make_actor(), make_source()
    for n in range(40):
        make_statement(speaker=speaker, source=source, text=f"Telemetry exchange number {n}.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE treaties_statement")
    found = word_frequencies._statistics()
    assert found.of("telemetry") == pytest.approx(1.0)  # every statement has it
    assert found.rows == 40
    assert 0 < found.rarer < 1
    assert found.of("unheard") == found.rarer
    assert found.newest_since is None  # fewer than NEWEST_WALKED statements: no bound


@pytest.mark.django_db
def test_the_newest_statements_walked_start_on_a_day_read_with_the_figures(monkeypatch):
    for day in range(1, 6):
        make_statement(text="Telemetry.", date=datetime.date(2022, 1, day))
    make_statement(text="Telemetry.", date=datetime.date(2023, 1, 1), status=Status.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE treaties_statement")
    monkeypatch.setattr(word_frequencies, "NEWEST_WALKED", 2)
    # The three newest published: 5, 4 and 3 January.
    assert word_frequencies._statistics().newest_since == datetime.date(2022, 1, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["strategic offensive telemetry limits", "telemetry limits warh", "limits telemetry", "arms"],
)
def test_a_search_by_its_rarest_words_finds_what_a_search_by_all_finds(monkeypatch, query):
    speaker, source = make_actor(), make_source()
    texts = [
        "Strategic offensive arms: telemetry limits and warheads.",
        "Strategic offensive arms limits, without the data.",
        "Telemetry limits on warheads were discussed.",
        "Strategic telemetry limits, offensive arms.",
        "Arms and more arms.",
    ]
    for text in texts:
        make_statement(speaker=speaker, source=source, text=text)
    terms = finder.words(query)

    def found():
        ranked, count = finder.statements(terms)
        return set(ranked.ranked_ids), count

    monkeypatch.setattr(finder, "statement_words", Frequencies)  # no statistics: all words
    every_word = found()
    rare = Frequencies({"strategic": 0.01, "offensive": 0.01}, 1e-6, 1e6)
    monkeypatch.setattr(finder, "statement_words", lambda: rare)
    assert found() == every_word
    assert every_word[1] == sum(
        all(any(w.lower().startswith(t) for w in text.replace(",", " ").split()) for t in terms)
        for text in texts
    )


@pytest.mark.django_db
def test_the_frequencies_are_read_once_per_refresh(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(word_frequencies, "_read", {"at": -math.inf, "frequencies": None})
    with django_assert_num_queries(1):
        first = word_frequencies.statement_words()
        assert word_frequencies.statement_words() is first
    monkeypatch.setattr(word_frequencies, "REFRESH_SECONDS", -1)
    with django_assert_num_queries(1):
        word_frequencies.statement_words()


NAMES = Frequencies(
    {"ryabkov": 0.027, "treaty": 0.8, "stability": 0.011, "strategic": 0.45}, 0.003, 1e6
)


def test_a_last_word_common_enough_is_looked_up_whole():
    assert NAMES.enough_whole(["ryabkov"], 300)  # 27,000 expected
    assert NAMES.enough_whole(["strategic", "stability"], 300)  # 4,950
    assert not NAMES.enough_whole(["treaty"], 300)  # the date index serves this prefix better
    assert not NAMES.enough_whole(["ryab"], 300)  # not known: perhaps half typed
    assert not NAMES.enough_whole(["stability", "ryab"], 300)
    assert not Frequencies({"ryabkov": 0.027}, 0.01, 10_000).enough_whole(["ryabkov"], 300)
    assert not Frequencies().enough_whole(["ryabkov"], 300)


@pytest.mark.django_db
def test_a_last_word_looked_up_whole_that_finds_too_few_is_read_as_a_prefix(monkeypatch):
    """The statistics said "contact" was common, but it is on record once, "contacts"
    twice: the whole word gives fewer than the candidates, so the prefix is read after all."""
    make_statement(text="We keep specific contacts.")
    make_statement(text="Contacts continue.")
    make_statement(text="One contact.")
    common = Frequencies({"contact": 0.03}, 0.01, 1e6)
    monkeypatch.setattr(finder, "statement_words", lambda: common)
    _ranked, count = finder.statements(["contact"])
    assert count == 3


@pytest.mark.django_db
def test_the_index_is_asked_for_a_common_last_word_whole(monkeypatch):
    make_statement(text="We keep specific contacts.")
    monkeypatch.setattr(finder, "statement_words", lambda: NAMES)
    for query, asked in [("ryabkov", ["ryabkov", "ryabkov:*"]), ("ryab", ["ryab:*"])]:
        with CaptureQueriesContext(connection) as queries:
            finder.statements(finder.words(query))
        candidates = [q["sql"] for q in queries.captured_queries if "LIMIT 300" in q["sql"]]
        # With one statement on record, the whole word finds too few: the prefix follows.
        assert [
            re.search(r"@@ \(to_tsquery\('armscontrol'::regconfig, '([^']*)'\)\)", sql)[1]
            for sql in candidates
        ] == asked


def test_words_are_common_together_above_the_share_the_date_index_serves_better():
    assert NAMES.common(["treaty"])  # 800,000 expected
    assert NAMES.common(["treaty", "strategic"])  # 360,000
    assert not NAMES.common(["ryabkov"])  # 27,000: a bitmap of them is cheaper
    assert not NAMES.common(["treaty", "stability"])  # 8,800
    assert not NAMES.common(["trea"])  # not known: rarer than every word known
    assert not Frequencies().common(["treaty"])  # no statistics yet


@pytest.mark.django_db
def test_common_words_take_the_newest_matches_as_candidates(monkeypatch):
    """Not the first that whichever index PostgreSQL walks gives (the speaker index would
    give the first speaker's oldest): the newest, then ranked."""
    first_speaker, other = make_actor(), make_actor()
    dates = [datetime.date(2020, 1, day) for day in (1, 2, 3, 4, 5, 6)]
    for date in dates[:3]:
        make_statement(speaker=first_speaker, text="Treaty.", date=date)
    newest = [
        make_statement(speaker=other, text="The treaty, the treaty.", date=d) for d in dates[3:]
    ]
    monkeypatch.setattr(finder, "CANDIDATES", 3)
    monkeypatch.setattr(finder, "statement_words", lambda: NAMES)
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(["treaty"])
    assert set(ranked.ranked_ids) == {statement.pk for statement in newest}
    assert count == 3
    (candidates,) = [q["sql"] for q in queries.captured_queries if "LIMIT 3" in q["sql"]]
    assert "ORDER BY 2 DESC, 3 DESC LIMIT 3" in candidates
    # Matched only further back than the newest statements walked: the index is asked.
    walked = Frequencies(NAMES.shares, NAMES.rarer, NAMES.rows, datetime.date(2022, 1, 6))
    monkeypatch.setattr(finder, "statement_words", lambda: walked)
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(["treaty"])
    first, then = [q["sql"] for q in queries.captured_queries if "LIMIT 3" in q["sql"]]
    assert "\"date\" >= '2022-01-06'::date" in first and "ORDER BY 2 DESC, 3 DESC" in first
    assert "ORDER BY" not in then and count == 3
    # Rarer words: the first matches the index gives, in no order that costs a sort.
    monkeypatch.setattr(finder, "statement_words", Frequencies)
    with CaptureQueriesContext(connection) as queries:
        finder.statements(["treaty"])
    (candidates,) = [q["sql"] for q in queries.captured_queries if "LIMIT 3" in q["sql"]]
    assert "ORDER BY" not in candidates
