"""Benchmark: the editors' admin pages at full size.

Django's admin counts, groups and sorts whole tables on its list pages, and lists every row
that points to a record on its delete pages (treaties/admin_lists.py, treaties/admin.py say
what is done instead). On the database `bench_scale_<N>` that bench/scale.py keeps (made and
filled the first time), with the web's statement timeout, this requests each kind of admin
page as a superuser through Django's test client, three times, and prints the fastest time,
the queries and the status (503: cancelled by the statement timeout). The pages' goal is the
site's: well inside 100 ms of database work, and never a timeout. Last, it times the action
"Unpublish selected" on the latest 100 and 500 statements, once each, rolled back.

    .venv/bin/python bench/admin.py                          (10,000 statements)
    .venv/bin/python bench/admin.py --statements 1000000     (make bench STATEMENTS=1000000)
"""

import argparse
import logging
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))
sys.path.insert(0, str(BASE_DIR))

from scale import prepare_database, setup_django  # noqa: E402

TRIES = 3
USERNAME = "bench-admin"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    args = parser.parse_args()
    url = prepare_database(args.statements, fresh=False)
    setup_django(url, ALLOWED_HOSTS="testserver")
    # A refused lookup is logged with its traceback, three times a page: the status column
    # says it was refused.
    logging.getLogger("django.security").setLevel(logging.CRITICAL)
    from django.contrib.auth.models import User
    from django.test import Client

    User.objects.filter(username=USERNAME).delete()
    user = User.objects.create_superuser(USERNAME, password=None)
    try:
        client = Client()
        client.force_login(user)
        print(f"\n{args.statements:,} statements; fastest of {TRIES}, as a superuser:")
        print(f"{'page':62} {'ms':>7} {'queries':>7} status")
        for label, path in pages():
            print(f"{label:62} " + measure(client, path), flush=True)
        for count in (100, 500):
            label = f"unpublish the latest {count} statements (rolled back)"
            print(f"{label:62} " + unpublish(client, count), flush=True)
    finally:
        user.delete()


def pages() -> list[tuple[str, str]]:
    from django.db.models import Count
    from django.urls import reverse

    from treaties.models import Source, StatementTally, Topic

    def tally_leader(**keys):
        return StatementTally.objects.filter(**keys).order_by("-statements").first()

    speaker = tally_leader(treaty_id=0, topic_id=0, year=0, speaker_id__gt=0)
    treaty = tally_leader(speaker_id=0, topic_id=0, year=0, treaty_id__gt=0)
    topic = tally_leader(speaker_id=0, treaty_id=0, year=0, topic_id__gt=0)
    # The source with the most statements, whose page shows them all inline (a whole-table
    # count, once, to choose the page: the benchmark's work, not a page's).
    source = Source.objects.annotate(n=Count("statements")).order_by("-n").first()

    def admin(model, view="changelist", *args, **query):
        path = reverse(f"admin:treaties_{model}_{view}", args=args)
        return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    found = [
        ("statement list", admin("statement")),
        ("statement list, search 'Ryabkov'", admin("statement", q="Ryabkov")),
        ("statement list, search 'treaty'", admin("statement", q="treaty")),
        ("statement list, search a number", admin("statement", q="1000007")),
        ("statement list, drafts", admin("statement", status__exact="draft")),
        ("statement list, a year", admin("statement", year="2022")),
        ("statement list, a kind", admin("statement", kind__exact="quote")),
        # Values few statements have: found from an index of their own, not the date index
        # walked past the others.
        ("statement list, a rare kind", admin("statement", kind__exact="paraphrase")),
        ("statement list, a kind none has", admin("statement", kind__exact="written")),
        ("statement list, dated to the month", admin("statement", date_precision__exact="month")),
        ("statement list, a setting", admin("statement", setting__exact="speech")),
        ("statement list, no such kind (refused)", admin("statement", kind__exact="misquote")),
        ("statement list, sorted by words (refused: by date)", admin("statement", o="1")),
        ("statement list, counts beside the filters (refused)", admin("statement", _facets=1)),
        ("source list", admin("source")),
        ("source list, 99th page", admin("source", p="99")),
        (
            "statement list, a lookup it does not offer (refused)",
            admin("statement", text__icontains="treaty"),
        ),
        (
            "statement autocomplete, a number",
            reverse("admin:autocomplete") + "?app_label=intake&model_name=proposal"
            "&field_name=statement&term=19",
        ),
        (
            "event list, fifty words searched (the first 8 read)",
            admin("event", q="+".join(["arms", "talks"] * 25)),
        ),
        ("source list, search 'treaty'", admin("source", q="treaty")),
        ("topic list", admin("topic")),
        ("actor list", admin("actor")),
        ("event list", admin("event")),
        ("statement page", admin("statement", "change", 1)),
        ("statement form, new", admin("statement", "add")),
    ]
    if speaker:
        found += [
            (f"actor page ({speaker.statements:,} statements)",
             admin("actor", "change", speaker.speaker_id)),
            ("actor delete page (refused)", admin("actor", "delete", speaker.speaker_id)),
        ]  # fmt: skip
    if treaty:
        found += [
            (f"statement list, one treaty ({treaty.statements:,})",
             admin("statement", treaties__id__exact=treaty.treaty_id)),
            ("treaty delete page (refused)", admin("treaty", "delete", treaty.treaty_id)),
        ]  # fmt: skip
    if topic and Topic.objects.filter(pk=topic.topic_id).exists():
        found.append(("topic delete page", admin("topic", "delete", topic.topic_id)))
    if source:
        found.append((f"source page ({source.n} statements inline)",
                      admin("source", "change", source.pk)))  # fmt: skip
    return found


def unpublish(client, count: int) -> str:
    """The admin's "Unpublish selected" on the latest statements (each the latest of its
    tallies, the costliest to take away), timed once and rolled back."""
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from treaties.models import Statement

    latest = Statement.objects.filter(status="published").order_by("-date", "-id")
    ids = [str(pk) for pk in latest.values_list("pk", flat=True)[:count]]
    data = {"action": "unpublish", ACTION_CHECKBOX_NAME: ids}
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        status = client.post(reverse("admin:treaties_statement_changelist"), data).status_code
        elapsed = (time.perf_counter() - started) * 1000
        unpublished = Statement.objects.filter(pk__in=ids, status="draft").count()
        transaction.set_rollback(True)
    if unpublished != count:
        raise SystemExit(f"The action unpublished {unpublished} of {count}.")
    return f"{elapsed:7.0f} {len(captured):7} {status}"


def measure(client, path: str) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, status, queries = [], None, 0
    for _ in range(TRIES):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status = client.get(path).status_code
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return f"{min(timings):7.0f} {queries:7} {status}"


if __name__ == "__main__":
    main()
