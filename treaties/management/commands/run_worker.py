import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from treaties.merges import run_queued
from treaties.models import QueuedMerge, Refold
from treaties.refolds import refold_batch


class Command(BaseCommand):
    help = (
        "The worker: do what was too large to do while an editor waited. Fold speakers' and "
        "treaties' new names and aliases into their statements' search documents "
        "(treaties/sql/refold.sql), and carry out the merges queued in the admin "
        "(treaties/merges.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--follow",
            action="store_true",
            help="keep working as jobs are queued, until stopped",
        )
        parser.add_argument(
            "--pause",
            type=float,
            default=2.0,
            help="seconds to wait when nothing is queued, with --follow (default 2)",
        )

    def handle(self, *, follow, pause, verbosity, **options):
        folded, merged = self.work()
        if verbosity:
            refolds, merges = Refold.objects.count(), QueuedMerge.objects.waiting().count()
            self.stdout.write(
                f"Folded {folded:,} statements again and carried out {merged} queued merges; "
                f"{refolds} folds and {merges} merges queued."
            )
        while follow:
            time.sleep(pause)
            try:
                self.work()
            except DatabaseError as error:
                # A restarted database, or a deadlock with an editor's save: the batch or the
                # merge was rolled back and stays queued; try again with a fresh connection.
                self.stderr.write(f"Work stopped by the database: {error}")
                close_old_connections()

    def work(self) -> tuple[int, int]:
        """Every queued fold, then every queued merge: statements folded, merges carried out."""
        folded = merged = 0
        while (done := refold_batch()) is not None:
            folded += done
        while (job := run_queued()) is not None:
            merged += 1
            if job.succeeded is False:
                self.stderr.write(f"{job.task}: {job.outcome}")
        return folded, merged
