"""Benchmark: the list downloads (exports/) at full size, checking that memory stays flat.

Uses (or makes) the database `bench_scale_<N>` that bench/scale.py keeps: migrated, seeded
and filled by `manage.py generate_data --statements N` (1,000,000 statements take about ten
minutes the first time). Then, with DEBUG off as in production, each download is read to
its end through Django's test client, and the script prints for each: rows, megabytes,
seconds to the first byte and in all, rows per second, queries per 1,000 rows, and the
process's resident memory after the first 20,000 rows and at its highest. Memory is
"constant" when the highest is within a few megabytes of the early figure, however many
rows follow: the check is that difference, printed as "growth" (the script exits 1 when
it passes GROWTH_LIMIT_MB on a download of more than 100,000 rows).

    .venv/bin/python bench/exports.py                        (1,000,000 statements)
    .venv/bin/python bench/exports.py --statements 20000     (a quick run)
    .venv/bin/python bench/exports.py --only "(CSV)"         (some of the downloads)
    .venv/bin/python bench/exports.py --max-rows 100000      (the first rows of each)
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GROWTH_LIMIT_MB = 20
EARLY_ROWS = 20_000


def database_url(statements: int) -> str:
    """The URL of bench_scale_<statements>, made and filled unless an earlier run did."""
    import psycopg

    sys.path.insert(0, str(BASE_DIR))
    from armscontrol import embedded_db

    base = os.environ.get("DATABASE_URL") or embedded_db.database_url(BASE_DIR / "var" / "postgres")
    name = f"bench_scale_{statements}"
    url = urlsplit(base)._replace(path=f"/{name}").geturl()
    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as conn:
        ready = conn.execute("SELECT 1 FROM pg_tables WHERE tablename = 'bench_ready'").fetchone()
    if not ready:
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["load_seed_data"],
            ["generate_data", "--statements", str(statements)],
        ):
            subprocess.run([PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_ready ()")
    return url


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def records_in(chunks, fmt: str, sizes: list[int]):
    """One item per row of the response, plus one for the CSV header, or two for JSON."""
    if fmt == "json":
        # One result a line, between the head and the closing line (JSON writes line breaks
        # inside text as \\n): the line breaks count the results.
        for chunk in chunks:
            sizes.append(len(chunk))
            yield from range(chunk.count(b"\n"))
        return
    # CSV rows may hold line breaks inside quotes: the csv module finds where rows end. A
    # chunk ends at the end of a row; lines are split at "\n" only, not at U+2028 and the like.
    yield from csv.reader(_lines(chunks, sizes))


def _lines(chunks, sizes):
    for chunk in chunks:
        sizes.append(len(chunk))
        yield from io.StringIO(chunk.decode(), newline="\n")


def measure(client, url: str, fmt: str, max_rows: int | None) -> dict:
    from django.db import connection

    counter = QueryCounter()
    sizes: list[int] = []
    rows, early, highest = 0, None, 0.0
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        first_byte = None
        for _ in records_in(response.streaming_content, fmt, sizes):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            rows += 1
            if max_rows and rows > max_rows:
                response.close()  # the client went away: the generator is closed too
                break
            if rows % 5000 == 0:
                highest = max(highest, resident_mb())
                if early is None and rows >= EARLY_ROWS:
                    early = resident_mb()
    seconds = time.perf_counter() - started
    # The CSV header; in JSON, a line break after the head and two in the closing "\n]}\n".
    rows -= 1 if fmt == "csv" else 2
    highest = max(highest, resident_mb())
    return {
        "rows": rows,
        "mb": sum(sizes) / 1e6,
        "first_byte": first_byte or seconds,
        "seconds": seconds,
        "queries": counter.count,
        "early": early,
        "highest": highest,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", help="a database already filled by generate_data, used as it is"
    )
    parser.add_argument("--only", default="", help="only the downloads whose name has this")
    parser.add_argument(
        "--max-rows", type=int, help="stop reading each download after this many rows"
    )
    args = parser.parse_args()
    url = args.database_url or database_url(args.statements)

    # As in production: DEBUG off, so Django keeps no list of the queries it ran.
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY="bench-only-not-secret",
        ALLOWED_HOSTS="testserver",
        SECURE_COOKIES="false",
        DJANGO_SETTINGS_MODULE="armscontrol.settings",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from treaties.models import Actor, Statement, StatementTally

    top = StatementTally.objects.speakers().values_list("speaker_id", flat=True)[0]
    speaker = Actor.objects.get(pk=top).slug
    who = reverse("exports:who_said_what", args=["csv"])
    search = reverse("exports:search", args=["csv"])
    timeline = reverse("exports:timeline", args=["csv"])
    downloads = [
        ("timeline, everything (CSV)", timeline, "csv"),
        ("timeline, everything (JSON)", reverse("exports:timeline", args=["json"]), "json"),
        ("a treaty's record (CSV)", f"{timeline}?treaty=new-start", "csv"),
        ("the top speaker's statements", f"{timeline}?actor={speaker}&kind=statements", "csv"),
        ("who said what, New START", f"{who}?treaty=new-start", "csv"),
        ("search: inspections", f"{search}?q=inspections", "csv"),
    ]
    client = Client()
    print(
        f"{Statement.objects.published().count():,} published statements; "
        f"resident memory at start {resident_mb():.0f} MB"
    )
    columns = ["rows", "MB", "1st byte s", "total s", "rows/s", "q/1k rows"]
    columns += ["RSS early", "RSS max", "growth"]
    print(f"{'download':32} " + " ".join(f"{column:>10}" for column in columns))
    failed = False
    for name, path, fmt in downloads:
        if args.only not in name:
            continue
        found = measure(client, path, fmt, args.max_rows)
        early = found["early"]
        growth = found["highest"] - early if early is not None else 0.0
        per_second = found["rows"] / found["seconds"] if found["seconds"] else 0
        per_thousand = found["queries"] / max(found["rows"], 1) * 1000
        print(
            f"{name:32} {found['rows']:10,} {found['mb']:10.1f} {found['first_byte']:10.2f} "
            f"{found['seconds']:10.1f} {per_second:10,.0f} {per_thousand:10.1f} "
            f"{(early or 0):10.0f} {found['highest']:10.0f} {growth:10.1f}"
        )
        if found["rows"] > 100_000 and growth > GROWTH_LIMIT_MB:
            failed = True
    if failed:
        print(f"Memory grew by more than {GROWTH_LIMIT_MB} MB during a large download.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
