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
    assert COMMON.indexed_words(["²", "①"]) is None
    assert COMMON.indexed_words(["²", "①", "arms"]) == ["²", "①", "arms"]
    assert COMMON.indexed_words(["qqq", "zzz", "arms"]) == ["qqq", "zzz", "arms"]


def test_words_the_statistics_do_not_know_go_to_the_index_rather_than_be_looked_for():
    # Each in fewer than 0.3% of statements: walking the rows of "treaty" for one of them,
    # a name or a misspelling that may be in none, read the whole index.
    assert COMMON.indexed_words(["treaty", "lebedew"], "t") == ["lebedew"]
    assert COMMON.indexed_words(["treaty", "arms", "lebedew"]) == ["lebedew"]
    assert COMMON.indexed_words(["xyzzyq"], "s") == ["xyzzyq"]
    assert COMMON.indexed_words(["zajárova", "²"], "arms") == ["zajárova"]
    assert COMMON.indexed_words(["захарова", "2022"]) == ["захарова", "2022"]
    # Without one that surely makes a lexeme, as before: a known word alone, or every word.
    assert COMMON.indexed_words(["treaty", "²"], "arms") == ["treaty"]
    assert COMMON.indexed_words(["²"], "arms") is None


@pytest.mark.parametrize(
    ("word", "makes"),
    [("lebedew", True), ("Захарова", True), ("漢字", True), ("2022", True), ("x²", True),
     ("²", False), ("①", False)],
)  # fmt: skip
@pytest.mark.django_db
def test_a_word_surely_makes_a_lexeme_when_it_holds_a_letter_or_a_digit(word, makes):
    assert word_frequencies.makes_a_lexeme(word) is makes
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(to_tsquery('public.armscontrol', %s)) > 0", [word])
        assert cursor.fetchone()[0] or not makes


def test_every_word_goes_to_the_index_when_the_words_are_not_rare_enough():
    assert COMMON.indexed_words(["treaty", "arms"]) is None  # 400,000 expected
    assert COMMON.indexed_words(["limits"]) is None  # 20,000
    assert COMMON.indexed_words([]) is None
    assert Frequencies().indexed_words(["limits", "warheads"]) is None  # no statistics yet


def test_before_a_common_last_word_the_rarest_other_word_goes_to_the_index_alone():
    # "warheads" and "treaty" are expected together in 32,000 statements, too many for the
    # index alone; "arms" begins words in half of them: reading its prefix would cost more
    # than checking the rows "warheads" gives, one in two of which holds it.
    assert COMMON.indexed_words(["warheads", "treaty"], "arms") == ["warheads"]
    assert COMMON.indexed_words(["warheads", "treaty"], "ar") == ["warheads"]
    assert COMMON.indexed_words(["warheads", "treaty"], "telemetry") is None  # a rare one
    assert COMMON.indexed_words(["limits", "warheads"], "arms") == ["limits", "warheads"]
    assert COMMON.indexed_words(["²"], "arms") is None  # no word the statistics know
    assert COMMON.indexed_words([], "arms") is None


def test_before_a_common_last_word_more_known_words_go_when_they_narrow_the_rows_enough():
    # "nuclear" alone gives 226,000 rows of which one in twenty holds "arms" and "control":
    # the index is asked for "arms" too, 103,000 rows, one in nine holding "control".
    shares = Frequencies({"nuclear": 0.226, "arms": 0.46, "control": 0.112}, 0.003, 1e6)
    assert shares.indexed_words(["nuclear", "arms"], "control") == ["nuclear", "arms"]
    assert shares.indexed_words(["arms", "nuclear"], "control") == ["nuclear", "arms"]
    # Not a word as common as "treaty": its 800,000 entries cost more than they narrow.
    assert COMMON.indexed_words(["warheads", "treaty"], "arms") == ["warheads"]


def test_the_newest_matches_are_asked_of_the_index_by_the_words_that_cost_least():
    # The shares measured at 1,000,000 statements. "specific" alone gives 64,000 rows, and
    # of those the newest 770 are read and checked; with "contacts", 10,000 and 120.
    shares = {"specific": 0.064, "contacts": 0.159, "zakharova": 0.163, "stability": 0.0118}
    shares |= {"nuclear": 0.225, "arms": 0.466, "control": 0.112, "strategic": 0.457}
    measured = Frequencies(shares, 0.003, 1e6)
    assert measured.cheapest_newest(["zakharova", "specific", "contacts"]) == [
        "specific",
        "contacts",
    ]
    assert measured.cheapest_newest(["nuclear", "arms", "control"]) == ["control", "nuclear"]
    # "stability" gives 11,800 rows: reading the 457,000 entries of "strategic" costs more
    # than checking the newest 140.
    assert measured.cheapest_newest(["strategic", "stability"]) == ["stability"]
    assert measured.cheapest_newest(["ryabkov"]) == ["ryabkov"]


def test_the_first_matches_of_whole_words_are_asked_of_the_index_by_the_cheapest():
    shares = {"nuclear": 0.225, "arms": 0.466, "control": 0.112, "ryabkov": 0.026}
    measured = Frequencies(shares | {"treaty": 0.843}, 0.003, 1e6)
    # "arms" would narrow 25,000 rows to 11,700 at the cost of reading 466,000 entries.
    assert measured.cheapest_walk(["nuclear", "arms", "control"], None, 300) == [
        "control",
        "nuclear",
    ]
    # One row in six that "ryabkov" gives lacks "treaty": checking the first 360 costs less
    # than reading 843,000 entries.
    assert measured.cheapest_walk(["ryabkov", "treaty"], None, 300) == ["ryabkov"]


def test_a_prefix_is_as_common_as_the_known_words_it_begins():
    assert COMMON.of_prefix("warhead") == 0.04
    assert math.isclose(COMMON.of_prefix("ar"), 0.5)
    assert COMMON.of_prefix("") == 1.0  # every word, at most every statement
    assert COMMON.of_prefix("telemetry") == 0.003  # known to none: rarer than all


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
    # A last word common by itself, rare enough with the others: 8,800 expected.
    assert NAMES.enough_whole(["stability", "treaty"], 300)
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
    # "ryabkov" is expected in 324 of the newest 12,000 statements: their matches are asked
    # for first. With one statement on record, the whole word finds too few, newest or
    # not: the prefix follows.
    for query, asked in [("ryabkov", ["ryabkov"] * 2 + ["ryabkov:*"]), ("ryab", ["ryab:*"])]:
        with CaptureQueriesContext(connection) as queries:
            finder.statements(finder.words(query))
        candidates = [q["sql"] for q in queries.captured_queries if "LIMIT 300" in q["sql"]]
        assert [_asked_of_the_index(sql) for sql in candidates] == asked


def _asked_of_the_index(sql: str) -> str:
    return re.search(r"@@ \(to_tsquery\('armscontrol'::regconfig, '([^']*)'\)\)", sql)[1]


@pytest.mark.django_db
def test_the_newest_matches_of_common_words_are_asked_of_the_index_by_the_cheapest(
    monkeypatch,
):
    make_statement(text="Nuclear arms control.")
    shares = {"nuclear": 0.225, "arms": 0.466, "control": 0.112}
    monkeypatch.setattr(finder, "statement_words", lambda: Frequencies(shares, 0.003, 1e6))
    monkeypatch.setattr(finder, "CANDIDATES", 1)
    with CaptureQueriesContext(connection) as queries:
        ranked, _count = finder.statements(["nuclear", "arms", "control"])
    (newest,) = [q["sql"] for q in queries.captured_queries if "DESC LIMIT 1" in q["sql"]]
    # Asked for "control" and "nuclear", the rows they give checked for every word, the
    # last as a prefix.
    assert _asked_of_the_index(newest) == "control & nuclear"
    assert "ts_match_vq" in newest and "nuclear & arms & control:*" in newest
    assert len(ranked.ranked_ids) == 1
    # The first matches the same way, the last word whole; not all found among the newest.
    monkeypatch.setattr(finder, "CANDIDATES", 2)
    make_statement(text="Nuclear arms control, again.", date=datetime.date(1990, 1, 1))
    walked = Frequencies(shares, 0.003, 1e6, datetime.date(2000, 1, 1))
    monkeypatch.setattr(finder, "statement_words", lambda: walked)
    with CaptureQueriesContext(connection) as queries:
        ranked, _count = finder.statements(["nuclear", "arms", "control"])
    (first,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].endswith("LIMIT 2") and "ORDER BY" not in q["sql"]
    ]
    assert _asked_of_the_index(first) == "control & nuclear"
    assert "ts_match_vq" in first and "nuclear & arms & control'" in first
    assert len(ranked.ranked_ids) == 2


def test_words_expected_in_enough_of_the_newest_statements_are_asked_there_first():
    assert NAMES.fill_newest(["ryabkov"], 300)  # 324 of the newest 12,000
    assert NAMES.fill_newest(["treaty"], 300)
    assert not NAMES.fill_newest(["treaty", "stability"], 300)  # 106
    assert not NAMES.fill_newest(["ryab"], 300)  # not known
    assert not Frequencies({"ryabkov": 0.027}, 0.01, 10_000).fill_newest(["ryabkov"], 300)
    assert not Frequencies().fill_newest(["ryabkov"], 300)


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
    # Rarer words: first the matches the index gives, in no order that costs a sort; as they
    # fill the candidates, there are more, and the newest are asked for (below).
    monkeypatch.setattr(finder, "statement_words", Frequencies)
    with CaptureQueriesContext(connection) as queries:
        finder.statements(["treaty"])
    first, then = [q["sql"] for q in queries.captured_queries if "LIMIT 3" in q["sql"]]
    assert "ORDER BY" not in first and "ORDER BY 2 DESC, 3 DESC" in then


@pytest.mark.django_db
def test_rarer_words_with_more_matches_than_the_candidates_have_the_newest_among_them(
    monkeypatch,
):
    """The index gives a rarer word's matches in the order of the table, the order they were
    entered in: the first are the oldest on record. The newest are asked for too."""
    speaker = make_actor()
    made = [
        make_statement(speaker=speaker, text="Telemetry.", date=datetime.date(2020, 1, day))
        for day in range(1, 7)
    ]
    monkeypatch.setattr(finder, "CANDIDATES", 3)
    # Too few statements for a bound: the newest of all the matches.
    monkeypatch.setattr(finder, "statement_words", Frequencies)
    ranked, count = finder.statements(["telemetry"])
    assert ranked.ranked_ids == [statement.pk for statement in made[:2:-1]] and count == 3
    # Among the newest statements (from 5 January), then the first others the index gives.
    bounded = Frequencies(newest_since=datetime.date(2020, 1, 5))
    monkeypatch.setattr(finder, "statement_words", lambda: bounded)
    ranked, count = finder.statements(["telemetry"])
    assert set(ranked.ranked_ids) == {made[5].pk, made[4].pk, made[0].pk} and count == 3
    # Fewer matches than the candidates: every one, from one query.
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(["telemetry", "statement"])
    assert count == 0
    assert len([q for q in queries.captured_queries if "LIMIT 3" in q["sql"]]) == 1


@pytest.mark.django_db
def test_the_newest_matches_are_asked_of_the_index_by_the_rarest_word(monkeypatch):
    """A bitmap of "strategic" would be read for nothing: the newest statements' dates bound
    the rows that "stability" gives, and both words are checked on those."""
    made = [
        make_statement(text="Strategic stability.", date=datetime.date(2020, 1, day))
        for day in range(1, 5)
    ]
    monkeypatch.setattr(finder, "CANDIDATES", 3)
    monkeypatch.setattr(finder, "statement_words", lambda: NAMES)
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(["strategic", "stability"])
    assert ranked.ranked_ids == [statement.pk for statement in made[:0:-1]] and count == 3
    (newest,) = [q["sql"] for q in queries.captured_queries if "ORDER BY 2 DESC" in q["sql"]]
    assert "@@ (to_tsquery('armscontrol'::regconfig, 'stability'))" in newest
    assert "ts_match_vq" in newest


@pytest.mark.django_db
def test_a_word_the_statistics_do_not_know_is_asked_of_the_index_and_finds_the_same(monkeypatch):
    """ "arms" is common, "telemetry" unknown to the statistics: the index is asked for the
    rows holding "telemetry", and "arms" and the prefix are checked on those, not the other
    way round (every row of "arms" walked, for a word that may be in none)."""
    speaker, source = make_actor(), make_source()
    texts = ["Arms and telemetry, warheads.", "Arms and warheads.", "Telemetry of warheads."]
    for text in texts:
        make_statement(speaker=speaker, source=source, text=text)
    terms = finder.words("arms telemetry war")
    monkeypatch.setattr(finder, "statement_words", Frequencies)  # no statistics: all words
    every_word = set(finder.statements(terms)[0].ranked_ids)
    monkeypatch.setattr(finder, "statement_words", lambda: COMMON)
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(terms)
    assert set(ranked.ranked_ids) == every_word and count == 1
    (candidates,) = [q["sql"] for q in queries.captured_queries if "LIMIT 300" in q["sql"]]
    assert "@@ (to_tsquery('armscontrol'::regconfig, 'telemetry'))" in candidates
