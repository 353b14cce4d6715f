"""A statement's share card: the og:image PNG, its caching, and the meta tags pointing to it."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.conftest import make_actor, make_role, make_statement
from treaties.models import StatementKind, Status
from treaties.sharing import (
    CARD_SIZE,
    card_font,
    card_lines,
    fit_quote,
)

pytestmark = pytest.mark.django_db

CYRILLIC = (
    "Мы поддерживаем, скажем так, точечные контакты с Соединёнными Штатами по тем вопросам, "
    "которые требуют их участия. Мы открыты к любого рода диалогам, взаимовыгодным, "
    "представляющим обоюдный интерес. "
)
LATIN = (
    "We maintain, let’s put it that way, specific contacts with the United States on those "
    "issues that require their participation. We are open to any type of dialogue that is "
    "beneficial for both, that represents mutual interest. "
)


def thousand_characters(sentence):
    return (sentence * (1000 // len(sentence) + 1))[:1000].strip()


def card_url(statement):
    return reverse("treaties:statement_card", kwargs={"pk": statement.pk})


@pytest.fixture
def zakharova():
    actor = make_actor("Maria Zakharova")
    make_role(
        actor,
        title="Director of the Information and Press Department",
        start=datetime.date(2015, 8, 10),
    )
    return actor


@pytest.mark.parametrize("sentence", [CYRILLIC, LATIN], ids=["cyrillic", "latin"])
def test_a_thousand_character_quote_renders_1200_by_630(client, zakharova, sentence):
    text = thousand_characters(sentence)
    assert len(text) >= 990
    statement = make_statement(speaker=zakharova, text=text)
    response = client.get(card_url(statement))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == CARD_SIZE == (1200, 630)
    # Too long for the card at its smallest size: cut, with an ellipsis.
    font, lines = fit_quote(card_lines(statement, None)["quote"])
    assert font.size == min(range(60, 25, -4))
    assert lines[-1].endswith("…”")
    assert len(" ".join(lines)) < len(text)


def test_a_short_quote_is_large_and_whole(zakharova):
    statement = make_statement(speaker=zakharova, text="This is not a bluff.")
    font, lines = fit_quote(card_lines(statement, None)["quote"])
    assert font.size == 60
    assert lines == ["“This is not a bluff.”"]


def test_the_font_has_cyrillic_glyphs():
    # A missing glyph is drawn as the same empty box: different letters would look alike.
    font = card_font(40)
    masks = {bytes(font.getmask(letter)) for letter in "ЖЗЯ"}
    assert len(masks) == 3
    assert font.getlength("Захарова") > 0


def test_the_card_says_who_in_which_role_and_when(zakharova):
    statement = make_statement(speaker=zakharova, text="Words.", kind=StatementKind.PARAPHRASE)
    lines = card_lines(statement, statement.speaker.role_on(statement.date))
    assert lines == {
        "quote": "Words.",  # a paraphrase is not put in quotation marks
        "speaker": "Maria Zakharova",
        "role": "Director of the Information and Press Department",
        "date": "8 November 2022",
        "site": "Arms Control Record",
    }


def test_cached_with_an_etag_that_follows_the_statement(client, zakharova):
    statement = make_statement(speaker=zakharova, text="Before.")
    response = client.get(card_url(statement))
    etag = response["ETag"]
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert not response.cookies
    again = client.get(card_url(statement), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    statement.text = "After."
    statement.save()
    changed = client.get(card_url(statement), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_drafts_and_unknown_statements_have_no_card(client, editor_client, zakharova):
    draft = make_statement(speaker=zakharova, status=Status.DRAFT)
    assert client.get(card_url(draft)).status_code == 404
    assert editor_client.get(card_url(draft)).status_code == 404  # previews are public
    for pk in (999999, 10**30):  # unknown, and beyond any database integer
        assert client.get(reverse("treaties:statement_card", kwargs={"pk": pk})).status_code == 404


def test_the_page_points_link_previews_at_the_card(client, zakharova):
    statement = make_statement(speaker=zakharova)
    html = client.get(statement.get_absolute_url()).content.decode()
    absolute = f"http://testserver{card_url(statement)}"
    assert f'<meta property="og:image" content="{absolute}">' in html
    assert f'<meta name="twitter:image" content="{absolute}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image:width" content="1200">' in html


def test_a_draft_page_points_to_no_card(editor_client, zakharova):
    draft = make_statement(speaker=zakharova, status=Status.DRAFT)
    html = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "og:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html
