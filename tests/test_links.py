"""Remembered addresses (treaties/links.py): the same as reverse(), under any script prefix."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from treaties import links
from treaties.context_processors import SiteUrls
from treaties.links import address


def test_an_address_is_what_reverse_gives():
    assert address("treaties:actor_detail", slug="maria-zakharova") == reverse(
        "treaties:actor_detail", kwargs={"slug": "maria-zakharova"}
    )
    assert address("treaties:source_detail", pk=7) == "/sources/7/"


def test_statements_and_events_link_through_it():
    from treaties.models import Event, Statement

    links._reversed.cache_clear()
    for _ in range(2):
        assert Statement(pk=12, slug="on-contacts").get_absolute_url() == "/q/12/on-contacts/"
        assert Statement(pk=12, slug="").get_absolute_url() == "/q/12/-/"
        assert Event(slug="extension").get_absolute_url() == reverse(
            "treaties:event_detail", kwargs={"slug": "extension"}
        )
    # Reversed once each, then remembered.
    assert links._reversed.cache_info()[:2] == (3, 3)  # hits, misses


def test_an_address_follows_the_script_prefix():
    assert address("treaties:treaty_detail", slug="new-start") == "/treaties/new-start/"
    set_script_prefix("/record/")
    try:
        assert address("treaties:treaty_detail", slug="new-start") == (
            "/record/treaties/new-start/"
        )
    finally:
        clear_script_prefix()
    assert address("treaties:treaty_detail", slug="new-start") == "/treaties/new-start/"


def test_an_address_follows_the_urlconf(settings):
    assert address("treaties:topic_detail", slug="inspections") == "/topics/inspections/"
    settings.ROOT_URLCONF = "tests.urls_moved"
    assert address("treaties:topic_detail", slug="inspections") == "/moved/topics/inspections/"


@pytest.mark.django_db
def test_the_layout_links_to_the_sections_through_remembered_addresses(client):
    template = engines["django"].from_string("{{ urls.treaty_list }} {{ urls.search }}")
    assert template.render({"urls": SiteUrls()}) == f"{reverse('treaties:treaty_list')} /search/"
    with pytest.raises(NoReverseMatch):  # a typo fails as {% url %} would, not silently
        SiteUrls()["treaty_lists"]
    client.get(reverse("treaties:topic_list"))
    hits = links._reversed.cache_info().hits
    page = client.get(reverse("treaties:topic_list")).content.decode()
    assert links._reversed.cache_info().hits >= hits + 18  # the layout's, at least
    assert f'<a href="{reverse("treaties:who_said_what")}">Who said what</a>' in page
    assert f'action="{reverse("treaties:search")}"' in page
