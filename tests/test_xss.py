"""The XSS corpus (tests/data/xss_payloads.txt), saved through the admin into every text and
URL field an editor can fill, then every public page that shows them opened in Chromium:
nothing runs, the Content-Security-Policy is never even tested, no markup gets in, and the
JSON-LD and meta tags still parse to exactly what the editor typed.

Each payload calls xss() (or alert(), confirm(), prompt()) if it ever runs; the browser
records those calls, CSP violations, dialogs and requests to other hosts. Payload i fills
every text field of one actor, treaty, topic, source, statement and event (and of the actor's
alias and role, the treaty's limit, party and signer rows), all linked to one another, so
each record's page shows the payload in every place it can appear.

The suite runs every fifteenth payload; `XSS_FULL=1` runs all of them, and `XSS_REPORT=1` prints
the figures (payloads, pages, problems found).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from treaties.models import Actor, Event, Source, Statement, Topic, Treaty

from .conftest import admin_form_data

CORPUS = Path(__file__).parent / "data" / "xss_payloads.txt"
# Split on newlines only: some payloads hold U+2028, which str.splitlines() would split on.
CORPUS_PAYLOADS = [
    line for line in CORPUS.read_text(encoding="utf-8").split("\n") if line and line[0] != "#"
]
# Saving one payload through the admin and opening its four pages takes a second or two, so
# the suite runs every fifteenth payload (each kind of payload and context among them);
# XSS_FULL=1 runs the whole corpus (see README).
PAYLOADS = CORPUS_PAYLOADS if os.environ.get("XSS_FULL") else CORPUS_PAYLOADS[::15]

# Runs before any of the page's own scripts: whatever a payload would call is recorded.
TRAP = """
window.__xss = [];
const record = (how) => (...args) => { window.__xss.push(how + ': ' + args.join(' ')); };
for (const name of ['xss', 'alert', 'confirm', 'prompt', 'print']) {
  Object.defineProperty(window, name, {value: record(name), writable: false});
}
document.addEventListener('securitypolicyviolation', (event) => {
  window.__xss.push(`csp: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""
# What the page looks like after loading: markup a payload smuggled in, JSON-LD that does
# not parse, meta tags with attributes our templates never write.
INSPECT = """
() => {
  const problems = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (/^(on|hx-on|srcdoc$|formaction$|xlink:href$)/i.test(attribute.name)) {
        problems.push(`${element.tagName} has ${attribute.name}`);
      }
    }
  }
  const smuggled = 'iframe, object, embed, base, marquee, template, noscript, keygen, isindex, '
    + 'image, x, video, audio, math, meta[http-equiv], style, svg script';
  for (const element of document.querySelectorAll(smuggled)) {
    problems.push(`smuggled ${element.tagName}`);
  }
  for (const meta of document.querySelectorAll('meta')) {
    const names = [...meta.attributes].map((a) => a.name);
    if (names.some((n) => !['name', 'property', 'content', 'charset'].includes(n))) {
      problems.push(`meta with ${names}`);
    }
    if (meta.parentElement !== document.head) problems.push('meta outside head');
  }
  const jsonLd = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try { jsonLd.push(JSON.parse(script.textContent)); }
    catch (error) { problems.push(`JSON-LD: ${error}`); }
  }
  const meta = {};
  for (const tag of document.querySelectorAll('meta[property], meta[name]')) {
    meta[tag.getAttribute('property') || tag.getAttribute('name')] = tag.content;
  }
  return {problems, jsonLd, meta, title: document.title};
}
"""


def as_url(payload: str) -> str:
    """The payload inside a URL the admin accepts (URLField allows no whitespace and only
    http, https, ftp and ftps: javascript: URLs are refused, see the test below)."""
    return "https://example.org/" + re.sub(r"\s", "", payload)


class Admin:
    """Saves records through the admin's add forms, as an editor would."""

    def __init__(self, client):
        self.client = client
        self.blank = {}

    def add(self, model, fields: dict, inlines: dict | None = None):
        name = model._meta.model_name
        url = reverse(f"admin:treaties_{name}_add")
        if name not in self.blank:
            self.blank[name] = admin_form_data(self.client.get(url))
        data = {**self.blank[name], **fields}
        for prefix, row in (inlines or {}).items():
            data[f"{prefix}-TOTAL_FORMS"] = "1"
            data.update({f"{prefix}-0-{field}": value for field, value in row.items()})
        response = self.client.post(url, data)
        assert response.status_code == 302, (name, fields, response.context["errors"])
        return model.objects.latest("pk")


def save_corpus(client) -> list[dict]:
    """Payload i in every text and URL field of a linked set of records; returns the records."""
    admin = Admin(client)
    day = {"date": "2022-11-08", "date_precision": "day"}
    # A party to a treaty must be a state: one for every treaty, named plainly.
    state = admin.add(Actor, {"kind": "state", "name": "Russia", "slug": "russia"})
    records = []
    for i, payload in enumerate(PAYLOADS):
        url = as_url(payload)
        actor = admin.add(
            Actor,
            {"kind": "person", "name": payload, "slug": f"xss-{i}", "description": payload},
            {
                "aliases": {"name": payload, "language": "en", "note": payload},
                "roles": {"title": payload, "start_precision": "day", "end_precision": "day"},
            },
        )
        topic = admin.add(Topic, {"name": payload, "slug": f"xss-{i}", "description": payload})
        treaty = admin.add(
            Treaty,
            {
                "name": payload,
                "short_name": payload,
                "slug": f"xss-{i}",
                "kind": "bilateral",
                "status": "in_force",
                "status_note": payload,
                "signed_on": "2010-04-08",
                "signed_at": payload,
                "summary": payload,
                "official_text_url": url,
            },
            {
                "limits": {"subject": payload, "number": "1550", "unit": payload}
                | {"note": payload, "position": "0"},
                "treatyparty_set": {"state": state.pk, "note": payload},
                "signers": {"signer": actor.pk, "on_behalf_of": state.pk}
                | {"signed_at": payload, "note": payload},
            },
        )
        source = admin.add(
            Source,
            {
                "title": payload,
                "author": payload,
                "published_on": "2022-11-08",
                "language": "en",
                "url": url,
                "archive_url": url,
                "notes": payload,
            },
        )
        statement = admin.add(
            Statement,
            {
                **day,
                "speaker": actor.pk,
                "kind": "quote",
                "status": "published",
                "text": payload,
                "original_text": payload,
                "original_language": "ru",
                "setting_detail": payload,
                "source": source.pk,
                "source_locator": payload,
                "treaties": [treaty.pk],
                "mentions": [actor.pk],
                "topics": [topic.pk],
                "editor_note": payload,
            },
        )
        event = admin.add(
            Event,
            {
                **day,
                "title": payload,
                "slug": f"xss-event-{i}",
                "kind": "meeting",
                "status": "published",
                "description": payload,
                "location": payload,
                "treaties": [treaty.pk],
                "actors": [actor.pk],
                "source": source.pk,
                "source_locator": payload,
                "editor_note": payload,
            },
        )
        records.append(
            {"payload": payload, "actor": actor, "treaty": treaty, "statement": statement}
            | {"event": event, "source": source, "topic": topic}
        )
    return records


def test_the_corpus_has_two_hundred_payloads_that_fit_every_field():
    assert len(CORPUS_PAYLOADS) >= 200
    # The admin strips surrounding whitespace, and a topic's name is unique.
    assert len({payload.strip() for payload in CORPUS_PAYLOADS}) == len(CORPUS_PAYLOADS)
    assert max(map(len, CORPUS_PAYLOADS)) <= 100  # Topic.name, Treaty.short_name


def test_the_admin_refuses_script_urls(editor_client):
    source = Source.objects.create(title="A source", url="https://example.org/a")
    url = reverse("admin:treaties_source_change", args=[source.pk])
    data = admin_form_data(editor_client.get(url))
    for hostile in ["javascript:xss()", "JaVaScRiPt:xss()", "data:text/html,<script>xss()"]:
        response = editor_client.post(url, {**data, "url": hostile})
        assert response.status_code == 200, hostile
        assert "Enter a valid URL." in response.content.decode()
    source.refresh_from_db()
    assert source.url == "https://example.org/a"


@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_on_any_public_page(live_server, page, editor_client):
    records = save_corpus(editor_client)
    found = []
    page.add_init_script(TRAP)
    page.on("dialog", lambda dialog: (found.append(f"dialog {dialog.message}"), dialog.dismiss()))
    local = urlsplit(live_server.url).netloc
    page.on(
        "request",
        lambda request: (
            None
            if urlsplit(request.url).netloc in {local, ""} or request.url.startswith("data:")
            else found.append(f"request to {request.url}")
        ),
    )
    page.on("console", lambda m: found.append(f"console {m.text}") if m.type == "error" else 0)
    page.on("pageerror", lambda error: found.append(f"page error {error}"))

    def visit(path):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found.extend(f"{path}: {hit}" for hit in page.evaluate("window.__xss"))
        state = page.evaluate(INSPECT)
        found.extend(f"{path}: {problem}" for problem in state["problems"])
        return state

    lists = [reverse("treaties:home"), reverse("treaties:timeline")]
    lists += [reverse("treaties:who_said_what"), reverse("treaties:search") + "?q=xss"]
    for path in lists:
        visit(path)
    pages = len(lists)
    for record in records:
        payload = record["payload"]
        state = visit(record["statement"].get_absolute_url())
        (quotation,) = state["jsonLd"]
        assert quotation["text"] == payload
        assert quotation["citation"]["name"] == payload
        assert quotation["about"][0]["alternateName"] == payload
        assert state["meta"]["og:description"] == payload
        for name in ("actor", "treaty", "event"):
            visit(record[name].get_absolute_url())
        pages += 4
        assert found == [], (payload, found)

    if os.environ.get("XSS_REPORT"):
        print(f"XSS: {len(PAYLOADS)} payloads, {pages} pages opened, {len(found)} problems")
    assert pages >= 4 * len(PAYLOADS)
    # Stored as typed: the pages were tested with the payloads themselves.
    assert Statement.objects.published().filter(text__in=PAYLOADS).count() == len(PAYLOADS)
