from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from armscontrol.backup import restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by backup_database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup written by backup_database (pg_dump -Fc)")

    def handle(self, *args, file, **options):
        connection.close()  # our own session must not hold a lock on what is dropped
        try:
            restore(Path(file), connection.settings_dict)
        except (RuntimeError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        # pg_dump leaves the planner's statistics out, so the restored tables have none until
        # autovacuum gets to them, and with none the planner guesses: planned so, generate_data's
        # bulk load built a bitmap of every published statement once for each of 50,000
        # sources. The search reads its word frequencies from them too.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Restored from {file}")
