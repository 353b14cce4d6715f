"""HTTP details that audits check: HEAD on public pages, gzip without BREACH, /favicon.ico,
and the home page's lifespans chart as assistive technology reads it."""

import gzip
import struct
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_pages import build_record

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def record(db):
    return build_record()


def public_paths(record):
    return {
        "home": reverse("treaties:home"),
        "treaty": record["new_start"].get_absolute_url(),
        "actor": record["zakharova"].get_absolute_url(),
        "permalink": record["quote"].get_absolute_url(),
        "event": record["meeting"].get_absolute_url(),
        "timeline": reverse("treaties:timeline"),
        "who said what": reverse("treaties:who_said_what"),
        "search": reverse("treaties:search") + "?q=Zakharova",
    }


# HEAD ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["home", "treaty", "actor", "permalink", "event", "timeline", "who said what", "search"],
)
def test_head_answers_like_get(client, record, name):
    path = public_paths(record)[name]
    head = client.head(path)
    assert head.status_code == 200
    assert head["Content-Type"].startswith("text/html")
    assert client.get(path).status_code == 200


# Compression ---------------------------------------------------------------------------


def test_an_anonymous_page_is_gzipped(client, record):
    response = client.get(reverse("treaties:home"), headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    page = gzip.decompress(response.content).decode()
    assert "<html" in page and "csrfmiddlewaretoken" not in page
    assert not response.cookies


def test_without_accept_encoding_the_page_is_plain(client, record):
    response = client.get(reverse("treaties:home"))
    assert not response.has_header("Content-Encoding")
    assert b"<html" in response.content


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    # The admin login form carries the token: compressing it would reopen BREACH.
    response = client.get(reverse("admin:login"), headers=GZIP)
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert not response.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in response.content


def test_a_signed_in_editors_page_is_not_compressed(editor_client, record):
    response = editor_client.get(reverse("treaties:home"), headers=GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"X-CSRFToken" in response.content


# /favicon.ico ------------------------------------------------------------------------------


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    assert not response.cookies
    reserved, kind, count = struct.unpack("<HHH", response.content[:6])
    assert (reserved, kind) == (0, 1) and count >= 1
    sizes = []
    for index in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", response.content[6 + 16 * index : 22 + 16 * index]
        )
        assert response.content[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(response.content)
        sizes.append(width)
    assert {16, 32} <= set(sizes)
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


# The lifespans chart, as assistive technology reads it -----------------------------------


class ChartReader(HTMLParser):
    """Each link in the lifespans charts, and whether it sits inside a role="img" element."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append((tag, attrs))
        in_chart = any("lifespans__chart" in (a.get("class") or "") for _, a in self.stack)
        if tag == "a" and in_chart:
            roles = [a.get("role") for _, a in self.stack]
            self.links.append({"label": attrs.get("aria-label"), "roles": roles})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass


def test_chart_is_a_list_of_links_with_clean_names(client, record):
    reader = ChartReader()
    reader.feed(client.get(reverse("treaties:home")).content.decode())
    # Two treaties, drawn twice (wide and narrow; CSS shows one).
    assert len(reader.links) == 4
    for link in reader.links:
        assert "img" not in link["roles"]  # no link inside an image (axe nested-interactive)
        assert link["roles"][-3:-1] == ["list", "listitem"]
    labels = {link["label"] for link in reader.links}
    assert labels == {
        "INF Treaty, withdrawn 2019. Signed on 8 December 1987, not in force until 1 June 1988. "
        "In force from 1 June 1988 to 2 August 2019.",
        "New START, expired 2026. Signed on 8 April 2010, not in force until 5 February 2011. "
        "In force from 5 February 2011 to 21 February 2023. "
        "Suspended from 21 February 2023 to 5 February 2026.",
    }
