"""Benchmark: merging duplicate speakers at full size, and undoing it.

A merge moves the duplicate's statements to the record that stays (treaties/merges.py): in the
editor's request for up to settings.ROWS_CHANGED_WHILE_WAITING (500) statements, queued for
the worker (`manage.py run_worker`) beyond. On the database `bench_scale_<N>` that
bench/scale.py keeps (made and filled the first time), this merges three speakers of
different sizes each into the next one down the list, as the admin would (in the request
under the web's statement timeout, or queued), then undoes each merge the same way, so the
database is left as it was. It prints each step's seconds and the worker's peak memory.

    .venv/bin/python bench/merge.py                        (10,000 statements)
    .venv/bin/python bench/merge.py --statements 1000000   (make bench STATEMENTS=1000000)
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))
sys.path.insert(0, str(BASE_DIR))

from scale import PYTHON, prepare_database, setup_django  # noqa: E402

# The speakers merged: about this many statements each (the nearest found), the first within
# what a request may move.
SIZES = (450, 2_000, 8_000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    args = parser.parse_args()
    url = prepare_database(args.statements, fresh=False)
    setup_django(url)  # the web's statement timeout, for the merges made in the request
    from django.conf import settings

    print(f"\n{args.statements:,} statements; a request moves up to "
          f"{settings.ROWS_CHANGED_WHILE_WAITING:,}, the worker more:")  # fmt: skip
    print(f"{'step':64} {'seconds':>8} {'MB':>6}")
    merges = []
    for loser, winner in pairs():
        merges.append((loser, merge(winner, loser, url)))
    for loser, made in reversed(merges):
        undo(loser, made, url)


def pairs():
    """(loser, winner) for each size: the speaker nearest to it, and the next one down."""
    from treaties.models import Actor, StatementTally

    tallies = StatementTally.objects.filter(treaty_id=0, topic_id=0, year=0, speaker_id__gt=0)
    found, taken = [], set()
    for size in SIZES:
        below = tallies.filter(statements__lte=size).exclude(speaker_id__in=taken)
        loser, winner = below.order_by("-statements")[:2]
        taken |= {loser.speaker_id, winner.speaker_id}
        found.append(
            (Actor.objects.get(pk=loser.speaker_id), Actor.objects.get(pk=winner.speaker_id))
        )
    return found


def merge(winner, loser, url):
    from treaties.merges import merge_actors, queue_merge, too_large_to_wait

    moved = loser.statements.count()
    label = f"merge {loser.name} ({moved:,} statements)"
    work(url)  # what earlier steps queued, so that only this merge is timed
    if too_large_to_wait(loser=loser):
        queue_merge(winner=winner, loser=loser)
        return report(f"{label}: the worker", work(url))
    started = time.perf_counter()
    made = merge_actors(winner=winner, loser=loser)
    print(f"{label + ': in the request':64} {time.perf_counter() - started:8.2f}")
    return made


def undo(loser, made, url):
    from treaties.merges import queue_merge, too_large_to_wait, undo_merge

    label = f"undo the merge of {loser.name}"
    work(url)
    if too_large_to_wait(merge=made):
        queue_merge(merge=made)
        report(f"{label}: the worker", work(url))
    else:
        started = time.perf_counter()
        undo_merge(made)
        print(f"{label + ': in the request':64} {time.perf_counter() - started:8.2f}")
    work(url)  # the names the undo moved back, folded again (refold.sql)


def work(url) -> float:
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "run_worker", "--verbosity", "0"],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "ARMSCONTROL_WEB_PROCESS": "false"},
        check=True,
    )
    return time.perf_counter() - started


def report(label, seconds):
    from treaties.models import ActorMerge, QueuedMerge

    job = QueuedMerge.objects.order_by("-id").first()
    if not job.succeeded:
        raise SystemExit(f"{label}: {job.outcome}")
    # The largest child's peak, so far: the worker that made the largest merge.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{label:64} {seconds:8.2f} {peak:6.0f}")
    return ActorMerge.objects.get(pk=job.merge_id)


if __name__ == "__main__":
    main()
