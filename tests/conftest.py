import datetime
import itertools
import math
import os
import shutil

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from treaties import reference, word_frequencies
from treaties.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Event,
    EventKind,
    Role,
    Source,
    Statement,
    Status,
    Treaty,
    TreatyKind,
    TreatyStatus,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM would then refuse
# to run there. Tests are not async code, so this check does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# pytest-playwright's fixtures that start Chromium: a test using any of them is a browser test.
BROWSER_FIXTURES = {"browser", "context", "page", "new_context"}
_counter = itertools.count(1)


# Settings -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_reference_lists():
    """The filters' options live in the cache between requests: lists read in an earlier
    test would offer its rolled-back treaties and speakers."""
    cache.delete(reference.cache_key())


@pytest.fixture(autouse=True)
def _no_word_statistics(monkeypatch):
    """Searches take every word to the index unless a test gives word frequencies: read from
    the database once per process, they would add a query to whichever test searched first."""
    monkeypatch.setattr(
        word_frequencies, "_read", {"at": math.inf, "frequencies": word_frequencies.Frequencies()}
    )


# Browser tests ---------------------------------------------------------------------------


def _browser_missing() -> bool:
    return shutil.which(CHROMIUM) is None


def pytest_collection_modifyitems(config, items):
    browser_items = [
        item for item in items if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
    ]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and _browser_missing():
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(
                f"CI=true and Chromium is missing at {CHROMIUM}: browser tests cannot run. "
                "Install it with `apt-get install chromium` (make test does this as root)."
            )
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
        for item in browser_items:
            item.add_marker(skip)
        config._browser_skipped = len(browser_items)


def pytest_terminal_summary(terminalreporter, config):
    if skipped := getattr(config, "_browser_skipped", 0):
        terminalreporter.write_sep("!", f"{skipped} BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"Chromium was not found at {CHROMIUM}. Install Debian's chromium package "
            "(`sudo apt-get install chromium`) to run them; CI fails without it.",
            red=True,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def console_errors(page):
    """JavaScript errors and CSP violations seen by the page; a test asserts it stays empty."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


# Factories --------------------------------------------------------------------------------


def make_actor(name=None, kind=ActorKind.PERSON, aliases=(), **fields):
    n = next(_counter)
    name = name or f"Actor {n}"
    actor = Actor.objects.create(
        name=name, kind=kind, slug=fields.pop("slug", f"actor-{n}"), **fields
    )
    for alias in aliases:
        ActorAlias.objects.create(actor=actor, name=alias)
    return actor


def make_role(actor, title="Spokeswoman", organisation=None, start=None, end=None):
    return Role.objects.create(
        actor=actor, title=title, organisation=organisation, start_date=start, end_date=end
    )


def make_treaty(short_name=None, **fields):
    n = next(_counter)
    defaults = {
        "name": f"Treaty number {n}",
        "short_name": short_name or f"Treaty {n}",
        "slug": f"treaty-{n}",
        "kind": TreatyKind.BILATERAL,
        "status": TreatyStatus.IN_FORCE,
        "signed_on": datetime.date(2010, 4, 8),
    }
    return Treaty.objects.create(**{**defaults, **fields})


def make_source(title=None, **fields):
    n = next(_counter)
    defaults = {
        "title": title or f"Source {n}",
        "url": f"https://example.org/article-{n}",
        "published_on": datetime.date(2022, 11, 8),
        "language": "en",
    }
    return Source.objects.create(**{**defaults, **fields})


def make_statement(speaker=None, source=None, treaties=(), **fields):
    defaults = {
        "speaker": speaker or make_actor(),
        "source": source or make_source(),
        "text": f"We maintain specific contacts, statement {next(_counter)}.",
        "date": datetime.date(2022, 11, 8),
        "status": Status.PUBLISHED,
    }
    statement = Statement.objects.create(**{**defaults, **fields})
    statement.treaties.set(treaties)
    return statement


def make_event(source=None, treaties=(), actors=(), **fields):
    n = next(_counter)
    defaults = {
        "title": f"Event {n}",
        "slug": f"event-{n}",
        "kind": EventKind.MEETING,
        "date": datetime.date(2022, 11, 7),
        "source": source or make_source(),
        "status": Status.PUBLISHED,
    }
    event = Event.objects.create(**{**defaults, **fields})
    event.treaties.set(treaties)
    event.actors.set(actors)
    return event


def make_editor(username="editor", password="correct horse battery staple"):
    user = User.objects.create_user(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# Admin forms ------------------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """The POST data an admin change (or history) page would send back untouched.

    Covers the main form and every inline formset's stored rows (extra blank rows left out),
    so a test changes only what it means to change.
    """
    context = response.context
    data = _form_values(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        rows = formset.initial_forms
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(len(rows))
        for form in rows:
            data.update(_form_values(form))
    return data


def _form_values(form) -> dict:
    values = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        values[bound.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return values
