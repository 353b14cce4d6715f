import math
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from treaties import recent_index
from treaties.merges import run_queued
from treaties.models import QueuedMerge, Refold
from treaties.refolds import refold_batch

# How often the recent statements' index is checked (two bounded walks of the date index,
# 0.4-0.7 s at 1,000,000 statements): it is moved when twice as many statements as it was
# built for are dated after its cutoff, which takes weeks of a busy site's entries.
INDEX_CHECKED_EVERY = 600


class Command(BaseCommand):
    help = (
        "The worker: do what was too large to do while an editor waited. Fold speakers' and "
        "treaties' new names and aliases into their statements' search documents "
        "(treaties/sql/refold.sql), carry out the merges queued in the admin "
        "(treaties/merges.py), and keep the recent statements' search index current "
        "(treaties/recent_index.py)."
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
        self.index_checked_at = -math.inf
        folded, merged = self.work()
        self.keep_index_current(verbosity)
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
                self.keep_index_current(verbosity)
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

    def keep_index_current(self, verbosity: int) -> None:
        """The recent statements' search index checked, every INDEX_CHECKED_EVERY seconds,
        whether or not the check succeeds (a build that fails is not tried again at once)."""
        if time.monotonic() - self.index_checked_at < INDEX_CHECKED_EVERY:
            return
        self.index_checked_at = time.monotonic()
        if recent_index.keep_current() and verbosity:
            cutoff = recent_index.current_cutoff()
            self.stdout.write(
                f"The recent statements' search index now holds those dated from {cutoff}."
                if cutoff
                else "The recent statements' search index is gone: too few statements."
            )
