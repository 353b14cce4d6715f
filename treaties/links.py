"""Addresses of the records that pages link to over and over: actors, treaties, topics,
sources, and the statements and events the busiest lists show.

A list names the same few speakers, outlets and treaties row after row, and each reverse()
costs some 20 µs: a treaty page asks for a hundred addresses, and a download of a million
rows spent a quarter of its time in reverse(). The home page, the timeline and who said
what show the same latest statements to reader after reader. An address depends only on
the view, its arguments, the script prefix and the URLconf in use, so it is kept under
those four.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# A few megabytes at most: more than the actors and treaties there are. The statements and
# sources of a long download come and go; the least recently used go first, so the
# speakers and treaties named row after row stay.
SIZE = 10_000


@functools.lru_cache(maxsize=SIZE)
def _reversed(viewname: str, prefix: str, urlconf, kwargs: tuple) -> str:
    # The prefix is in the key only: reverse() reads the same one itself.
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def address(viewname: str, **kwargs) -> str:
    """reverse(viewname, kwargs=kwargs), remembered."""
    return addresses()(viewname, **kwargs)


def addresses():
    """address(), for one request's many links: the script prefix and the URLconf, each a
    context-local lookup of some 4 µs, read once rather than at every link."""
    prefix = get_script_prefix()
    urlconf = get_urlconf() or settings.ROOT_URLCONF  # a request's own, or the site's

    def address_of(viewname: str, **kwargs) -> str:
        return _reversed(viewname, prefix, urlconf, tuple(sorted(kwargs.items())))

    return address_of
