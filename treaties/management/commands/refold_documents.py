import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from treaties.models import Refold
from treaties.refolds import refold_batch


class Command(BaseCommand):
    help = (
        "Fold speakers' and treaties' new names and aliases into their statements' search "
        "documents, where there were too many statements to do it while the editor waited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--follow",
            action="store_true",
            help="keep folding as jobs are queued, until stopped (the worker)",
        )
        parser.add_argument(
            "--pause",
            type=float,
            default=2.0,
            help="seconds to wait when nothing is queued, with --follow (default 2)",
        )

    def handle(self, *, follow, pause, verbosity, **options):
        folded = self.fold_all()
        if verbosity:
            left = Refold.objects.count()
            self.stdout.write(f"Folded {folded:,} statements again; {left} jobs queued.")
        while follow:
            time.sleep(pause)
            try:
                self.fold_all()
            except DatabaseError as error:
                # A restarted database, or a deadlock with an editor's save: the batch was
                # rolled back and stays queued; try again with a fresh connection.
                self.stderr.write(f"Folding stopped by the database: {error}")
                close_old_connections()

    def fold_all(self) -> int:
        folded = 0
        while (done := refold_batch()) is not None:
            folded += done
        return folded
