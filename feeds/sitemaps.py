"""sitemap.xml: an index of sections, each split into pages of at most URLS_PER_PAGE records.

Django's own sitemap paginator counts every row and pages with OFFSET; at a million
statements that is a full count per request. Here page n of a section holds the records with
ids in ((n - 1) * URLS_PER_PAGE, n * URLS_PER_PAGE], read by a primary-key range scan, and the
number of pages comes from the highest id (one index probe). A page may hold fewer URLs
than that (drafts, deleted rows), never more.
"""

import math
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from treaties.models import Actor, Event, Source, Statement, StatementTally, Topic, Treaty

# A page of a thousand URLs takes some 50 ms to write at any size of the table (5,000 took
# 350 ms); search engines accept 50,000 pages of sitemaps in one index.
URLS_PER_PAGE = 1000


class IdRangePaginator:
    """What Django's sitemap views use of a paginator (num_pages, page(n).object_list)."""

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self) -> int:
        # The whole table's highest id, one probe of its primary key: the highest id among
        # the section's records (published, public) could mean a scan to find it.
        top = self.queryset.model._default_manager.aggregate(top=Max("pk"))["top"]
        return max(1, math.ceil((top or 0) / self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        low, high = (number - 1) * self.per_page, number * self.per_page
        rows = self.queryset.filter(pk__gt=low, pk__lte=high).order_by("pk")
        return SimpleNamespace(object_list=rows)


class RecordSitemap(Sitemap):
    limit = URLS_PER_PAGE

    def lastmod(self, record):
        return record.updated_at

    @cached_property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        # The base class would read every item; the index lists sections without a date.
        return None


class TreatySitemap(RecordSitemap):
    def items(self):
        return Treaty.objects.only("pk", "slug", "updated_at")


class ActorSitemap(RecordSitemap):
    def items(self):
        return Actor.objects.only("pk", "slug", "updated_at")


class StatementSitemap(RecordSitemap):
    def items(self):
        return Statement.objects.published().only("pk", "slug", "updated_at")


class EventSitemap(RecordSitemap):
    def items(self):
        return Event.objects.published().only("pk", "slug", "updated_at")


class SourceSitemap(RecordSitemap):
    def items(self):
        return Source.objects.public().only("pk", "updated_at")


class TopicSitemap(RecordSitemap):
    """A topic's page changes when a statement is filed under it: its lastmod is the date of
    its latest published statement, from the summary row the database keeps per topic."""

    def items(self):
        latest = StatementTally.objects.filter(
            speaker_id=0, treaty_id=0, topic_id=OuterRef("pk"), year=0
        ).values("latest")[:1]
        return Topic.objects.only("pk", "slug").annotate(latest=Subquery(latest))

    def lastmod(self, topic):
        return topic.latest


class PageSitemap(Sitemap):
    """The pages that are not records: the home page, the lists and the directories."""

    def items(self):
        return [
            "treaties:home",
            "treaties:timeline",
            "treaties:who_said_what",
            "treaties:treaty_list",
            "treaties:actor_list",
            "treaties:source_list",
            "treaties:topic_list",
            "treaties:event_list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "treaties": TreatySitemap,
    "actors": ActorSitemap,
    "statements": StatementSitemap,
    "events": EventSitemap,
    "sources": SourceSitemap,
    "topics": TopicSitemap,
}
