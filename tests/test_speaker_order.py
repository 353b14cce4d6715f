"""Who said what and the treaty page: speakers with the most statements first, then the one
who spoke last; each side's column is labelled with its name."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.conftest import make_actor, make_statement, make_treaty
from treaties.models import ActorKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def treaty():
    make_actor("Russia", kind=ActorKind.STATE, country="RU", slug="russia")
    make_actor("United States", kind=ActorKind.STATE, country="US", slug="united-states")
    treaty = make_treaty("New START", slug="new-start")
    speakers = {
        # name: (country, years of their statements)
        "Early Russian": ("RU", [2018, 2019, 2020]),
        "Late Russian": ("RU", [2010, 2011, 2022]),
        "Frequent American": ("US", [2012, 2013, 2014, 2015]),
        "Rare American": ("US", [2023]),
    }
    for name, (country, years) in speakers.items():
        actor = make_actor(name, country=country)
        for year in years:
            make_statement(actor, treaties=[treaty], date=datetime.date(year, 3, 1))
    return treaty


def headings(html: str, tag: str, css_class: str) -> list[str]:
    found = re.findall(rf'<{tag} class="{css_class}"[^>]*>(.*?)</{tag}>', html, re.S)
    return [re.sub(r"<[^>]+>", "", heading).split("  ")[0].strip() for heading in found]


def test_treaty_page_most_statements_first_then_the_latest(client, treaty):
    response = client.get(treaty.get_absolute_url())
    names = [speaker.actor.name for speaker in response.context["speakers"]]
    assert names == ["Frequent American", "Late Russian", "Early Russian", "Rare American"]
    html = response.content.decode()
    assert '<span class="side-label meta">United States</span>' in html


def test_who_said_what_sides_and_speakers_in_order(client, treaty):
    response = client.get(reverse("treaties:who_said_what"), {"treaty": "new-start"})
    sides = response.context["result"].sides
    assert [side.name for side in sides] == ["Russia", "United States"]  # 6 statements, then 5
    assert [s.actor.name for s in sides[0].speakers] == ["Late Russian", "Early Russian"]
    assert [s.actor.name for s in sides[1].speakers] == ["Frequent American", "Rare American"]
    columns = headings(response.content.decode(), "h2", "side__name")
    assert [column.split(" ")[0] for column in columns] == ["Russia", "United"]
