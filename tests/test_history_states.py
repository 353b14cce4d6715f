"""Random sequences of what editors do to statements in the admin (create, edit, publish,
unpublish, delete, revert to any past version, which for a deleted statement is the undelete),
driven by Hypothesis. After every step:

- every version the statement has had (its fields and its treaties, mentions and topics) is
  still in its history, and the current row and links are the last of them;
- every permalink that was ever published answers 200 (published now), 301 (an old slug) or
  410 (deleted or unpublished since), never 404 or 500.

Each step goes through the admin and costs about a second on a busy machine, so the suite runs
a couple of sequences (HISTORY_EXAMPLES, default 2, up to 40 steps each); the issue's run of
at least 500 steps is `HISTORY_EXAMPLES=30 HISTORY_REPORT=1 pytest tests/test_history_states.py`
(see README), which prints the figures.
"""

import os

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from simple_history.utils import get_m2m_reverse_field_name

from treaties.models import Statement, Status, Topic
from treaties.recovery import version_links

from .conftest import admin_form_data, make_actor, make_editor, make_source, make_treaty

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HISTORY_EXAMPLES", "2"))
STEPS = 40
FIELDS = ["text", "status", "speaker_id", "source_id", "date", "kind", "editor_note", "slug"]
LINKS = ["treaties", "mentions", "topics"]
PHRASES = [
    "We maintain specific contacts",
    "It would be an absolute provocation",
    "The treaty remains in force",
    "Мы сохраняем контакты",
    "Inspections will resume",
]
DATES = ["2021-02-05", "2022-11-08", "2023-02-21"]
ADMIN_FIELDS = [
    *["speaker", "kind", "status", "text", "original_text", "original_language", "date"],
    *["date_precision", "date_approximate", "setting", "setting_detail", "source"],
    *["source_locator", "treaties", "mentions", "topics", "editor_note", "slug"],
]

figures = {"steps": 0, "versions checked": 0, "permalinks checked": 0, "sequences": 0}


def state_of(version) -> tuple:
    """What an editor can get back: the fields and the many-to-many links."""
    fields = fields_of(version)
    links = version_links(version) if hasattr(version, "history_id") else current_links(version)
    return fields, tuple(tuple(sorted(links[name])) for name in LINKS)


def kept_states(pk) -> set[tuple]:
    """Every state in a statement's history, in four queries however many versions it has."""
    versions = list(Statement.history.filter(id=pk).exclude(history_type="-"))
    links = {version.history_id: {name: [] for name in LINKS} for version in versions}
    for name in LINKS:
        through = getattr(Statement.history.model, name).model
        target = get_m2m_reverse_field_name(Statement._meta.get_field(name))
        rows = through.objects.filter(history_id__in=links)
        for history_id, linked in rows.values_list("history_id", f"{target}_id"):
            links[history_id][name].append(linked)
    return {
        (fields_of(version), tuple(tuple(sorted(links[version.history_id][n])) for n in LINKS))
        for version in versions
    }


def fields_of(record) -> tuple:
    return tuple(str(getattr(record, name)) for name in FIELDS)


def form_data(statement) -> dict:
    """What the admin's change form would send back untouched (built from the row rather
    than by rendering the form, which would triple the cost of a step)."""
    data = {}
    for name, value in model_to_dict(statement, fields=ADMIN_FIELDS).items():
        if isinstance(value, list):
            data[name] = [str(item.pk) for item in value]
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    return data


def current_links(statement) -> dict[str, list[int]]:
    return {name: list(getattr(statement, name).values_list("pk", flat=True)) for name in LINKS}


@st.composite
def contents(draw):
    """What an editor types into a statement's form."""
    return {
        "text": f"{draw(st.sampled_from(PHRASES))}, {draw(st.integers(1, 10**6))}.",
        "editor_note": draw(st.sampled_from(["", "A note.", "The source misquotes."])),
        "date": draw(st.sampled_from(DATES)),
        "kind": draw(st.sampled_from(["quote", "paraphrase"])),
        "picks": draw(st.tuples(*(st.sets(st.integers(0, 2), max_size=3) for _ in LINKS))),
        "who": draw(st.integers(0, 1)),
    }


class EditorsAtWork(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each sequence starts from the same few records and leaves nothing behind.
        self.transaction = transaction.atomic()
        self.transaction.__enter__()
        self.editor = Client()
        self.editor.force_login(make_editor(username="history-editor"))
        self.reader = Client()
        self.choices = {
            "treaties": [make_treaty().pk for _ in range(3)],
            "mentions": [make_actor().pk for _ in range(3)],
            "topics": [
                Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}").pk for n in range(3)
            ],
            "speaker": [make_actor().pk for _ in range(2)],
            "source": [make_source().pk for _ in range(2)],
        }
        self.versions = {}  # statement id -> [state after each change]
        self.permalinks = {}  # statement id -> every URL it was published at
        self.touched = None  # the statement the last step changed
        figures["sequences"] += 1

    def teardown(self):
        try:
            self.check_permalinks(self.permalinks)
        finally:
            transaction.set_rollback(True)
            self.transaction.__exit__(None, None, None)

    # Steps -------------------------------------------------------------------------------

    def alive(self):
        return sorted(Statement.objects.values_list("pk", flat=True))

    def known(self):
        return sorted(self.versions)

    def submit(self, url, data):
        response = self.editor.post(url, data)
        assert response.status_code == 302, (url, response.context and response.context["errors"])

    def record(self, pk):
        statement = Statement.objects.get(pk=pk)
        state = state_of(statement)
        versions = self.versions.setdefault(pk, [])
        if not versions or versions[-1] != state:
            versions.append(state)
        if statement.is_published:
            self.permalinks.setdefault(pk, set()).add(statement.get_absolute_url())
        self.touched = pk
        figures["steps"] += 1

    def form_values(self, content):
        values = {
            "text": content["text"],
            "editor_note": content["editor_note"],
            "date": content["date"],
            "kind": content["kind"],
            "speaker": str(self.choices["speaker"][content["who"]]),
            "source": str(self.choices["source"][content["who"]]),
        }
        for name, picks in zip(LINKS, content["picks"], strict=True):
            values[name] = [str(self.choices[name][i]) for i in sorted(picks)]
        return values

    @rule(content=contents(), publish=st.booleans())
    def create(self, content, publish):
        data = {**self.form_values(content), "date_precision": "day"}
        data["status"] = Status.PUBLISHED if publish else Status.DRAFT
        self.submit(reverse("admin:treaties_statement_add"), data)
        self.record(Statement.objects.latest("pk").pk)

    def change(self, pk, **changes):
        statement = Statement.objects.get(pk=pk)
        url = reverse("admin:treaties_statement_change", args=[pk])
        self.submit(url, {**form_data(statement), **changes})
        self.record(pk)

    @precondition(lambda self: self.alive())
    @rule(data=st.data(), content=contents())
    def edit(self, data, content):
        self.change(data.draw(st.sampled_from(self.alive())), **self.form_values(content))

    @precondition(lambda self: self.alive())
    @rule(data=st.data(), status=st.sampled_from([Status.PUBLISHED, Status.DRAFT]))
    def publish_or_unpublish(self, data, status):
        self.change(data.draw(st.sampled_from(self.alive())), status=status)

    def drafts(self):
        return sorted(
            Statement.objects.exclude(status=Status.PUBLISHED).values_list("pk", flat=True)
        )

    @precondition(lambda self: self.drafts())
    @rule(data=st.data())
    def delete(self, data):
        """Editors may delete only drafts: a published statement is unpublished first."""
        pk = data.draw(st.sampled_from(self.drafts()))
        self.submit(reverse("admin:treaties_statement_delete", args=[pk]), {"post": "yes"})
        assert not Statement.objects.filter(pk=pk).exists()
        self.touched = pk
        figures["steps"] += 1

    @precondition(lambda self: self.known())
    @rule(data=st.data())
    def revert(self, data):
        """Back to any earlier version, the statement deleted or not (an undelete)."""
        pk = data.draw(st.sampled_from(self.known()))
        history = Statement.history.filter(id=pk).exclude(history_type="-").order_by("history_id")
        version = data.draw(st.sampled_from(list(history)))
        url = reverse("admin:treaties_statement_simple_history", args=[pk, version.history_id])
        self.submit(url, admin_form_data(self.editor.get(url)))
        assert state_of(Statement.objects.get(pk=pk)) == state_of(version)
        self.record(pk)

    # Checks after every step ---------------------------------------------------------------

    @invariant()
    def every_version_is_recoverable(self):
        for pk, versions in self.versions.items():
            kept = kept_states(pk)
            missing = [state for state in versions if state not in kept]
            assert not missing, (pk, missing)
            figures["versions checked"] += len(versions)
            if statement := Statement.objects.filter(pk=pk).first():
                assert state_of(statement) == versions[-1]

    @invariant()
    def every_published_permalink_answers(self):
        """Those of the statement the step changed (the others' answers cannot have changed;
        teardown checks them all at the end of the sequence)."""
        if self.touched in self.permalinks:
            self.check_permalinks({self.touched: self.permalinks[self.touched]})

    def check_permalinks(self, permalinks):
        published = set(
            Statement.objects.published().filter(pk__in=permalinks).values_list("pk", flat=True)
        )
        for pk, urls in permalinks.items():
            short = reverse("treaties:statement_short", args=[pk])
            for url in [*urls, short]:
                status = self.reader.get(url).status_code
                assert status in {200, 301, 410}, (url, status)
                assert (status != 410) == (pk in published), (url, status)
                figures["permalinks checked"] += 1
            if pk in published:
                canonical = Statement.objects.get(pk=pk).get_absolute_url()
                assert self.reader.get(canonical).status_code == 200


def test_random_editing_never_loses_a_version_or_breaks_a_permalink():
    run_state_machine_as_test(
        EditorsAtWork,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,  # nothing written into the working tree
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    if os.environ.get("HISTORY_REPORT"):
        print(figures)
    # Hypothesis ends some sequences early; each of these runs at least a few steps.
    assert figures["steps"] >= 10 * EXAMPLES, figures
