"""Benchmark: the intake on the seed article, against the statements the seed enters for it.

Creates a throwaway database with the seed data, pastes the seed article into the admin's
"New from article" form as an editor would (Django's test client), and prints:
- recall: the seed's statements proposed with the right speaker, date and precision (and
  also with the right kind);
- precision: the statement proposals that are one of the seed's statements;
- the time from pressing "Propose" to the review screen (POST, redirect, GET), median and
  worst of N runs, and the extraction's own time.
The database is dropped at the end, whatever happens.

    .venv/bin/python bench/intake.py [--runs 10]   (or: make bench)
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DATABASE = "bench_intake"
SEED_ARTICLE = Path(__file__).resolve().parent.parent / "intake" / "data" / "seed-article.txt"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="pastes to time (default 10)")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["TEST_DATABASE_NAME"] = BENCH_DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "armscontrol.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    print(f"Creating the throwaway database {BENCH_DATABASE} …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        measure(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        print(f"\nDropped {BENCH_DATABASE}.")


def measure(runs):
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.urls import reverse

    from intake.extract import Lexicon, extract
    from intake.scoring import score, seed_article_key
    from treaties.seed import load_seed_data

    load_seed_data()
    article = SEED_ARTICLE.read_text()
    published_on = datetime.date(2022, 11, 8)
    _, known = seed_article_key()

    found = extract(article, published_on, Lexicon.from_database())
    result = score(article, found, known)
    print(f"Seed article: {result.known} known statements, {result.proposed} proposed.")
    print(
        f"Recall (right speaker, date and precision): {result.found}/{result.known} "
        f"= {result.recall:.0%}"
    )
    print(
        f"Recall (and the right kind as well):        {result.found_with_kind}/{result.known} "
        f"= {result.recall_with_kind:.0%}"
    )
    print(
        f"Precision of statement proposals:           {result.right_proposals}/"
        f"{result.proposed} = {result.precision:.0%}"
    )
    for miss in result.misses:
        print(f"  missed: {miss}")
    print(f"Event proposals: {len(found.events)}; new actors proposed: {len(found.new_actors)}")

    editor = User.objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    form = {
        "text": article,
        "published_on": published_on.isoformat(),
        "language": "en",
    }
    timings, extraction = [], []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.post(reverse("admin:intake_intake_add"), form, follow=True)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        extraction.append(response.context["intake"].extraction_ms)
    print(
        f"\nPaste to review screen ({runs} runs): median {statistics.median(timings):.0f} ms, "
        f"worst {max(timings):.0f} ms (extraction alone: median "
        f"{statistics.median(extraction):.0f} ms)."
    )


if __name__ == "__main__":
    main()
