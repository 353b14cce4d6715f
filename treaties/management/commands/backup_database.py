from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from armscontrol.backup import backup


class Command(BaseCommand):
    help = "Write the database to a pg_dump custom-format file (default: var/backups/<time>.dump)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write the backup")

    def handle(self, *args, file=None, **options):
        path = Path(file or f"var/backups/armscontrol-{timezone.now():%Y%m%d-%H%M%S}.dump")
        try:
            backup(path, connection.settings_dict)
        except (RuntimeError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {path}")
