"""The intake: rules (quotes, dates, names), the paste and review screens, drafts, publish."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake import workflow
from intake.dates import find_dates
from intake.extract import Lexicon, extract
from intake.models import Intake, Proposal, ProposalKind, ProposalStatus, surrounding
from intake.names import skeleton
from intake.text import quotes, sentences
from treaties.dates import DatePrecision
from treaties.models import Actor, Statement, Status

from .conftest import make_actor, make_source, make_statement, make_treaty

TUESDAY = datetime.date(2022, 11, 8)

ARTICLE = """\
Moscow Keeps Talking

The spokeswoman, Maria Zajárova, confirmed on Tuesday that talks on New START continue. \
“We maintain specific contacts with the United States on those issues,” the diplomat said.

“This has nothing to do with full relations,” Zajárova stressed.

Pavel Novak, a newcomer, was heard too. \
“We will not accept any of these proposals at all,” said Pavel Novak.
"""


# Rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He said “one two three four five”.", ["one two three four five"]),
        ("Er sagte „eins zwei drei vier fünf“.", ["eins zwei drei vier fünf"]),
        ("Il a dit «un deux trois quatre cinq».", ["un deux trois quatre cinq"]),
        ('She said "a b c d e" today.', ["a b c d e"]),
        ("“Outer ‘inner words’ still outer,” he said.", ["Outer ‘inner words’ still outer,"]),
        ("Russia’s view, let’s say, has no quotation.", []),
        ("An unclosed “quotation runs on", []),
    ],
)
def test_quotations_of_every_kind_and_nested_ones(text, expected):
    assert [q.text for q in quotes(text)] == expected


def test_sentences_never_split_inside_a_quotation_nor_at_a_typo():
    text = "“One. Two,” she said. An aide to Vladimir Putin. for the foreign policy. Next one."
    found = [text[s.start : s.end] for s in sentences(text)]
    assert found == [
        "“One. Two,” she said.",
        "An aide to Vladimir Putin. for the foreign policy.",
        "Next one.",
    ]


@pytest.mark.parametrize(
    "phrase, date, precision, approximate",
    [
        ("on Tuesday", datetime.date(2022, 11, 8), DatePrecision.DAY, False),
        ("last Monday", datetime.date(2022, 11, 7), DatePrecision.DAY, False),
        ("last week", datetime.date(2022, 11, 1), DatePrecision.EARLY_MONTH, True),
        ("in mid-October", datetime.date(2022, 10, 1), DatePrecision.MID_MONTH, False),
        ("a few weeks ago", datetime.date(2022, 10, 1), DatePrecision.MID_MONTH, True),
        ("on 25 August", datetime.date(2022, 8, 25), DatePrecision.DAY, False),
        ("on August 25", datetime.date(2022, 8, 25), DatePrecision.DAY, False),
        ("in 2021", datetime.date(2021, 1, 1), DatePrecision.YEAR, False),
        ("on February 24", datetime.date(2022, 2, 24), DatePrecision.DAY, False),
        (
            "at the beginning of December",
            datetime.date(2022, 12, 1),
            DatePrecision.EARLY_MONTH,
            False,
        ),
        ("at the end of this month", datetime.date(2022, 11, 1), DatePrecision.LATE_MONTH, False),
        ("in March 2019", datetime.date(2019, 3, 1), DatePrecision.MONTH, False),
        ("on 8 December 1987", datetime.date(1987, 12, 8), DatePrecision.DAY, False),
        ("on September 21Vladimir", datetime.date(2022, 9, 21), DatePrecision.DAY, False),
        ("el 25 de agosto", datetime.date(2022, 8, 25), DatePrecision.DAY, False),
    ],
)
def test_date_expressions_resolve_against_the_article_date(phrase, date, precision, approximate):
    (found,) = find_dates(f"It happened {phrase} there.", TUESDAY)
    assert (found.date, found.precision, found.approximate) == (date, precision, approximate)


def test_no_date_is_made_up_from_a_duration():
    assert (
        find_dates("They have not met for a year; years before, it was different.", TUESDAY) == []
    )


def test_transliterations_share_a_skeleton():
    assert skeleton("Zajárova") == skeleton("Zakharova") == skeleton("Захарова")
    assert skeleton("Riabkov") == skeleton("Ryabkov") == skeleton("Рябков")
    assert skeleton("Soloviov") == skeleton("Solovyov")
    assert skeleton("Juri Uschakow") != skeleton("Zakharova")


# Extraction against the record -------------------------------------------------------------


@pytest.fixture
def record(db):
    zakharova = make_actor("Maria Zakharova", aliases=["Мария Захарова"])
    us = make_actor("United States", kind="state", aliases=["US"])
    new_start = make_treaty("New START", slug="new-start")
    return {"zakharova": zakharova, "us": us, "new_start": new_start}


def test_speakers_through_aliases_transliteration_and_pronouns(record):
    found = extract(ARTICLE, TUESDAY, Lexicon.from_database())
    assert found.title == "Moscow Keeps Talking"
    by_text = {s.text: s for s in found.statements}
    quote = by_text["We maintain specific contacts with the United States on those issues"]
    assert quote.speaker.actor_id == record["zakharova"].pk  # "the diplomat" -> Zajárova
    assert (quote.when.date, quote.when.precision) == (TUESDAY, DatePrecision.DAY)
    assert "carried over" in quote.reason
    assert quote.mentions == [record["us"].pk]
    stressed = by_text["This has nothing to do with full relations"]
    assert stressed.speaker.actor_id == record["zakharova"].pk  # "Zajárova" (surname) = Zakharova
    (paraphrase,) = [s for s in found.statements if s.kind == "paraphrase"]
    assert paraphrase.speaker.actor_id == record["zakharova"].pk
    assert paraphrase.treaties == [record["new_start"].pk]
    new = by_text["We will not accept any of these proposals at all"]
    assert new.speaker is None and new.new_speaker == "Pavel Novak"
    assert found.new_actors == ["Pavel Novak"]


# The admin screens ------------------------------------------------------------------------------


def paste(client, **extra):
    data = {"text": ARTICLE, "published_on": "2022-11-08", "language": "en", **extra}
    return client.post(reverse("admin:intake_intake_add"), data)


def test_new_from_article_is_linked_from_the_sources_list_and_the_index(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert reverse("admin:intake_intake_add") in response.content.decode()
    response = editor_client.get(reverse("admin:treaties_source_changelist"))
    assert reverse("admin:intake_intake_add") in response.content.decode()


def test_paste_proposes_and_shows_the_review_screen(editor_client, record):
    response = paste(editor_client)
    intake = Intake.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:intake_intake_change", args=[intake.pk])
    kinds = list(intake.proposals.values_list("kind", flat=True))
    assert kinds.count(ProposalKind.STATEMENT) == 4
    assert ProposalKind.ACTOR in kinds
    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "htmx" in html and 'hx-headers=\'{"X-CSRFToken"' in html
    assert "Accept as draft" in html and "Publish the accepted drafts" in html
    assert Statement.objects.count() == 0  # nothing enters the record before a decision


def test_a_bad_paste_is_a_form_error(editor_client):
    response = editor_client.post(reverse("admin:intake_intake_add"), {"text": "x"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def accept_data(proposal, **changes):
    data = {**proposal.data, **changes}
    values = {
        f"p{proposal.pk}-{key}": value
        for key, value in data.items()
        if key in {"kind", "speaker", "text", "date", "date_precision", "title", "name"}
    }
    if data.get("date_approximate"):
        values[f"p{proposal.pk}-date_approximate"] = "on"
    if data.get("new_speaker"):
        values[f"p{proposal.pk}-new_speaker"] = "on"
    return values


def decide_url(proposal, action):
    return reverse("admin:intake_intake_decide", args=[proposal.intake_id, proposal.pk, action])


def test_accepting_with_htmx_makes_a_draft_with_offsets_and_returns_the_row(editor_client, record):
    paste(editor_client)
    proposal = Proposal.objects.filter(kind=ProposalKind.STATEMENT, data__kind="quote").first()
    response = editor_client.post(
        decide_url(proposal, "accept"),
        accept_data(proposal, speaker="Zakharova"),  # edited to another spelling
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and f'id="{proposal.dom_id}"' in html
    assert "accepted as a draft" in html
    assert 'id="intake-toolbar" class="intake-toolbar" hx-swap-oob="true"' in html
    assert "1 accepted draft" in html
    statement = Statement.objects.get()
    assert statement.status == Status.DRAFT
    assert statement.speaker == record["zakharova"]
    assert statement.source.title == "Moscow Keeps Talking"
    text = Intake.objects.get().text
    assert text[statement.passage_start : statement.passage_end] == statement.text
    before, passage, after = surrounding(statement)
    assert "confirmed on Tuesday" in before and passage == statement.text
    assert "This has nothing" in after


def test_a_wrong_edit_shows_errors_in_the_row_and_saves_nothing(editor_client, record):
    paste(editor_client)
    proposal = Proposal.objects.filter(kind=ProposalKind.STATEMENT).first()
    response = editor_client.post(
        decide_url(proposal, "accept"),
        accept_data(proposal, date="2022-10-13", date_precision="mid", speaker="Nobody Known"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "first day of that month" in html
    assert "No actor is called “Nobody Known”" in html
    assert Statement.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_a_new_speaker_becomes_a_new_actor_when_accepted(editor_client, record):
    paste(editor_client)
    proposal = Proposal.objects.get(kind=ProposalKind.STATEMENT, data__new_speaker=True)
    editor_client.post(decide_url(proposal, "accept"), accept_data(proposal))
    statement = Statement.objects.get()
    assert statement.speaker.name == "Pavel Novak"
    actor_proposal = Proposal.objects.get(kind=ProposalKind.ACTOR)
    assert actor_proposal.status == ProposalStatus.ACCEPTED
    assert actor_proposal.actor == statement.speaker


def test_reject_and_review_again_without_javascript(editor_client, record):
    paste(editor_client)
    proposal = Proposal.objects.filter(kind=ProposalKind.EVENT).first() or Proposal.objects.first()
    response = editor_client.post(decide_url(proposal, "reject"))
    assert response.status_code == 302 and response["Location"].endswith(f"#{proposal.dom_id}")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    editor_client.post(decide_url(proposal, "reopen"))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_unknown_action_and_proposal_are_refused(editor_client, record):
    paste(editor_client)
    proposal = Proposal.objects.first()
    assert editor_client.post(decide_url(proposal, "delete")).status_code == 400
    url = reverse("admin:intake_intake_decide", args=[proposal.intake_id, 999999, "accept"])
    assert editor_client.post(url).status_code == 404
    assert editor_client.get(decide_url(proposal, "accept")).status_code == 405
    review = reverse("admin:intake_intake_change", args=["abc"])
    assert editor_client.get(review).status_code == 404


def test_the_public_and_non_staff_cannot_use_the_intake(client, record):
    response = client.get(reverse("admin:intake_intake_add"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_nothing_is_published_until_the_editor_presses_publish(editor_client, record):
    paste(editor_client)
    statements = Proposal.objects.filter(kind=ProposalKind.STATEMENT, data__new_speaker=False)
    for proposal in statements:
        editor_client.post(decide_url(proposal, "accept"), accept_data(proposal))
    assert Statement.objects.filter(status=Status.DRAFT).count() == 3
    assert not Statement.objects.published().exists()
    intake = Intake.objects.get()
    response = editor_client.post(reverse("admin:intake_intake_publish", args=[intake.pk]))
    assert response.status_code == 302
    assert Statement.objects.published().count() == 3
    pending = Proposal.objects.filter(status=ProposalStatus.PENDING).count()
    assert pending > 0  # the rows not accepted stay proposals, unpublished


def test_the_statement_page_shows_the_sentences_around_the_words(
    client, editor_client, record, django_assert_num_queries
):
    paste(editor_client)
    proposal = Proposal.objects.filter(kind=ProposalKind.STATEMENT, data__kind="quote").first()
    editor_client.post(decide_url(proposal, "accept"), accept_data(proposal))
    editor_client.post(reverse("admin:intake_intake_publish", args=[Intake.objects.get().pk]))
    statement = Statement.objects.published().get()
    url = statement.get_absolute_url()
    html = client.get(url).content.decode()
    assert "In the article" in html
    assert (
        "confirmed on Tuesday that talks on New START continue. “<mark>"
        "We maintain specific contacts with the United States on those issues</mark>"
    ) in html
    assert "This has nothing to do with full relations" in html
    # One more query than a statement typed in by hand: the article's text.
    typed = make_statement(speaker=statement.speaker, source=statement.source)
    with django_assert_num_queries(count_queries(client, typed.get_absolute_url()) + 1):
        client.get(url)
    assert "In the article" not in client.get(typed.get_absolute_url()).content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_an_existing_source_is_matched_by_url_or_near_title(editor_client, record):
    by_url = make_source("Another title", url="https://example.org/moscow")
    paste(editor_client, url="https://example.org/moscow")
    assert Intake.objects.get().source == by_url
    Intake.objects.all().delete()
    by_title = make_source("Moscow keeps talking", url="https://example.org/other")
    paste(editor_client)
    intake = Intake.objects.get()
    assert intake.source == by_title and intake.matched_existing
    assert workflow.find_existing_source(url="", title="Something else entirely") is None


def test_review_page_queries_do_not_grow_with_the_rows(
    editor_client, record, django_assert_max_num_queries
):
    paste(editor_client)
    intake = Intake.objects.get()
    with django_assert_max_num_queries(14):
        editor_client.get(reverse("admin:intake_intake_change", args=[intake.pk]))


def test_the_speaker_suggestions_are_the_articles_names_not_every_actor(editor_client, record):
    make_actor("Somebody Unrelated")
    paste(editor_client)
    response = editor_client.get(
        reverse("admin:intake_intake_change", args=[Intake.objects.get().pk])
    )
    names = response.context["actor_names"]
    assert "United States" in names  # mentioned in the article
    assert {"Maria Zakharova", "Pavel Novak"} <= set(names)  # the speakers proposed
    assert "Somebody Unrelated" not in names


def test_an_actor_proposal_can_be_accepted_alone(editor_client, record):
    paste(editor_client)
    proposal = Proposal.objects.get(kind=ProposalKind.ACTOR)
    editor_client.post(
        decide_url(proposal, "accept"),
        {f"p{proposal.pk}-name": "Pavel Novák", f"p{proposal.pk}-kind": "person"},
    )
    assert Actor.objects.filter(name="Pavel Novák", slug="pavel-novak").exists()


def test_an_edited_passage_keeps_offsets_that_point_at_its_words():
    text = "First sentence here. “Quoted words,” he said. Quoted words again later."
    proposal = Proposal(start=22, end=34)  # "Quoted words"
    assert workflow.passage(text, proposal, {"text": "Quoted words"}) == (22, 34)
    # Taken in the sentence before: the words are found where they stand.
    wider = "First sentence here."
    assert workflow.passage(text, proposal, {"text": wider}) == (0, 20)
    # Of two places, the nearest to the proposal; words nowhere verbatim keep the proposal's.
    assert workflow.passage(text, Proposal(start=50, end=62), {"text": "Quoted words"})[0] == 46
    assert workflow.passage(text, proposal, {"text": "Words not there"}) == (22, 34)
