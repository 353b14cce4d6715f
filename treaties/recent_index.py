"""The recent statements' own search index: a partial GIN index of the search documents of the
statements dated from a cutoff, about the newest RECENT_STATEMENTS of them, which the worker
moves forward as statements are added (run_worker, keep_current()).

Why: a search's newest candidates are its matches among the newest statements
(search._statement_candidates). From the whole table's index, the bitmap of a word's matches
costs as much as the word is common in the whole table, however few of them are recent:
"control & nuclear", 26,000 of 1,000,000 statements, took 10-11 ms before the newest were
picked out. From this index it costs what the recent statements hold (0.1-0.4 ms), whatever
the size of the table.

The planner takes it for a query bounded by a date on or after its cutoff, and for no other:
a web process that has not yet read a moved cutoff (word_frequencies reads it with the word
statistics, every REFRESH_SECONDS) has its searches answered by the whole table's index, more
slowly, never wrongly.

Django's migrations do not declare it: its cutoff depends on the data, and a site with fewer
than RECENT_STATEMENTS statements has none (its whole index is as small). It is built
CONCURRENTLY, so that editors keep saving while it builds (about 2 s at 1,000,000
statements), under a second name, and takes the first name once the old one is dropped.
"""

import contextlib
import datetime
import re
import zlib

from django.db import connection

from .models import Statement

NAME = "statement_search_recent"
# About as many statements as the index holds once built, three times the newest statements
# that a search of common words walks (word_frequencies.NEWEST_WALKED), so that words rare
# together but each common ("nuclear arms control", in 1.3% of statements) find their 300
# newest candidates here alone. It is built again when twice as many are dated after its
# cutoff.
RECENT_STATEMENTS = 36_000

# The index's predicate, as pg_get_expr() writes it: (date >= '2025-04-29'::date).
CUTOFF = re.compile(r"'(\d{4}-\d{2}-\d{2})'::date")

# Two workers must not build at once: each would drop the other's index.
LOCK = zlib.crc32(NAME.encode())

# The cutoff, as the word statistics read it (word_frequencies.STATISTICS_SQL).
CUTOFF_SQL = f"""
    SELECT pg_get_expr(indpred, indrelid) FROM pg_index
    WHERE indexrelid = to_regclass('{NAME}') AND indisvalid
"""


def cutoff_of(predicate: str | None) -> datetime.date | None:
    """The cutoff written in the index's predicate; None without an index."""
    if predicate and (found := CUTOFF.search(predicate)):
        return datetime.date.fromisoformat(found[1])
    return None


def current_cutoff() -> datetime.date | None:
    with connection.cursor() as cursor:
        cursor.execute(CUTOFF_SQL)
        row = cursor.fetchone()
    return cutoff_of(row[0] if row else None)


def wanted_cutoff() -> datetime.date | None:
    """The day of the RECENT_STATEMENTS-th newest published statement (the (date, id) index,
    read from the newest); None when there are fewer."""
    newest = Statement.objects.published().order_by("-date", "-pk")
    return newest.values_list("date", flat=True)[RECENT_STATEMENTS : RECENT_STATEMENTS + 1].first()


def _dated_from(day: datetime.date, at_most: int) -> int:
    """Published statements dated from day, counted up to at_most (a bounded walk)."""
    dated = Statement.objects.published().filter(date__gte=day).order_by()
    return dated.values("pk")[:at_most].count()


def keep_current() -> bool:
    """Builds, moves or drops the index so that it holds the newest RECENT_STATEMENTS
    published statements and not more than twice as many; True when it changed anything.
    Nothing is done while another worker is at it."""
    with _locked() as locked:
        return locked and _keep_current()


def _keep_current() -> bool:
    wanted, now = wanted_cutoff(), current_cutoff()
    if wanted is None:
        if now is None:
            return False
        _execute(f"DROP INDEX {_concurrently()} IF EXISTS {NAME}")
        return True
    if (
        now is not None
        and now <= wanted
        and _dated_from(now, 2 * RECENT_STATEMENTS + 1) <= (2 * RECENT_STATEMENTS)
    ):
        return False
    build(wanted)
    return True


def build(cutoff: datetime.date) -> None:
    """The index of the statements dated from cutoff, in place of any other."""
    building, concurrently = f"{NAME}_building", _concurrently()
    # A build that was stopped leaves an invalid index behind, under its name.
    _execute(f"DROP INDEX {concurrently} IF EXISTS {building}")
    _execute(
        f"CREATE INDEX {concurrently} {building} ON {Statement._meta.db_table} "
        f"USING gin (search_vector) WHERE date >= '{cutoff.isoformat()}'::date"
    )
    _execute(f"DROP INDEX {concurrently} IF EXISTS {NAME}")
    _execute(f"ALTER INDEX {building} RENAME TO {NAME}")


@contextlib.contextmanager
def _locked():
    """Whether this session holds the lock, until the end of the block."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def _concurrently() -> str:
    # Not in a transaction (a test's), where PostgreSQL refuses it.
    return "" if connection.in_atomic_block else "CONCURRENTLY"


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
