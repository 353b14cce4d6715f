"""Fill the database with generated, realistic-looking records for benchmarks.

Speakers and words follow Zipf-like laws (a few people say most; a few words are everywhere,
most are rare), as in real news. The seed's actors and treaties (load_seed_data) are the most
frequent speakers and treaties, so that searches for "Zakharova" or "New START" behave as
they would on real data. Rows go in with COPY, with the summary triggers switched off; the
search documents and summaries are then computed once for all (rebuild_statement_summaries),
and so are which sources are public (rebuild_public_sources).
"""

import datetime
import itertools
import random
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from treaties import recent_index
from treaties.models import Actor, ActorKind, Event, Source, Statement, Topic, Treaty, TreatyStatus
from treaties.seed import load_seed_data

DATA = Path(__file__).resolve().parents[2] / "data"
BATCH = 20_000
START, END = datetime.date(1985, 1, 1), datetime.date(2026, 10, 31)
SETTINGS = ["interview", "press_conference", "briefing", "speech", "official_statement", ""]
# Transliterations an editor would not type in, for the generated actors' aliases.
SPELLINGS = [("kh", "j"), ("v", "w"), ("sh", "ch"), ("y", "i"), ("ei", "ey")]
GENERATED_TREATIES = [
    "Comprehensive Test Ban",
    "Chemical Weapons",
    "Biological Weapons",
    "Outer Space",
    "Seabed Arms Control",
    "Non-Proliferation",
    "Anti-Ballistic Missile",
    "Conventional Armed Forces in Europe",
    "Threshold Test Ban",
    "Peaceful Nuclear Explosions",
    "SALT I Interim Agreement",
    "SALT II",
]


def zipf_weights(n: int, exponent: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, n + 1)))


def vocabulary() -> list[str]:
    lines = (DATA / "vocabulary.txt").read_text().splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def names() -> tuple[list[str], list[str]]:
    rows = {}
    for line in (DATA / "names.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            key, *values = line.split()
            rows[key] = values
    return rows["first"], rows["last"]


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, total: int, stream=sys.stderr):
        self.label, self.total, self.stream = label, total, stream
        self.started = time.monotonic()

    def update(self, done: int):
        width = 30
        filled = int(width * done / self.total) if self.total else width
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label:<12} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done:>9,}/{self.total:,} {elapsed:6.1f}s"
        )
        self.stream.flush()

    def close(self):
        self.stream.write("\n")


class Command(BaseCommand):
    help = "Add generated statements, actors, sources and events for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, default=10_000)
        parser.add_argument("--actors", type=int, default=None, help="default: 2 per 1,000")
        parser.add_argument("--sources", type=int, default=None, help="default: 1 per 20")
        parser.add_argument("--events", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (a production site)"
        )

    def handle(self, *args, statements, actors, sources, events, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("This adds made-up records; with DEBUG off, pass --force.")
        if statements < 0 or events < 0:
            raise CommandError("Counts cannot be negative.")
        actors = actors if actors is not None else max(50, statements // 500)
        sources = sources if sources is not None else max(20, statements // 20)
        self.random = random.Random(seed)
        self.words = vocabulary()
        self.word_weights = zipf_weights(len(self.words))
        load_seed_data()
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            # Foreign keys checked row by row: tables with pending deferred checks could not
            # have their triggers switched off and on (ALTER TABLE).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.now = timezone.now()
            treaty_ids = self.make_treaties()
            speaker_ids = self.make_actors(actors)
            source_ids = self.make_sources(sources)
            self.make_statements(statements, speaker_ids, treaty_ids, source_ids)
            self.make_events(events, speaker_ids, treaty_ids, source_ids)
            self.stdout.write("Computing search documents and summaries…")
            # Statistics first (ANALYZE counts this transaction's own rows): with none, the
            # planner guessed that few statements are published and ANDed that index's bitmap
            # of every statement with the source's, for each of the 50,000 sources whose
            # publicity is rebuilt: at 1,000,000 statements, over 35 minutes, not seconds.
            cursor.execute("ANALYZE")
            cursor.execute("SELECT rebuild_statement_summaries(), rebuild_public_sources()")
        self.stdout.write("Vacuuming and analysing…")
        with connection.cursor() as cursor:
            # Not only statistics: the search documents were written by an UPDATE, whose old
            # row versions go; index-only scans need the visibility map; the GIN index's
            # pending list is merged. Inside a transaction (a test) VACUUM cannot run.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        # What the worker would build within minutes, ready for a benchmark's first search.
        if recent_index.keep_current():
            self.stdout.write(
                f"Built the recent statements' search index, from {recent_index.current_cutoff()}."
            )
        self.stdout.write(
            f"Added {statements:,} statements, {actors:,} actors, {sources:,} sources and "
            f"{events:,} events in {time.monotonic() - started:.0f} s."
        )

    # Helpers -----------------------------------------------------------------------------

    def sentence(self, low: int, high: int) -> str:
        count = self.random.randint(low, high)
        words = self.random.choices(self.words, cum_weights=self.word_weights, k=count)
        return " ".join(words).capitalize() + "."

    def day(self) -> datetime.date:
        return START + datetime.timedelta(days=self.random.randrange((END - START).days))

    def reserve_ids(self, model, count: int) -> int:
        """The first of count ids taken from model's sequence, so COPY can name them."""
        table = model._meta.db_table
        self.cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        first = self.cursor.fetchone()[0]
        self.cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count]
        )
        return first

    def copy(self, table: str, columns: list[str], rows, *, label: str = "", total: int = 0):
        progress = Progress(label, total) if label else None
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.cursor.copy(sql) as copy:
            for done, row in enumerate(rows, 1):
                copy.write_row(row)
                if progress and done % BATCH == 0:
                    progress.update(done)
        if progress:
            if total % BATCH:
                progress.update(total)
            progress.close()

    # Records ------------------------------------------------------------------------------

    def make_treaties(self) -> list[int]:
        existing = set(Treaty.objects.values_list("slug", flat=True))
        for name in GENERATED_TREATIES:
            slug = slugify(name)
            if slug in existing:
                continue
            summary, signed_on = self.sentence(20, 40), self.day()
            # In force some months after the signing, unless that day has yet to come. The
            # delay is drawn apart from the main sequence, which stays what a seed gave before.
            delay = random.Random(slug).randint(60, 720)
            in_force_on = signed_on + datetime.timedelta(days=delay)
            if in_force_on > timezone.localdate():
                in_force_on = None
            Treaty.objects.create(
                name=f"{name} Treaty",
                short_name=name,
                slug=slug,
                kind="multilateral",
                status=TreatyStatus.IN_FORCE if in_force_on else TreatyStatus.NOT_IN_FORCE,
                summary=summary,
                signed_on=signed_on,
                in_force_on=in_force_on,
            )
        # The seed's treaties first: they are the most talked about.
        return list(Treaty.objects.order_by("created_at", "pk").values_list("pk", flat=True))

    def make_actors(self, count: int) -> list[int]:
        first_names, last_names = names()
        seeded = list(
            Actor.objects.filter(kind=ActorKind.PERSON).order_by("pk").values_list("pk", flat=True)
        )
        first_id = self.reserve_ids(Actor, count)
        taken = set(Actor.objects.values_list("slug", flat=True))
        actors, aliases = [], []
        for offset in range(count):
            pk = first_id + offset
            name = f"{self.random.choice(first_names)} {self.random.choice(last_names)}"
            slug = f"{slugify(name)}-{pk}"
            if slug in taken:
                continue
            country = self.random.choice(["RU", "US", "GB", "FR", "CN", "DE", "UA"])
            actors.append(
                (pk, "person", name, slug, country, self.sentence(8, 16), "", self.now, self.now)
            )
            spellings = {name}
            for old, new in self.random.sample(SPELLINGS, 2):
                spelling = name.replace(old, new)
                if spelling not in spellings:
                    spellings.add(spelling)
                    aliases.append((pk, spelling, "", "generated transliteration"))
        self.copy(
            "treaties_actor",
            [
                "id",
                "kind",
                "name",
                "slug",
                "country",
                "description",
                "wikidata_id",
                "created_at",
                "updated_at",
            ],
            actors,
        )
        self.copy("treaties_actoralias", ["actor_id", "name", "language", "note"], aliases)
        return seeded + [row[0] for row in actors]

    def make_sources(self, count: int) -> list[int]:
        outlets = list(Actor.objects.filter(kind=ActorKind.MEDIA).values_list("pk", flat=True)) or [
            None
        ]
        first_id = self.reserve_ids(Source, count)
        rows = (
            (
                first_id + offset,
                self.sentence(5, 12)[:-1],
                self.random.choice(outlets),
                "",
                f"https://news.example.org/{first_id + offset}",
                self.day(),
                "en",
                "",
                "",
                self.now,
                self.now,
            )
            for offset in range(count)
        )
        self.copy(
            "treaties_source",
            [
                "id",
                "title",
                "outlet_id",
                "author",
                "url",
                "published_on",
                "language",
                "archive_url",
                "notes",
                "created_at",
                "updated_at",
            ],
            rows,
            label="sources",
            total=count,
        )
        return list(range(first_id, first_id + count))

    def make_statements(self, count, speaker_ids, treaty_ids, source_ids):
        speaker_weights = zipf_weights(len(speaker_ids))
        treaty_weights = zipf_weights(len(treaty_ids), exponent=1.3)
        topic_ids = list(Topic.objects.values_list("pk", flat=True))
        first_id = self.reserve_ids(Statement, count)
        links, topic_links = [], []

        def rows():
            for offset in range(count):
                pk = first_id + offset
                text = self.sentence(30, 80)
                speaker = self.random.choices(speaker_ids, cum_weights=speaker_weights)[0]
                for treaty in set(
                    self.random.choices(
                        treaty_ids, cum_weights=treaty_weights, k=self.random.choice([0, 1, 1, 2])
                    )
                ):
                    links.append((pk, treaty))
                if topic_ids and self.random.random() < 0.4:
                    topic_links.append((pk, self.random.choice(topic_ids)))
                yield (
                    pk,
                    speaker,
                    text,
                    "",
                    "",
                    "quote",
                    self.day(),
                    "day",
                    False,
                    self.random.choice(SETTINGS),
                    "",
                    self.random.choice(source_ids) if source_ids else None,
                    "",
                    "",
                    "published",
                    slugify(" ".join(text.split()[:8]))[:80],
                    self.now,
                    self.now,
                )

        with self.triggers_off("treaties_statement", "treaties_statement_treaties"):
            self.copy(
                "treaties_statement",
                [
                    "id",
                    "speaker_id",
                    "text",
                    "original_text",
                    "original_language",
                    "kind",
                    "date",
                    "date_precision",
                    "date_approximate",
                    "setting",
                    "setting_detail",
                    "source_id",
                    "source_locator",
                    "editor_note",
                    "status",
                    "slug",
                    "created_at",
                    "updated_at",
                ],
                rows(),
                label="statements",
                total=count,
            )
            self.copy("treaties_statement_treaties", ["statement_id", "treaty_id"], links)
            with self.triggers_off("treaties_statement_topics"):
                self.copy("treaties_statement_topics", ["statement_id", "topic_id"], topic_links)
            self.stdout.write("Indexing the new statements' words…")
            self.cursor.execute(
                "UPDATE treaties_statement s SET search_vector = statement_document(s) "
                "WHERE id >= %s",
                [first_id],
            )

    def make_events(self, count, actor_ids, treaty_ids, source_ids):
        first_id = self.reserve_ids(Event, count)
        rows, links, actor_links = [], [], []
        kinds = ["meeting", "talks", "inspection", "report", "exercise", "other"]
        for offset in range(count):
            pk = first_id + offset
            title = self.sentence(4, 9)[:-1]
            rows.append(
                (
                    pk,
                    title,
                    f"{slugify(title)[:100]}-{pk}",
                    self.sentence(20, 40),
                    self.random.choice(kinds),
                    self.day(),
                    "day",
                    False,
                    "day",
                    "",
                    self.random.choice(source_ids) if source_ids else None,
                    "",
                    "",
                    "published",
                    self.now,
                    self.now,
                )
            )
            links.append((pk, self.random.choice(treaty_ids)))
            actor_links.append((pk, self.random.choice(actor_ids)))
        self.copy(
            "treaties_event",
            [
                "id",
                "title",
                "slug",
                "description",
                "kind",
                "date",
                "date_precision",
                "date_approximate",
                "end_precision",
                "location",
                "source_id",
                "source_locator",
                "editor_note",
                "status",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        self.copy("treaties_event_treaties", ["event_id", "treaty_id"], links)
        self.copy("treaties_event_actors", ["event_id", "actor_id"], actor_links)

    def triggers_off(self, *tables):
        """Switch the tables' own triggers off for a bulk load (the summaries are rebuilt
        afterwards); foreign keys are still checked."""
        command = self

        class Off:
            def __enter__(self):
                for table in tables:
                    command.cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")

            def __exit__(self, *exc):
                for table in tables:
                    command.cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

        return Off()
