"""The recent statements' own search index: built, moved and dropped as statements are added,
read with the word statistics, and taken by the planner for a search's newest matches."""

import datetime
import math

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_actor, make_source, make_statement
from treaties import recent_index, word_frequencies
from treaties import search as finder
from treaties.management.commands import run_worker
from treaties.models import Statement, Status
from treaties.word_frequencies import Frequencies


def day(n: int) -> datetime.date:
    return datetime.date(2022, 1, n)


@pytest.fixture
def holds_two(monkeypatch):
    """An index built for the newest two statements (36,000 on a site)."""
    monkeypatch.setattr(recent_index, "RECENT_STATEMENTS", 2)
    if connection.in_atomic_block:
        # The test's transaction: PostgreSQL builds no index on a table with deferred checks
        # pending, which the worker, in a transaction of its own, never has.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _statements(*days, text="Telemetry.", **fields):
    speaker, source = make_actor(), make_source()
    return [
        make_statement(speaker=speaker, source=source, text=text, date=day(n), **fields)
        for n in days
    ]


def _indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s ORDER BY 1",
            [f"{recent_index.NAME}%"],
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.django_db
def test_no_index_while_the_statements_are_fewer_than_it_would_hold(holds_two):
    _statements(1, 2)
    _statements(3, status=Status.DRAFT)  # not counted: searches find published statements
    assert recent_index.wanted_cutoff() is None
    assert recent_index.keep_current() is False
    assert recent_index.current_cutoff() is None and _indexes() == []


@pytest.mark.django_db
def test_the_index_holds_the_newest_statements_and_moves_when_twice_as_many_are_newer(
    holds_two,
):
    made = _statements(1, 2, 3)
    assert recent_index.keep_current() is True
    # Dated from the day of the third newest: the newest two and a day's margin.
    assert recent_index.current_cutoff() == day(1) and _indexes() == [recent_index.NAME]
    assert recent_index.keep_current() is False  # nothing to do
    _statements(4)
    assert recent_index.keep_current() is False  # 4 dated from its cutoff: twice two
    _statements(5)
    assert recent_index.keep_current() is True  # 5: built again, for the newest
    assert recent_index.current_cutoff() == day(3) and _indexes() == [recent_index.NAME]
    # Statements taken away (unpublished, deleted) until it no longer holds the newest two.
    Statement.objects.filter(date__gte=day(4)).update(status=Status.DRAFT)
    assert recent_index.wanted_cutoff() == day(1)
    assert recent_index.keep_current() is True
    assert recent_index.current_cutoff() == day(1)
    # Too few for an index: it goes.
    Statement.objects.filter(pk=made[0].pk).delete()
    assert recent_index.keep_current() is True
    assert recent_index.current_cutoff() is None and _indexes() == []


@pytest.mark.django_db
def test_the_cutoff_is_read_whatever_the_session_s_date_style(holds_two):
    _statements(1, 2, 13)
    recent_index.keep_current()
    with connection.cursor() as cursor:
        # pg_get_expr() writes the predicate's date as '13/01/2022' here.
        cursor.execute("SET LOCAL DateStyle = 'SQL, DMY'")
    assert recent_index.current_cutoff() == day(1)
    assert recent_index.keep_current() is False


@pytest.mark.django_db
def test_a_day_with_more_statements_than_the_index_holds_is_not_built_again_and_again(
    holds_two,
):
    _statements(1, 1, 1, 1, 1)
    assert recent_index.keep_current() is True
    assert recent_index.current_cutoff() == day(1)
    assert recent_index.keep_current() is False  # no later cutoff holds the newest two


@pytest.mark.django_db
def test_what_a_stopped_build_left_behind_goes_with_the_index(holds_two):
    _statements(1, 2)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {recent_index.BUILDING} ON treaties_statement (date)")
    assert recent_index.keep_current() is True
    assert _indexes() == []


@pytest.mark.django_db
def test_the_statistics_read_the_cutoff_with_the_word_figures(holds_two):
    _statements(1, 2, 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE treaties_statement")
    assert word_frequencies._statistics().recent_since is None
    recent_index.keep_current()
    assert word_frequencies._statistics().recent_since == day(1)


@pytest.mark.django_db
def test_the_newest_matches_are_taken_from_the_index_dated_from_its_cutoff(holds_two, monkeypatch):
    """Words rare together but each common ("nuclear arms control") find their newest
    candidates among the statements the index holds, in one query that the planner answers
    from it, rather than first taking the oldest from the whole table's index."""
    old = _statements(1, 2, 3, text="Nuclear arms control.")
    new = _statements(10, 11, 12, text="Nuclear arms control, again.")
    recent_index.keep_current()
    assert recent_index.current_cutoff() == day(10)
    shares = {"nuclear": 0.225, "arms": 0.466, "control": 0.112}
    monkeypatch.setattr(finder, "CANDIDATES", 3)
    terms = ["nuclear", "arms", "control"]
    # Without the index: the first matches the whole index gives (the oldest), then the
    # newest of the newest statements walked.
    walked = Frequencies(shares, 0.003, 1e6, newest_since=day(11))
    monkeypatch.setattr(finder, "statement_words", lambda: walked)
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(terms)
    assert len([q for q in queries.captured_queries if "LIMIT 3" in q["sql"]]) == 2
    assert set(ranked.ranked_ids) == {new[2].pk, new[1].pk, old[0].pk} and count == 3
    # With it: the newest of those it holds, from one query.
    indexed = Frequencies(shares, 0.003, 1e6, newest_since=day(11), recent_since=day(10))
    monkeypatch.setattr(finder, "statement_words", lambda: indexed)
    with CaptureQueriesContext(connection) as queries:
        ranked, count = finder.statements(terms)
    (newest,) = [q["sql"] for q in queries.captured_queries if "LIMIT 3" in q["sql"]]
    assert "\"date\" >= '2022-01-10'::date" in newest
    assert set(ranked.ranked_ids) == {statement.pk for statement in new} and count == 3
    # The planner, kept off the table's own scan as it is at full size, can answer the query
    # from this index: its date bound implies the index's predicate. (At this size, other
    # indexes cost as little: they go, until the test's transaction is rolled back.)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass "
            "AND indexrelid <> %s::regclass "
            "AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)",
            [Statement._meta.db_table, recent_index.NAME],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {newest}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {recent_index.NAME}" in plan, plan


@pytest.mark.django_db
def test_words_expected_in_fewer_statements_than_the_candidates_take_every_match_at_once(
    holds_two, monkeypatch
):
    """The whole index gives every match in one query: the recent statements' would add one."""
    _statements(1, 2, 10, 11, 12, text="Telemetry of warheads.")
    recent_index.keep_current()
    shares = {"telemetry": 0.001, "warheads": 0.05}
    rare = Frequencies(shares, 0.0001, 1e6, recent_since=day(10))
    monkeypatch.setattr(finder, "statement_words", lambda: rare)
    # 1,000,000 x 0.001 x 0.05 = 50 expected: fewer than the candidates.
    for terms in (["telemetry", "warheads"], ["telemetry"], ["warheads", "telemetry"]):
        assert rare.fill_recent(terms, finder.CANDIDATES) is (terms == ["telemetry"])
    with CaptureQueriesContext(connection) as queries:
        _ranked, count = finder.statements(["telemetry", "warheads"])
    assert count == 5
    assert len([q for q in queries.captured_queries if "LIMIT 300" in q["sql"]]) == 1
    # A word the statistics do not know (a name, a misspelling) is rarer than every word
    # they know; how much rarer they cannot say, so it is not taken for common.
    common = Frequencies({"treaty": 0.8}, 0.003, 1e6, recent_since=day(10))
    assert common.fill_recent(["treaty"], 300)
    assert not common.fill_recent(["lebedew"], 300)  # 1,000,000 x 0.003 = 3,000 at most
    assert not Frequencies({"treaty": 0.8}, 0.003, 1e6).fill_recent(["treaty"], 300)


@pytest.mark.django_db
def test_the_worker_keeps_the_index_current(holds_two):
    _statements(1, 2, 3)
    call_command("run_worker", verbosity=0)
    assert recent_index.current_cutoff() == day(1)


def test_a_build_that_fails_is_not_tried_again_at_the_worker_s_next_turn(monkeypatch):
    tried = []

    def fails():
        tried.append(True)
        raise DatabaseError("canceling statement due to user request")

    monkeypatch.setattr(recent_index, "keep_current", fails)
    worker = run_worker.Command()
    worker.index_checked_at = -math.inf
    with pytest.raises(DatabaseError):
        worker.keep_index_current(verbosity=0)
    worker.keep_index_current(verbosity=0)  # two seconds later, as the worker goes on
    assert len(tried) == 1


@pytest.mark.django_db(transaction=True)
def test_the_index_is_built_concurrently_outside_a_transaction(holds_two):
    """As the worker builds it on a site: editors keep saving while it builds."""
    _statements(1, 2, 3)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert recent_index.keep_current() is True
        built = [q["sql"] for q in queries.captured_queries if "CREATE INDEX" in q["sql"]]
        assert built and all("CONCURRENTLY" in sql for sql in built)
        assert _indexes() == [recent_index.NAME]
        assert recent_index.current_cutoff() == day(1)
    finally:
        # Not rolled back with a transaction: later tests must not find it.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {recent_index.NAME}")


@pytest.mark.django_db
def test_a_worker_leaves_the_index_to_another_that_is_building_it(holds_two):
    _statements(1, 2, 3)
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [recent_index.LOCK])
        assert recent_index.keep_current() is False
        assert _indexes() == []
        other.execute("SELECT pg_advisory_unlock(%s)", [recent_index.LOCK])
    assert recent_index.keep_current() is True
