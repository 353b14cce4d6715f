"""HTTP caching: anonymous pages are public for PUBLIC_CACHE_SECONDS with an ETag and 304
answers, set no cookie and vary on what changes them; editors' pages are private."""

import pytest
from django.urls import reverse

from .conftest import make_statement

PUBLIC_PAGES = ["treaties:home", "treaties:timeline", "treaties:who_said_what", "treaties:search"]
HTMX_PAGES = PUBLIC_PAGES[1:]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_anonymous_pages_are_public_and_set_no_cookie(client, settings, name):
    settings.PUBLIC_CACHE_SECONDS = 30
    response = client.get(reverse(name))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=30", "s-maxage=30"}
    assert not response.cookies
    assert response.has_header("ETag")
    if name in HTMX_PAGES:  # a fragment for htmx, the page otherwise: caches keep both
        assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_a_permalink_answers_304_to_its_etag(client):
    url = make_statement().get_absolute_url()
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert "public" in again["Cache-Control"]


@pytest.mark.django_db
def test_an_edit_changes_the_etag(client):
    statement = make_statement(text="First words.")
    url = statement.get_absolute_url()
    before = client.get(url)["ETag"]
    statement.editor_note = "A correction."
    statement.save()
    response = client.get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before


@pytest.mark.django_db
def test_editors_pages_are_private(editor_client):
    for url in (reverse("treaties:home"), reverse("admin:index")):
        response = editor_client.get(url)
        assert "private" in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_the_admin_login_form_is_not_public(client):
    response = client.get(reverse("admin:login"))
    assert "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_a_reader_with_a_session_cookie_gets_private_pages(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale-session"
    response = client.get(reverse("treaties:home"))
    assert "private" in response["Cache-Control"]
