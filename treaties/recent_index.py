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

Django's migrations do not declare it: its cutoff depends on the data, and a site with no
more than RECENT_STATEMENTS statements has none (its whole index is as small). It is built
CONCURRENTLY, so that editors keep saving while it builds (about 2 s at 1,000,000
statements), under a second name, and takes the first name once the old one is dropped. A
concurrent build or drop first waits for the transactions already open on the table (a
backup's, a long import's), and the worker's other jobs wait with it.
"""

import contextlib
import datetime
import zlib

from django.db import connection

from .models import Statement

NAME = "statement_search_recent"
BUILDING = f"{NAME}_building"
# About as many statements as the index holds once built, three times the newest statements
# that a search of common words walks (word_frequencies.NEWEST_WALKED), so that words rare
# together but each common ("nuclear arms control", in 1.3% of statements) find their 300
# newest candidates here alone. It is built again when twice as many are dated after its
# cutoff.
RECENT_STATEMENTS = 36_000

# Two workers must not build at once: each would drop the other's index.
LOCK = zlib.crc32(NAME.encode())

# The cutoff, from the index's predicate, (date >= '2025-04-29'::date), as the word
# statistics read it too (word_frequencies.STATISTICS_SQL). The date is cast back in SQL:
# pg_get_expr() writes it in the session's DateStyle, which the cast reads.
CUTOFF_SQL = f"""
    SELECT substring(pg_get_expr(indpred, indrelid) FROM '''([^'']*)''::date')::date
    FROM pg_index WHERE indexrelid = to_regclass('{NAME}') AND indisvalid
"""


def current_cutoff() -> datetime.date | None:
    """The day from which the index holds statements; None without one."""
    with connection.cursor() as cursor:
        cursor.execute(CUTOFF_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def _published():
    # On the database the index is built on, not a replica that may lag behind it.
    return Statement.objects.using(connection.alias).published()


def wanted_cutoff() -> datetime.date | None:
    """The day of the newest published statement after the newest RECENT_STATEMENTS (the
    (date, id) index, read from the newest); None when there are no more than those."""
    newest = _published().order_by("-date", "-pk").values_list("date", flat=True)
    return newest[RECENT_STATEMENTS : RECENT_STATEMENTS + 1].first()


def _few_dated_from(day: datetime.date, most: int) -> bool:
    """Whether at most `most` published statements are dated from day (a bounded walk)."""
    dated = _published().filter(date__gte=day).order_by().values("pk")
    return dated[: most + 1].count() <= most


def keep_current() -> bool:
    """Builds, moves or drops the index so that it holds the newest RECENT_STATEMENTS
    published statements and not more than twice as many; True when it changed anything.
    Nothing is done while another worker is at it."""
    with _locked() as locked:
        return locked and _keep_current()


def _keep_current() -> bool:
    wanted, now = wanted_cutoff(), current_cutoff()
    if wanted is None:
        return _drop()
    if now == wanted:
        return False  # however many share its day: no later cutoff holds the newest
    if now is not None and now < wanted and _few_dated_from(now, 2 * RECENT_STATEMENTS):
        return False  # it holds the newest, and not too many more
    build(wanted)
    return True


def build(cutoff: datetime.date) -> None:
    """The index of the statements dated from cutoff, in place of any other."""
    concurrently = _concurrently()
    # A build that was stopped leaves an invalid index behind, under its name.
    _execute(f"DROP INDEX {concurrently} IF EXISTS {BUILDING}")
    _execute(
        f"CREATE INDEX {concurrently} {BUILDING} ON {Statement._meta.db_table} "
        f"USING gin (search_vector) WHERE date >= '{cutoff.isoformat()}'::date"
    )
    _execute(f"DROP INDEX {concurrently} IF EXISTS {NAME}")
    _execute(f"ALTER INDEX {BUILDING} RENAME TO {NAME}")


def _drop() -> bool:
    """No index, nor what a stopped build or drop left behind (an invalid index, which
    writes still update); whether there was any."""
    names = [NAME, BUILDING]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s)", [names])
        found = cursor.fetchone()[0]
    for name in names if found else []:
        _execute(f"DROP INDEX {_concurrently()} IF EXISTS {name}")
    return bool(found)


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
