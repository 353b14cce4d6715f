"""Atom feeds of published statements, newest first: every statement, a treaty's, an actor's,
a topic's, and those matching a search.

Each feed is the FEED_LENGTH latest statements by (date, id), cut with LIMIT: for all
statements the (status, date) index gives that order; for a speaker the (speaker, date) one;
a treaty's or a topic's go through the many-to-many join; a search through the GIN index on
the statement's own words.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.text import Truncator

from treaties.models import Actor, Statement, Topic, Treaty
from treaties.search import MAX_QUERY_LENGTH, matching_every_prefix, words

FEED_LENGTH = 50


def latest(statements):
    return (
        statements.select_related("speaker")
        .prefetch_related("treaties")
        .defer("search_vector")
        .order_by("-date", "-id")[:FEED_LENGTH]
    )


class StatementFeed(Feed):
    """Every published statement, the newest first."""

    feed_type = Atom1Feed

    def title(self, obj=None):
        return f"New statements · {settings.SITE_NAME}"

    def subtitle(self, obj=None):
        return "Who said what about arms control: the latest statements on record, with sources."

    def link(self, obj=None):
        return reverse("treaties:timeline")

    def items(self, obj=None):
        return latest(Statement.objects.published())

    def item_title(self, statement):
        return f"{statement.speaker}: “{Truncator(statement.text).words(16)}”"

    def item_description(self, statement):
        # Atom's summary is HTML: the words are escaped, then wrapped.
        return format_html(
            "<p>{}</p><p>{}, {}</p>", statement.text, statement.speaker, statement.display_date
        )

    def item_link(self, statement):
        return statement.get_absolute_url()

    def item_pubdate(self, statement):
        return datetime.datetime.combine(statement.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, statement):
        return statement.updated_at

    def item_author_name(self, statement):
        return statement.speaker.name if statement.speaker else None

    def item_categories(self, statement):
        return [treaty.short_name for treaty in statement.treaties.all()]


class TreatyFeed(StatementFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Treaty.objects.only("pk", "slug", "short_name"), slug=slug)

    def title(self, treaty):
        return f"Statements on {treaty.short_name} · {settings.SITE_NAME}"

    def subtitle(self, treaty):
        return f"The latest statements about {treaty.short_name}."

    def link(self, treaty):
        return treaty.get_absolute_url()

    def items(self, treaty):
        return latest(Statement.objects.published().about_treaty(treaty))


class ActorFeed(StatementFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Actor.objects.only("pk", "slug", "name"), slug=slug)

    def title(self, actor):
        return f"Statements by {actor.name} · {settings.SITE_NAME}"

    def subtitle(self, actor):
        return f"The latest statements by {actor.name}."

    def link(self, actor):
        return actor.get_absolute_url()

    def items(self, actor):
        return latest(Statement.objects.published().by_actor(actor))


class TopicFeed(StatementFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.only("pk", "slug", "name"), slug=slug)

    def title(self, topic):
        return f"Statements on {topic.name} · {settings.SITE_NAME}"

    def subtitle(self, topic):
        return f"The latest statements on the topic “{topic.name}”."

    def link(self, topic):
        return f"{reverse('treaties:who_said_what')}?{urlencode({'topic': topic.slug})}"

    def items(self, topic):
        return latest(Statement.objects.published().filter(topics=topic))


class SearchFeed(StatementFeed):
    """Statements whose own words match every word of ?q= (as prefixes, like the search page;
    speakers' names are not searched here), the newest first."""

    def get_object(self, request):
        query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
        terms = words(query)
        if not terms:
            raise Http404("Say what to search for: ?q=words")
        return " ".join(terms)

    def title(self, query):
        return f"Statements matching “{query}” · {settings.SITE_NAME}"

    def subtitle(self, query):
        return f"The latest statements whose words match “{query}”."

    def link(self, query):
        return f"{reverse('treaties:search')}?{urlencode({'q': query})}"

    def items(self, query):
        return latest(Statement.objects.published().filter(matching_every_prefix(query.split())))
