"""Benchmark: every public page and the admin lists against a large record.

Loads 10,000 statements, 2,000 events and 1,000 actors (with aliases and roles) into a
throwaway database, requests each page with Django's test client N times, and prints the
median and 95th-percentile time in milliseconds and the number of queries per request.
The database is created for the run and dropped at the end, whatever happens.

    .venv/bin/python bench/site_pages.py [--runs 20] [--statements 10000]   (or: make bench)
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH_DATABASE = "bench_site_pages"


def words(text: str) -> list[str]:
    return text.split()


VOCABULARY = words(
    "treaty inspections warheads launchers missiles strategic stability dialogue contacts "
    "commission deterrence escalation arsenal verification consultations provocation whim "
    "notification exercise suspension extension withdrawal compliance limits delegation "
    "bombers submarines silos reclassification moratorium talks sanctions security "
    "channel nuclear doctrine parity transparency data exchange notifications Geneva "
    "Cairo Moscow Washington ministry spokeswoman briefing interview statement press "
    "conference"
)
FIRST = words("Maria Sergey Nikolai Yuri Bonnie Jake Dmitry Vladimir Anna Rose Pavel Olga")
LAST = words("Ivanov Petrova Smith Jones Orlov Kuznetsova Brown Volkov Miller Sokolova Novak")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per URL (default 20)")
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--actors", type=int, default=1_000)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    # Always our own database, never a test database another run may be using.
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
        started = time.perf_counter()
        load(args.statements, args.events, args.actors)
        print(f"Loaded in {time.perf_counter() - started:.1f} s.\n", flush=True)
        measure(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        print(f"\nDropped {BENCH_DATABASE}.")


def load(n_statements, n_events, n_actors):
    from django.db import connection

    from treaties.models import (
        Actor,
        ActorAlias,
        ActorKind,
        Event,
        EventKind,
        Role,
        Source,
        Statement,
        Status,
        Treaty,
        TreatyKind,
        TreatyStatus,
    )

    rng = random.Random(1987)

    def sentence(words):
        return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."

    def day():
        return datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9500))

    treaties = Treaty.objects.bulk_create(
        [
            Treaty(
                name=f"Treaty on {name}",
                short_name=name,
                slug=name.lower().replace(" ", "-"),
                kind=TreatyKind.BILATERAL,
                status=TreatyStatus.IN_FORCE,
                summary=sentence(40),
            )
            for name in ["New START", "INF", "Open Skies", "CTBT", "NPT", "CFE", "ABM", "SALT II"]
        ]
    )
    states = Actor.objects.bulk_create(
        [
            Actor(name="Russia", slug="russia", kind=ActorKind.STATE, country="RU"),
            Actor(name="United States", slug="united-states", kind=ActorKind.STATE, country="US"),
        ]
    )
    zakharova = Actor.objects.create(
        name="Maria Zakharova", slug="maria-zakharova", kind=ActorKind.PERSON, country="RU"
    )
    ActorAlias.objects.bulk_create(
        ActorAlias(actor=zakharova, name=name)
        for name in ["María Zajárova", "Zajárova", "Мария Захарова", "Maria Sacharowa"]
    )
    people = Actor.objects.bulk_create(
        [
            Actor(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                slug=f"person-{n}",
                kind=ActorKind.PERSON,
                country=rng.choice(["RU", "US", "US", "RU", ""]),
                description=sentence(12),
            )
            for n in range(n_actors - 3)
        ]
    )
    actors = [zakharova, *people]
    ActorAlias.objects.bulk_create(
        ActorAlias(actor=actor, name=f"{actor.name} ({suffix})")
        for actor in people
        for suffix in rng.sample(["ru", "es", "de"], k=rng.randrange(3))
    )
    Role.objects.bulk_create(
        Role(actor=actor, title="Official", organisation=rng.choice(states)) for actor in actors
    )
    sources = Source.objects.bulk_create(
        Source(title=sentence(8), url=f"https://example.org/{n}", outlet=rng.choice(states))
        for n in range(n_statements // 20)
    )
    statements = Statement.objects.bulk_create(
        Statement(
            speaker=rng.choice(actors),
            source=rng.choice(sources),
            text=sentence(rng.randrange(12, 60)),
            setting_detail=sentence(5),
            date=day(),
            status=Status.PUBLISHED if rng.random() < 0.95 else Status.DRAFT,
            slug=f"statement-{n}",
        )
        for n in range(n_statements - 1)
    )
    statements.append(
        Statement.objects.create(
            speaker=zakharova,
            source=sources[0],
            text="We maintain, let’s put it that way, specific contacts with the United States.",
            date=datetime.date(2022, 11, 8),
            status=Status.PUBLISHED,
        )
    )
    Statement.treaties.through.objects.bulk_create(
        Statement.treaties.through(statement=statement, treaty=treaty)
        for statement in statements
        for treaty in rng.sample(treaties, k=rng.randrange(1, 3))
    )
    events = Event.objects.bulk_create(
        Event(
            title=sentence(6),
            slug=f"event-{n}",
            description=sentence(30),
            kind=rng.choice(EventKind.values),
            date=day(),
            source=rng.choice(sources),
            status=Status.PUBLISHED,
        )
        for n in range(n_events)
    )
    Event.treaties.through.objects.bulk_create(
        Event.treaties.through(event=event, treaty=rng.choice(treaties)) for event in events
    )
    Event.actors.through.objects.bulk_create(
        Event.actors.through(event=event, actor=actor)
        for event in events
        for actor in rng.sample(actors, k=2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{Statement.objects.count():,} statements, {Event.objects.count():,} events, "
        f"{Actor.objects.count():,} actors, {ActorAlias.objects.count():,} aliases."
    )


URLS = [
    ("home", "/", {}),
    ("treaty New START", "/treaties/new-start/", {}),
    ("actor Zakharova", "/actors/maria-zakharova/", {}),
    ("actor, a busy speaker", "/actors/person-1/", {}),
    ("statement permalink", "PERMALINK", {}),
    ("event page", "/events/event-1/", {}),
    ("timeline", "/timeline/", {}),
    ("timeline, page 200", "/timeline/?page=200", {}),
    ("timeline, New START", "/timeline/?treaty=new-start", {}),
    ("timeline, one speaker", "/timeline/?actor=maria-zakharova&kind=statements", {}),
    ("timeline, htmx load more", "/timeline/?page=3", {"HX-Request": "true", "HX-Target": "more"}),
    ("who said what, New START", "/who-said-what/?treaty=new-start", {}),
    ("search Zakharova", "/search/?q=Zakharova", {}),
    ("search Zajarova", "/search/?q=Zajarova", {}),
    ("search Захарова", "/search/?q=%D0%97%D0%B0%D1%85%D0%B0%D1%80%D0%BE%D0%B2%D0%B0", {}),
    ("search zakharova specific contacts", "/search/?q=zakharova+specific+contacts", {}),
    ("search new start", "/search/?q=new+start", {}),
    ("search inspections, statements", "/search/?q=inspections&kind=statements", {}),
    ("search 'mis' as typed, htmx", "/search/?q=mis", {"HX-Request": "true"}),
    ("admin: statements list", "/admin/treaties/statement/", {}),
    ("admin: actors list", "/admin/treaties/actor/", {}),
    ("admin: events list", "/admin/treaties/event/", {}),
]


def measure(runs):
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from treaties.models import Statement

    public, editor = Client(), Client()
    editor.force_login(User.objects.create_superuser("bench", password=None))
    permalink = Statement.objects.published().latest("date").get_absolute_url()
    print(f"{'page':<38} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url, headers in URLS:
        url = permalink if url == "PERMALINK" else url
        client = editor if url.startswith("/admin/") else public
        client.get(url, headers=headers)  # warm up caches and connections
        timings = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        print(
            f"{label:<38} {response.status_code:>6} {statistics.median(timings):>10.1f} "
            f"{p95:>8.1f} {len(queries.captured_queries):>8}",
            flush=True,
        )


if __name__ == "__main__":
    main()
