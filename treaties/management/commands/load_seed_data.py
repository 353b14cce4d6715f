"""Load the seed article's facts (treaties/seed.py). Safe to run any number of times: it
creates only what has never existed, and never overwrites or brings back editors' changes."""

from django.core.management.base import BaseCommand

from treaties.seed import describe, load_seed_data


class Command(BaseCommand):
    help = "Load the seed data: treaties, actors, sources, statements and events."

    def handle(self, *args, **options):
        self.stdout.write(describe(load_seed_data()))
