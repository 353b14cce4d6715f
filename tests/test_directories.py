"""The directories: every treaty, actor, source, topic and event, one link from the menu."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_actor, make_event, make_source, make_statement, make_treaty
from treaties.models import ActorKind, Status, Topic
from treaties.views import directories

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    """Two speakers, two treaties, a topic, sources (one only behind a draft), an event."""
    new_start = make_treaty("New START", slug="new-start")
    inf = make_treaty("INF Treaty", slug="inf")
    tass = make_actor("TASS", kind=ActorKind.MEDIA, slug="tass", country="RU")
    zakharova = make_actor("Maria Zakharova", slug="maria-zakharova", country="RU")
    sullivan = make_actor("Jake Sullivan", slug="jake-sullivan", country="US")
    make_actor("Україна", kind=ActorKind.STATE, slug="ukraine-native", country="UA")
    topic = Topic.objects.create(name="Inspections", slug="inspections")
    source = make_source("Zakharova on inspections", outlet=tass)
    for day in range(1, 4):
        statement = make_statement(
            zakharova, source=source, treaties=[new_start], date=datetime.date(2022, 11, day)
        )
        statement.topics.add(topic)
    make_statement(sullivan, treaties=[inf], date=datetime.date(2019, 8, 2))
    draft_source = make_source("Only a draft so far")
    make_statement(zakharova, source=draft_source, status=Status.DRAFT)
    make_event(source=source, title="BCC session postponed", treaties=[new_start])
    return {
        "new_start": new_start,
        "zakharova": zakharova,
        "topic": topic,
        "source": source,
        "draft_source": draft_source,
    }


def test_the_menu_leads_to_every_directory(client):
    html = client.get(reverse("treaties:home")).content.decode()
    for name in ("treaty_list", "actor_list", "event_list", "topic_list", "source_list"):
        assert f'href="{reverse(f"treaties:{name}")}"' in html


def test_treaties_with_statement_counts(client, record, django_assert_num_queries):
    with django_assert_num_queries(2):  # the treaties, their tallies
        response = client.get(reverse("treaties:treaty_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("INF Treaty") < html.index("New START")  # A-Z
    assert 'href="/treaties/new-start/"' in html
    assert '<td class="num">3</td>' in html and '<td class="num">1</td>' in html


def test_actors_a_to_z_with_counts(client, record, django_assert_num_queries):
    # The countries for the filter, the count, the page of actors, their tallies.
    with django_assert_num_queries(4):
        response = client.get(reverse("treaties:actor_list"))
    html = response.content.decode()
    assert html.index("Jake Sullivan") < html.index("Maria Zakharova") < html.index("TASS")
    assert 'href="/actors/maria-zakharova/"' in html
    assert response.context["actors"][1].statement_count == 3


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"kind": "media"}, ["TASS"], ["Maria Zakharova"]),
        ({"country": "US"}, ["Jake Sullivan"], ["Maria Zakharova", "TASS"]),
        ({"letter": "M"}, ["Maria Zakharova"], ["Jake Sullivan", "TASS"]),
        ({"letter": "other"}, ["Україна"], ["Maria Zakharova"]),
        ({"kind": "person", "country": "RU"}, ["Maria Zakharova"], ["TASS", "Jake Sullivan"]),
    ],
)
def test_actor_filters(client, record, query, shown, hidden):
    response = client.get(reverse("treaties:actor_list"), query)
    names = [actor.name for actor in response.context["actors"]]
    assert response.status_code == 200
    assert all(name in names for name in shown)
    assert not any(name in names for name in hidden)


def test_a_bad_actor_filter_is_reported_and_left_out(client, record):
    response = client.get(reverse("treaties:actor_list"), {"kind": "wizard", "country": "ZZ"})
    assert response.status_code == 400
    assert len(response.context["actors"]) == 4
    assert "There is no kind of actor “wizard”" in response.content.decode()


def test_sources_only_public_ones_keyset_paged(client, record, monkeypatch):
    make_statement(source=make_source("A third one"))
    monkeypatch.setattr(directories, "SOURCES_PER_PAGE", 2)
    first = client.get(reverse("treaties:source_list"))
    listed = [source.pk for source in first.context["sources"]]
    assert listed == sorted(listed, reverse=True) and len(listed) == 2
    second = client.get(first.context["next_url"])
    more = [source.pk for source in second.context["sources"]]
    assert len(more) == 1 and max(more) < min(listed) and not second.context["next_url"]
    assert record["draft_source"].pk not in listed + more


def test_sources_page_queries(client, record, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("treaties:source_list")).status_code == 200


def test_a_source_page_shows_its_statements_events_outlet_and_archive(
    client, record, django_assert_num_queries
):
    source = record["source"]
    source.archive_url = "https://web.archive.org/web/2022/https://tass.ru/x"
    source.save()
    # The source, is it public, statement keys, event keys, statements (with their speakers'
    # roles on the day), events, the events it corroborates.
    with django_assert_num_queries(7):
        response = client.get(source.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    kinds = [entry.kind for entry in response.context["result"].entries]
    assert kinds == ["event", "statement", "statement", "statement"]  # 7 November, then 3-1
    assert 'href="/actors/tass/"' in html and "web.archive.org" in html


def test_a_source_only_drafts_use_is_not_public(client, record, editor):
    url = record["draft_source"].get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_topics_and_a_topic_page(client, record, monkeypatch):
    topic = record["topic"]
    listing = client.get(reverse("treaties:topic_list")).content.decode()
    assert f'href="{topic.get_absolute_url()}"' in listing and "3 statements" in listing

    monkeypatch.setattr(directories, "ENTRIES_PER_PAGE", 2)
    first = client.get(topic.get_absolute_url())
    assert first.context["result"].total == 3  # from the tally's topic row
    dates = [entry.record.date.day for entry in first.context["result"].entries]
    assert dates == [3, 2]
    second = client.get(first.context["next_url"])
    assert [entry.record.date.day for entry in second.context["result"].entries] == [1]
    assert not second.context["next_url"]


def test_events_directory(client, record):
    response = client.get(reverse("treaties:event_list"))
    assert [entry.record.title for entry in response.context["result"].entries] == [
        "BCC session postponed"
    ]


@pytest.mark.parametrize("name", ["event_list", "source_list"])
def test_a_broken_cursor_is_a_message_not_an_error(client, record, name):
    response = client.get(reverse(f"treaties:{name}"), {"after": "not-a-cursor"})
    assert response.status_code == 400
    assert "broken" in response.content.decode()


def test_search_links_sources_to_their_pages(client, record):
    html = client.get(reverse("treaties:search"), {"q": "inspections"}).content.decode()
    assert f'href="{record["source"].get_absolute_url()}"' in html


# "Load more" in the URL: the timeline through an entry -----------------------------------


def test_the_timeline_until_an_entry_shows_every_page_up_to_it(client):
    start = datetime.date(2022, 1, 1)
    for n in range(55):
        make_statement(text=f"Entry {n}.", date=start + datetime.timedelta(days=n))
    first = client.get(reverse("treaties:timeline"))
    more = client.get(
        f"{reverse('treaties:timeline')}?{first.context['next_query']}",
        headers={"HX-Request": "true", "HX-Target": "more"},
    )
    fiftieth = start + datetime.timedelta(days=5)
    pushed = more["HX-Push-Url"]
    assert f"until={fiftieth.isoformat()}~s" in pushed and "after" not in pushed
    through = client.get(pushed)
    dates = [entry.record.date for entry in through.context["result"].entries]
    assert len(dates) == 50 and dates[-1] == fiftieth
    assert through.context["result"].next_cursor is not None  # five more to load
    assert 'name="until"' not in through.content.decode()  # not a filter control


def test_the_actor_page_pushes_its_url_without_empty_fields(client, record):
    response = client.get(
        record["zakharova"].get_absolute_url(),
        {"treaty": "new-start", "year": ""},
        headers={"HX-Request": "true", "HX-Target": "actor-statements"},
    )
    assert response["HX-Push-Url"] == "/actors/maria-zakharova/?treaty=new-start"
