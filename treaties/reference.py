"""Short lists that the list pages show on every request and that change only when an editor
changes an actor, a treaty or a topic: the options of the timeline's and who said what's
filters, and the names of the states that who said what groups speakers under.

Read from Django's cache (Redis in production, shared by every web process), so that a page
shows them without a query: each was a query and its objects, 0.6-1.7 ms of a 20 ms page at
1,000,000 statements. A treaty or topic chosen in a filter is one of these records, so
choosing one costs no query either. A save or delete of an actor, treaty or topic drops
them, and they are read again at most a minute later anyway: the most quoted speakers change
as statements are published, and a cache in each process's memory (no REDIS_URL) is dropped
only in the process that saved.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

from .models import Actor, StatementTally, Topic, Treaty

# Pickled in the cache: a new shape needs a new key, or a process would read the old one.
KEY = "reference-lists:2"
SECONDS = 60
# How many speakers the timeline's actor select offers: the most quoted.
SPEAKERS = 100


@dataclass(frozen=True)
class ReferenceLists:
    treaties: list[Treaty]  # their slugs and short names, by short name
    topics: list[Topic]  # their slugs and names, by name
    speakers: list[tuple[str, str]]  # (slug, name) of the most quoted, by name
    states: dict[str, str]  # country code: the name of the state

    def speakers_with(self, slug: str) -> list[tuple[str, str]]:
        """The most quoted speakers, and the actor slug names when it is not among them (an
        actor page's timeline link chooses any actor): one query, only then."""
        if not slug or any(slug == chosen for chosen, _ in self.speakers):
            return self.speakers
        offered = Actor.objects.filter(Q(pk__in=_most_quoted()) | Q(slug=slug))
        return list(offered.order_by("name").values_list("slug", "name"))


def cache_key() -> str:
    """KEY for this site's database: the records hold its ids, and a Redis may serve others
    (a staging site's, a test run's)."""
    database = connections[DEFAULT_DB_ALIAS].settings_dict
    return f"{KEY}:{database['HOST']}:{database['PORT']}/{database['NAME']}"


def reference_lists() -> ReferenceLists:
    key = cache_key()
    lists = cache.get(key)
    if lists is None:
        lists = _read()
        cache.set(key, lists, SECONDS)
    return lists


def _most_quoted():
    return StatementTally.objects.speakers().values("speaker_id")[:SPEAKERS]


def _read() -> ReferenceLists:
    # From the primary: a replica may not yet have the change that dropped the lists, and
    # would have them kept as they were for a minute.
    actors = Actor.objects.using(DEFAULT_DB_ALIAS)
    states = actors.states().exclude(country="").order_by("country", "name")
    return ReferenceLists(
        treaties=list(
            Treaty.objects.using(DEFAULT_DB_ALIAS).order_by("short_name").only("slug", "short_name")
        ),
        topics=list(Topic.objects.using(DEFAULT_DB_ALIAS).order_by("name").only("slug", "name")),
        speakers=list(
            actors.filter(pk__in=_most_quoted()).order_by("name").values_list("slug", "name")
        ),
        # A country with two states' records (a renamed state) is named by the last by name.
        states=dict(states.values_list("country", "name")),
    )


def forget(**kwargs):
    """Drop the lists (a receiver of post_save and post_delete: see TreatiesConfig.ready):
    now, and again once the change is committed, since a page made in between would have
    kept the lists as they were."""
    key = cache_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
