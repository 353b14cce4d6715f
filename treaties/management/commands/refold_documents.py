import time

from django.core.management.base import BaseCommand

from treaties.models import Refold
from treaties.refolds import refold_batch


class Command(BaseCommand):
    help = (
        "Fold the speakers' new names and aliases into their statements' search documents, "
        "for speakers with too many statements to do it while the editor waited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--follow",
            action="store_true",
            help="keep folding as speakers are queued, until stopped (the worker)",
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
            self.stdout.write(f"Folded {folded:,} statements again; {left} speakers queued.")
        while follow:
            time.sleep(pause)
            self.fold_all()

    def fold_all(self) -> int:
        folded = 0
        while (done := refold_batch()) is not None:
            folded += done
        return folded
