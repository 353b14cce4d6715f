"""The intake on the seed article: the seed's own statements are the answer key."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from intake.extract import Lexicon, extract
from intake.scoring import score, seed_article_key

ARTICLE = (
    Path(__file__).resolve().parent.parent / "intake" / "data" / "seed-article.txt"
).read_text()


@pytest.fixture
def seeded(db):
    call_command("load_seed_data", stdout=io.StringIO())


def test_every_seed_statement_is_proposed_with_its_speaker_date_and_precision(seeded):
    title, known = seed_article_key()
    found = extract(ARTICLE, datetime.date(2022, 11, 8), Lexicon.from_database())
    result = score(ARTICLE, found, known)
    assert found.title == title
    assert result.misses == []
    assert result.recall == result.recall_with_kind == 1.0
    assert result.precision >= 0.85
    assert found.new_actors == []  # everyone in the article is in the seed


def test_the_seed_articles_events_are_proposed_with_their_dates(seeded):
    found = extract(ARTICLE, datetime.date(2022, 11, 8), Lexicon.from_database())
    dated = {(e.kind, e.when.date, e.when.precision) for e in found.events}
    assert ("report", datetime.date(2022, 11, 7), "day") in dated  # the Washington Post
    assert ("report", datetime.date(2022, 11, 8), "day") in dated  # Kommersant
    assert ("order", datetime.date(2022, 9, 21), "day") in dated  # the mobilisation
    assert ("signing", datetime.date(2010, 1, 1), "year") in dated
    assert ("extension", datetime.date(2021, 1, 1), "year") in dated


def test_paragraphs_are_counted_as_the_seed_counts_them(seeded):
    from intake.scoring import span_of
    from treaties.seed import ARTICLE as SEED

    found = extract(ARTICLE, datetime.date(2022, 11, 8), Lexicon.from_database())
    for statement in SEED.statements:
        start, end = span_of(ARTICLE, statement.text)
        (proposal,) = [p for p in found.statements if p.start < end and start < p.end]
        assert f"paragraph {proposal.paragraph}" == statement.source_locator


def test_pasting_an_article_already_entered_marks_its_statements(seeded):
    from intake import workflow

    intake = workflow.propose(text=ARTICLE, published_on=datetime.date(2022, 11, 8))
    assert intake.matched_existing  # the seed's source, by its title
    duplicates = [
        p for p in intake.proposals.filter(kind="statement") if p.data.get("duplicate_of")
    ]
    assert len(duplicates) >= 6
