"""Warnings about likely duplicates: sources, actors, statements; and in the intake review."""

import datetime

from django.urls import reverse

from treaties.duplicates import similar_actor, similar_source, similar_statement
from treaties.merges import merge_sources, undo_merge

from .conftest import make_actor, make_source, make_statement


def test_a_source_is_found_by_its_url_or_a_nearly_identical_title(db):
    source = make_source("Russia Acknowledges That It Maintains “Specific Contacts”")
    assert similar_source(url=source.url, title="Anything") == source
    assert similar_source(url="", title='Russia acknowledges that it maintains "specific contacts"')
    assert similar_source(url="", title="Russia Acknowledges Nothing At All Today") is None
    assert similar_source(url=source.url, title="x", exclude=source.pk) is None


def test_a_merged_sources_url_finds_the_source_it_went_into(db):
    winner, loser = make_source("One article"), make_source("The same article, again")
    merge = merge_sources(winner=winner, loser=loser)
    assert similar_source(url=loser.url, title="Unrelated words entirely") == winner
    assert similar_source(url=loser.url, title="x", exclude=winner.pk) is None
    undo_merge(merge)
    assert similar_source(url=loser.url, title="x").pk == loser.pk


def test_an_actor_is_found_through_a_close_name_or_alias(db):
    zakharova = make_actor("Maria Zakharova", aliases=["Мария Захарова"])
    assert similar_actor(names=["Maria Zajárova"]) == zakharova
    assert similar_actor(names=["Мария Захарова"]) == zakharova
    assert similar_actor(names=["Sergey Ryabkov"]) is None
    assert similar_actor(names=["Maria Zakharova"], exclude=zakharova.pk) is None


def test_a_statement_in_nearly_the_same_words_by_the_same_speaker(db):
    statement = make_statement(text="We maintain specific contacts with the United States.")
    same = similar_statement(
        speaker_id=statement.speaker_id,
        text="We maintain specific contacts with the United States",
        date=datetime.date(2022, 11, 9),
    )
    assert same == statement
    other = make_actor()
    assert similar_statement(speaker_id=other.pk, text=statement.text) is None


def test_the_admin_warns_and_links_the_existing_record(editor_client):
    zakharova = make_actor("Maria Zakharova")
    response = editor_client.post(
        reverse("admin:treaties_actor_add"),
        {
            "kind": "person",
            "name": "Maria Zajárova",
            "slug": "maria-zajarova",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    texts = " ".join(str(m) for m in response.context["messages"])
    url = reverse("admin:treaties_actor_change", args=[zakharova.pk])
    assert f'may already be in the record as <a href="{url}">Maria Zakharova</a>' in texts
