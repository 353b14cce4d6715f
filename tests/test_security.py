"""Attacks on the admin login and on sessions, kept as tests (issue 7)."""

import datetime
import logging
from collections import deque
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db.models import F
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from treaties.filters import echo

from .conftest import make_editor, make_statement, make_treaty

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"
EDITOR_DESK = "198.51.100.7"


def log_in(client, password, username="editor", address=ATTACKER, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, times, **kwargs):
    """Wrong passwords: the fifth one's answer is already the lockout."""
    for attempt in range(1, times + 1):
        response = log_in(client, f"wrong-{attempt}", **kwargs)
        assert response.status_code == (429 if attempt >= 5 else 200), attempt
        assert "_auth_user_id" not in client.session


# Brute force ------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_pair_even_for_the_right_password(client):
    make_editor()
    fail(client, 5)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    page = response.content.decode()
    assert "Too many wrong passwords" in page
    assert "refused for 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client):
    make_editor()
    fail(client, 4)

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    assert not AccessAttempt.objects.exists()  # a success forgets the failures


def test_an_attacker_elsewhere_cannot_lock_the_editor_out(client):
    make_editor()
    fail(client, 20)
    assert log_in(client, PASSWORD).status_code == 429

    response = log_in(client, PASSWORD, address=EDITOR_DESK)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_lock_ends_after_the_cool_off(client):
    make_editor()
    fail(client, 5)
    assert log_in(client, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))

    assert log_in(client, PASSWORD).status_code == 302


def test_failures_are_logged(client, caplog):
    make_editor()
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail(client, 1)
    assert "New login failure" in caplog.text
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("editor", ATTACKER)
    assert PASSWORD not in attempt.post_data and "wrong-1" not in attempt.post_data


def test_a_forged_forwarded_for_does_not_dodge_the_lock(client):
    """Without a proxy in front, X-Forwarded-For comes from the client: ignored."""
    make_editor()
    for n in range(5):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_the_proxy_the_address_it_saw_counts(client, settings):
    settings.BEHIND_PROXY = True
    make_editor()
    # Our proxy appends the peer it saw; what the client put before it may be forged.
    fail(client, 5, address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ATTACKER}")
    assert AccessAttempt.objects.get().ip_address == ATTACKER

    locked = log_in(client, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    other = log_in(client, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=EDITOR_DESK)

    assert locked.status_code == 429
    assert other.status_code == 302


# Sessions ---------------------------------------------------------------------------------


def later(**delta):
    then = timezone.now() + datetime.timedelta(**delta)
    return mock.patch("django.utils.timezone.now", return_value=then)


def admin_index(client):
    return client.get(reverse("admin:index"), REMOTE_ADDR=EDITOR_DESK)


def test_the_session_key_changes_at_login_and_logout_clears_it(client):
    make_editor()
    session = client.session  # an anonymous session with something in it
    session["before"] = "login"
    session.save()
    anonymous_key = session.session_key

    assert log_in(client, PASSWORD, address=EDITOR_DESK).status_code == 302
    logged_in_key = client.session.session_key
    assert logged_in_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()

    response = client.post(reverse("admin:logout"), REMOTE_ADDR=EDITOR_DESK)

    assert response.status_code == 200
    assert not Session.objects.filter(session_key=logged_in_key).exists()
    assert admin_index(client).status_code == 302  # to the login page


def test_an_idle_session_expires_after_two_hours(client):
    make_editor()
    log_in(client, PASSWORD, address=EDITOR_DESK)

    # Activity keeps it alive: each request restarts the idle clock...
    for hours in (1.5, 3, 4.5):
        with later(hours=hours):
            assert admin_index(client).status_code == 200, hours
    # ...two idle hours end it.
    with later(hours=6.6):
        assert admin_index(client).status_code == 302


def test_an_active_session_ends_twelve_hours_after_login(client):
    make_editor()
    log_in(client, PASSWORD, address=EDITOR_DESK)
    for hours in range(1, 12):
        with later(hours=hours):
            assert admin_index(client).status_code == 200, hours

    with later(hours=12, minutes=5):
        response = admin_index(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_readers_get_no_session_cookie(client):
    response = client.get(reverse("treaties:home"))
    assert response.status_code == 200
    assert not response.cookies


# Bad input echoed back --------------------------------------------------------------------

PAYLOAD = "<script>alert(1)</script>\x00\n\u202e" + "A" * 10_000


def filter_urls():
    statement = make_statement(treaties=[make_treaty("New START")])
    actor = reverse("treaties:actor_detail", args=[statement.speaker.slug])
    return [
        (reverse("treaties:timeline"), "treaty"),
        (reverse("treaties:timeline"), "actor"),
        (reverse("treaties:timeline"), "kind"),
        (reverse("treaties:who_said_what"), "treaty"),
        (reverse("treaties:search"), "kind"),
        (actor, "treaty"),
        (actor, "year"),
    ]


def test_a_bad_filter_value_is_echoed_only_as_a_short_clean_excerpt(client):
    for url, parameter in filter_urls():
        response = client.get(url, {parameter: PAYLOAD})

        assert response.status_code < 500, (url, parameter)
        page = response.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, (url, parameter)  # escaped
        assert "<script>alert(1)" not in page
        assert "AAAAAA" not in page, (url, parameter)  # at most 30 characters
        assert "\u202e" not in page and "\x00" not in page, (url, parameter)


def test_echo_keeps_letters_and_drops_controls():
    assert echo("new-start") == "new-start"
    assert echo("Захарова\u200b\u202e") == "Захарова"
    assert echo("a\nb\tc\x00d") == "a b cd"
    assert len(echo("x" * 500)) == 30


# Security headers over a crawl -------------------------------------------------------------

HEADERS_ON_EVERY_RESPONSE = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_DIRECTIVES = {"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"}
CRAWL_LIMIT = 250
PER_KIND = 3


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "action", "hx-get"} and value:
                self.found.append(value)


def same_site_paths(response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = Links()
    parser.feed(response.content.decode())
    paths = []
    for link in parser.found:
        parts = urlsplit(link)
        if parts.netloc not in {"", "testserver"} or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(("/admin/", "/static/")):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def url_kind(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return "404"


def crawl(client, start: list[str]) -> dict[str, list]:
    """Breadth first from start over the site's own links, at most PER_KIND URLs of each
    route: {route: [(path, response), ...]}."""
    queue, seen, kinds = deque(start), set(start), {}
    while queue and len(seen) <= CRAWL_LIMIT:
        path = queue.popleft()
        kind = kinds.setdefault(url_kind(path), [])
        if len(kind) >= PER_KIND:
            continue
        response = client.get(path, secure=True)
        kind.append((path, response))
        for link in same_site_paths(response):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return kinds


def test_every_kind_of_url_carries_the_security_headers(client, settings):
    from tests.test_pages import build_record

    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    record = build_record()
    gone = make_statement(treaties=[record["new_start"]])
    gone_url = gone.get_absolute_url()
    gone.delete()
    # Pages no link leads to: the API, the feeds, errors.
    start = [reverse("treaties:home"), "/api/statements/", "/feeds/statements/", "/robots.txt"]
    start += ["/sitemap.xml", gone_url, "/no-such-page/", reverse("treaties:search") + "?q=START"]
    quote = record["quote"]
    start += [reverse("treaties:statement_short", args=[quote.pk]), "/favicon.ico"]
    start += [reverse("treaties:statement_card", args=[quote.pk]), f"/api/statements/{quote.pk}/"]
    start += ["/api/docs", "/api/openapi.json", reverse("treaties:timeline") + "?from=never"]

    kinds = crawl(client, start)

    for expected in ["", "treaties/<slug:slug>/", "actors/<slug:slug>/", "events/<slug:slug>/",
                     "q/<int:pk>/<str:slug>/", "q/<int:pk>/cite.<str:fmt>", "timeline/",
                     "who-said-what/", "search/", "404"]:  # fmt: skip
        assert expected in kinds, (expected, sorted(kinds))
    statuses = {r.status_code for responses in kinds.values() for _, r in responses}
    assert {200, 301, 404, 410} <= statuses
    assert len(kinds) >= 20, sorted(kinds)
    for responses in kinds.values():
        for path, response in responses:
            for header, value in HEADERS_ON_EVERY_RESPONSE.items():
                assert response.get(header) == value, (path, header, response.get(header))
            policy = {part.strip() for part in response["Content-Security-Policy"].split(";")}
            assert policy >= CSP_DIRECTIVES, (path, policy)
            assert not response.cookies, path


@pytest.mark.django_db
def test_a_request_for_a_host_this_site_does_not_serve_is_a_bad_request(client, settings):
    # Scanners send any Host; the 400 page must not ask for it again (that was a 500).
    settings.ALLOWED_HOSTS = ["armscontrol.example"]
    response = client.get("/", headers={"host": "elsewhere.example"})
    assert response.status_code == 400
    assert "elsewhere.example" not in response.content.decode()
    assert client.get("/", headers={"host": "armscontrol.example"}).status_code == 200
