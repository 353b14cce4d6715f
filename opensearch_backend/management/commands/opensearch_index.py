import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from opensearchpy.exceptions import OpenSearchException

from opensearch_backend.client import opensearch as client
from opensearch_backend.indexing import (
    IndexingFailed,
    mark_ready,
    retry_refused,
    send_queued,
    set_up,
    stop_feeding,
)
from opensearch_backend.models import Queued, Refused

# With --follow, how long to wait after OpenSearch refused or did not answer.
RETRY_SECONDS = 10
# Records set aside listed at the end of a run.
SHOWN_REFUSED = 20


class Command(BaseCommand):
    help = (
        "Sets up the OpenSearch indexes (SEARCH_ENGINE=opensearch) and sends them what the "
        "database has queued: every record the first time, then each change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--recreate",
            action="store_true",
            help="delete the indexes and load everything again (after their definition changed)",
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="keep sending changes as they are queued, until stopped",
        )
        parser.add_argument(
            "--stop",
            action="store_true",
            help="stop queueing changes and empty the queue (back to PostgreSQL's own search); "
            "stop the indexer first: it sets the feeding up again when it starts",
        )
        parser.add_argument(
            "--retry-refused",
            dest="retry",
            action="store_true",
            help="queue again the records OpenSearch refused for their own reason (a mapping "
            "error, say), once the cause is mended",
        )
        parser.add_argument(
            "--pause",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty, with --follow (default 1)",
        )

    def handle(self, *, recreate, follow, stop, retry, pause, verbosity, **options):
        if stop:
            stop_feeding()
            self.stdout.write("Changes are no longer queued; the queue is empty.")
            return
        if not settings.OPENSEARCH_URL:
            raise CommandError("Set OPENSEARCH_URL to the OpenSearch server to feed.")
        opensearch = client(patient=True)
        if retry:
            self.stdout.write(f"{retry_refused():,} refused records are queued again.")
        set_up_done = False
        while True:
            try:
                if not set_up_done:
                    for name in set_up(opensearch, recreate=recreate):
                        self.stdout.write(f"Every record is queued for the index {name}.")
                    set_up_done = True
                sent = self.send(opensearch, verbosity)
                mark_ready()
            except (OpenSearchException, IndexingFailed) as error:
                if not follow:
                    raise CommandError(f"OpenSearch: {error}. The changes stay queued.") from error
                # Kept queued (or not set up yet); tried again when OpenSearch answers.
                self.stderr.write(f"OpenSearch: {error}. The changes stay queued.")
                time.sleep(RETRY_SECONDS)
                continue
            if not follow:
                break
            time.sleep(pause)
        left = Queued.objects.count()
        self.stdout.write(f"Sent {sent:,} changes; {left:,} still queued.")
        if refused := list(Refused.objects.order_by("kind", "record_id")[: SHOWN_REFUSED + 1]):
            more = "more than " if len(refused) > SHOWN_REFUSED else ""
            self.stderr.write(
                f"OpenSearch refused {more}{len(refused[:SHOWN_REFUSED])} records, set aside "
                "until they change again or --retry-refused:"
            )
            for record in refused[:SHOWN_REFUSED]:
                self.stderr.write(f"  {record}")

    def send(self, opensearch, verbosity) -> int:
        """Everything queued now, a batch at a time."""
        sent = 0
        while taken := send_queued(opensearch):
            sent += taken
            if verbosity > 1:
                self.stdout.write(f"  sent {sent:,}")
        return sent
