"""Benchmark: an editor's new alias or treaty name at full size, and the worker behind it.

A statement's search document holds its speaker's names and its treaties' names
(treaties/sql/refold.sql), so a new alias or a renamed treaty folds them again: at once for up
to 2,000 statements, by `manage.py run_worker` in batches for more. On the database
`bench_scale_<N>` that bench/scale.py keeps (made and filled the first time), with the web's
statement timeout, this times:

1. an alias added to the most prolific speaker, and the rename of the treaty with the most
   statements, each as the editor's transaction (the goal: far inside the timeout);
2. the worker folding what they queued (the admin promises "in a minute or two");
3. the same again to take them back, so the database is left as it was.

    .venv/bin/python bench/refold.py                        (10,000 statements: at once)
    .venv/bin/python bench/refold.py --statements 1000000   (make bench STATEMENTS=1000000)
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))

from scale import PYTHON, prepare_database  # noqa: E402

WEB_TIMEOUT_MS = 5000  # DATABASE_STATEMENT_TIMEOUT_MS's default
ALIAS = "Bench alias for refolding"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    args = parser.parse_args()
    url = prepare_database(args.statements, fresh=False)

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        speaker, name, spoken = conn.execute(
            "SELECT a.id, a.name, count(*) FROM treaties_statement s "
            "JOIN treaties_actor a ON a.id = s.speaker_id "
            "WHERE s.speaker_id = (SELECT speaker_id FROM treaties_statementtally "
            "  WHERE treaty_id = 0 AND topic_id = 0 AND year = 0 AND speaker_id > 0 "
            "  ORDER BY statements DESC LIMIT 1) GROUP BY a.id, a.name"
        ).fetchone()
        treaty, short_name, about = conn.execute(
            "SELECT t.id, t.short_name, count(*) FROM treaties_statement_treaties l "
            "JOIN treaties_treaty t ON t.id = l.treaty_id "
            "WHERE l.treaty_id = (SELECT treaty_id FROM treaties_statementtally "
            "  WHERE speaker_id = 0 AND topic_id = 0 AND year = 0 AND treaty_id > 0 "
            "  ORDER BY statements DESC LIMIT 1) GROUP BY t.id, t.short_name"
        ).fetchone()
        conn.execute(f"SET statement_timeout = {WEB_TIMEOUT_MS}")
        print(f"\n{args.statements:,} statements; the web's statement timeout: {WEB_TIMEOUT_MS} ms")
        print(f"{'step':58} {'seconds':>8}")
        steps = [
            (
                f"alias for {name} ({spoken:,} statements)",
                "INSERT INTO treaties_actoralias (actor_id, name, language, note) "
                "VALUES (%s, %s, '', '')",
                [speaker, ALIAS],
            ),
            (
                f"{short_name} renamed ({about:,} statements)",
                "UPDATE treaties_treaty SET short_name = short_name || ' ·' WHERE id = %s",
                [treaty],
            ),
        ]
        undo = [
            ("the alias removed", "DELETE FROM treaties_actoralias WHERE name = %s", [ALIAS]),
            (
                f"{short_name}'s name put back",
                "UPDATE treaties_treaty SET short_name = %s WHERE id = %s",
                [short_name, treaty],
            ),
        ]
        for rounds in (steps, undo):
            for label, sql, params in rounds:
                started = time.perf_counter()
                conn.execute(sql, params)
                print(f"{label:58} {time.perf_counter() - started:8.3f}")
            queued = conn.execute("SELECT count(*) FROM treaties_refold").fetchone()[0]
            seconds, folded = refold(url)
            print(f"{f'the worker: {queued} jobs, {folded:,} statements folded':58} {seconds:8.1f}")


def refold(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "manage.py", "run_worker"],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    folded = int(re.search(r"Folded ([\d,]+)", result.stdout).group(1).replace(",", ""))
    return time.perf_counter() - started, folded


if __name__ == "__main__":
    main()
