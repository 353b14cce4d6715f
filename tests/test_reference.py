"""The list pages' filter options and the sides' names, kept in the cache (reference.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from tests.conftest import make_actor, make_statement, make_treaty
from treaties import reference
from treaties.filters import WhoSaidWhatFilterForm
from treaties.models import ActorKind, Topic
from treaties.reference import cache_key, reference_lists

pytestmark = pytest.mark.django_db


def test_the_lists_are_read_once_then_come_from_the_cache(django_assert_num_queries):
    make_treaty(short_name="New START", slug="new-start")
    Topic.objects.create(name="Verification", slug="verification")
    speaker = make_actor(name="Maria Zakharova", slug="maria-zakharova", country="RU")
    make_statement(speaker=speaker)
    make_actor(name="Russia", kind=ActorKind.STATE, country="RU")

    with django_assert_num_queries(4):  # treaties, topics, the most quoted, the states
        lists = reference_lists()
    with django_assert_num_queries(0):
        assert reference_lists() == lists
    assert [(treaty.slug, str(treaty)) for treaty in lists.treaties] == [("new-start", "New START")]
    assert [(topic.slug, str(topic)) for topic in lists.topics] == [
        ("verification", "Verification")
    ]
    assert lists.speakers == [("maria-zakharova", "Maria Zakharova")]
    assert lists.states == {"RU": "Russia"}


def test_saving_or_deleting_a_treaty_topic_or_actor_drops_them():
    reference_lists()
    treaty = make_treaty(short_name="INF", slug="inf")
    assert reference_lists().treaties == [treaty]
    topic = Topic.objects.create(name="Missiles", slug="missiles")
    assert reference_lists().topics == [topic]
    state = make_actor(name="United States", kind=ActorKind.STATE, country="US")
    assert reference_lists().states == {"US": "United States"}

    treaty.delete()
    topic.delete()
    state.delete()
    lists = reference_lists()
    assert (lists.treaties, lists.topics, lists.states) == ([], [], {})


def test_they_are_dropped_again_once_the_change_is_committed(
    django_capture_on_commit_callbacks,
):
    # A page made between the save and the commit would have put the old lists back.
    with django_capture_on_commit_callbacks(execute=True):
        make_treaty(short_name="CTBT", slug="ctbt")
        reference_lists()
        assert cache.get(cache_key()) is not None
    assert cache.get(cache_key()) is None


def test_an_actor_beyond_the_most_quoted_is_offered_when_chosen(
    monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(reference, "SPEAKERS", 1)
    loud, quiet = make_actor(name="Loud", slug="loud"), make_actor(name="Quiet", slug="quiet")
    for speaker in (loud, loud, quiet):
        make_statement(speaker=speaker)
    lists = reference_lists()

    with django_assert_num_queries(0):
        assert lists.speakers_with("") == [("loud", "Loud")]
        assert lists.speakers_with("loud") == [("loud", "Loud")]
    with django_assert_num_queries(1):
        assert lists.speakers_with("quiet") == [("loud", "Loud"), ("quiet", "Quiet")]
    assert lists.speakers_with("nobody") == [("loud", "Loud")]


def test_a_new_treaty_is_offered_by_the_filters_at_once(client):
    client.get(reverse("treaties:timeline"))
    client.get(reverse("treaties:who_said_what"))
    make_treaty(short_name="Open Skies", slug="open-skies")
    for name in ("treaties:timeline", "treaties:who_said_what"):
        page = client.get(reverse(name)).content.decode()
        assert '<option value="open-skies">Open Skies</option>' in page


def test_an_actor_page_offers_a_treaty_its_process_has_not_read_yet(client, monkeypatch):
    # Without a shared cache, another process's save drops its own lists, not these.
    speaker = make_actor(name="Maria Zakharova", slug="maria-zakharova")
    reference_lists()
    stale = reference.ReferenceLists(treaties=[], topics=[], speakers=[], states={})
    monkeypatch.setattr(reference, "reference_lists", lambda: stale)
    monkeypatch.setattr("treaties.views.pages.reference_lists", lambda: stale)
    make_statement(speaker=speaker, treaties=[make_treaty(short_name="INF", slug="inf")])
    page = client.get(speaker.get_absolute_url() + "?treaty=inf").content.decode()
    assert '<option value="inf" selected>INF</option>' in page
    assert "None of these statements" not in page


def test_a_treaty_or_topic_chosen_among_the_options_costs_no_query(django_assert_num_queries):
    treaty = make_treaty(short_name="New START", slug="new-start")
    topic = Topic.objects.create(name="Verification", slug="verification")
    WhoSaidWhatFilterForm({}).is_valid()  # reads the lists
    form = WhoSaidWhatFilterForm({"treaty": "new-start", "topic": "verification"})
    with django_assert_num_queries(0):
        assert form.is_valid()
    assert form.cleaned_data["treaty"] == treaty
    assert form.cleaned_data["topic"] == topic
    assert form.fields["treaty"].choices == [("", "Any treaty"), ("new-start", "New START")]


def test_a_slug_not_among_them_is_still_looked_up_and_refused():
    reference_lists()
    form = WhoSaidWhatFilterForm({"treaty": "no-such-treaty"})
    assert not form.is_valid()
    assert form.errors["treaty"] == ["There is no treaty “no-such-treaty”."]


def test_each_database_has_its_own_lists(monkeypatch):
    # The records hold one database's ids: a Redis shared with another site must not mix them.
    reference_lists()
    ours = cache_key()
    monkeypatch.setitem(connection.settings_dict, "NAME", "another_site")
    assert cache_key() != ours
    assert cache.get(cache_key()) is None
    assert cache.get(ours) is not None
