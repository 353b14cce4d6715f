"""{% feed_for %}: the Atom feed that follows what a list shows, for its <head> and its body."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str


@register.simple_tag
def feed_for(*, actor=None, topic=None, treaty=None, query=""):
    """The feed of the list's most specific subject: an actor's statements, a topic's, a
    treaty's, a search's; else every new statement. (A feed follows one subject: the
    timeline of an actor on a treaty offers the actor's feed.)"""
    if actor:
        return FeedLink(reverse("feeds:actor", args=[actor.slug]), f"Statements by {actor.name}")
    if topic:
        return FeedLink(reverse("feeds:topic", args=[topic.slug]), f"Statements on {topic.name}")
    if treaty:
        return FeedLink(
            reverse("feeds:treaty", args=[treaty.slug]), f"Statements on {treaty.short_name}"
        )
    if query:
        return FeedLink(
            f"{reverse('feeds:search')}?{urlencode({'q': query})}",
            f"Statements matching “{query}”",
        )
    return FeedLink(reverse("feeds:statements"), "New statements")
