"""From paste to published: propose, accept or reject one row at a time, publish.

Plain keyword-only functions (no service class): the admin views in views.py call them, and
so do the tests and the benchmark.
"""

import re
import time

from django.db import transaction
from django.utils.text import slugify

from treaties.duplicates import similar_source, similar_statement
from treaties.models import Actor, ActorKind, Event, Source, Statement, Status

from .extract import Extraction, Lexicon, extract
from .models import Intake, Proposal, ProposalKind, ProposalStatus

CHANGE_REASON = "Entered from an article (intake)"


def find_existing_source(*, url: str, title: str) -> Source | None:
    """The source with the same URL, or nearly the same title (treaties/duplicates.py)."""
    return similar_source(url=url, title=title)


def propose(
    *,
    text,
    published_on,
    title="",
    url="",
    outlet=None,
    author="",
    language="",
    user=None,
    lexicon: Lexicon | None = None,
) -> Intake:
    """Run the rules over the text and store what they propose, for the review screen."""
    started = time.perf_counter()
    lexicon = lexicon or Lexicon.from_database()
    found = extract(text, published_on, lexicon)
    title = title or found.title or text.strip().splitlines()[0][:500]
    existing = find_existing_source(url=url, title=title)
    with transaction.atomic():
        intake = Intake.objects.create(
            title=title,
            text=text,
            url=url,
            outlet=outlet,
            author=author,
            published_on=published_on,
            language=language,
            source=existing,
            matched_existing=existing is not None,
            created_by=user,
        )
        Proposal.objects.bulk_create(proposals_for(intake, found))
        intake.extraction_ms = round((time.perf_counter() - started) * 1000)
        intake.save(update_fields=["extraction_ms"])
    return intake


def proposals_for(intake: Intake, found: Extraction) -> list[Proposal]:
    rows = []
    for name in found.new_actors:
        rows.append(
            Proposal(
                kind=ProposalKind.ACTOR,
                data={"name": name, "kind": ActorKind.PERSON},
                reason="Named as a speaker, and not in the record under any spelling.",
            )
        )
    for s in found.statements:
        rows.append(
            Proposal(
                kind=ProposalKind.STATEMENT,
                start=s.start,
                end=s.end,
                reason=s.reason,
                data={
                    "text": s.text,
                    "kind": s.kind,
                    "speaker": s.speaker.name if s.speaker else s.new_speaker,
                    "speaker_id": s.speaker.actor_id if s.speaker else None,
                    "new_speaker": bool(s.new_speaker),
                    **_when(s.when, "date"),
                    "setting": s.setting,
                    "paragraph": s.paragraph,
                    "treaties": s.treaties,
                    "topics": s.topics,
                    "mentions": s.mentions,
                    "duplicate_of": _duplicate_of(s),
                },
            )
        )
    for e in found.events:
        rows.append(
            Proposal(
                kind=ProposalKind.EVENT,
                start=e.start,
                end=e.end,
                reason=e.reason,
                data={
                    "title": e.title,
                    "kind": e.kind,
                    **_when(e.when, "date"),
                    **(_when(e.end_when, "end_date") if e.end_when else {}),
                    "paragraph": e.paragraph,
                    "treaties": e.treaties,
                    "actors": e.actors,
                },
            )
        )
    for position, row in enumerate(rows, start=1):
        row.intake = intake
        row.position = position
    return rows


def _duplicate_of(proposal) -> int | None:
    """The statement already in the record in nearly these words, by this speaker."""
    if proposal.speaker is None:
        return None
    found = similar_statement(
        speaker_id=proposal.speaker.actor_id, text=proposal.text, date=proposal.when.date
    )
    return found.pk if found else None


def _when(when, field) -> dict:
    precision_field = "date_precision" if field == "date" else "end_precision"
    values = {field: when.date.isoformat(), precision_field: str(when.precision)}
    if field == "date":
        values["date_approximate"] = when.approximate
    return values


# Deciding ----------------------------------------------------------------------------------


def source_for(intake: Intake) -> Source:
    """The intake's source, created from the details the editor gave if it has none yet."""
    if intake.source_id is None:
        source = Source(
            title=intake.title,
            outlet=intake.outlet,
            author=intake.author,
            url=intake.url,
            published_on=intake.published_on,
            language=intake.language,
        )
        source._change_reason = CHANGE_REASON
        source.save()
        intake.source = source
        intake.save(update_fields=["source"])
    return intake.source


def unique_slug(model, text: str, max_length: int) -> str:
    base = slugify(text)[: max_length - 6].strip("-") or "untitled"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def passage(text: str, proposal: Proposal, values: dict) -> tuple[int | None, int | None]:
    """Where the accepted words stand in the article: the proposal's span, or, when the editor
    changed the words (took in a sentence more, say), where the new words stand, the
    occurrence nearest the proposal; the proposal's span if they are nowhere verbatim."""
    words = values["text"].strip()
    if proposal.start is None or text[proposal.start : proposal.end] == words:
        return proposal.start, proposal.end
    found = [m.start() for m in re.finditer(re.escape(words), text)] if words else []
    if not found:
        return proposal.start, proposal.end
    start = min(found, key=lambda at: abs(at - proposal.start))
    return start, start + len(words)


@transaction.atomic
def accept_statement(proposal: Proposal, *, values: dict, speaker: Actor) -> Statement:
    """A draft statement from the (edited) proposal, linked to the source, offsets kept."""
    intake = proposal.intake
    start, end = passage(intake.text, proposal, values)
    statement = Statement(
        speaker=speaker,
        text=values["text"],
        kind=values["kind"],
        date=values["date"],
        date_precision=values["date_precision"],
        date_approximate=values["date_approximate"],
        setting=values.get("setting", ""),
        original_language=intake.language if intake.language != "en" else "",
        source=source_for(intake),
        source_locator=f"paragraph {proposal.data.get('paragraph')}"
        if proposal.data.get("paragraph")
        else "",
        passage_start=start,
        passage_end=end,
        status=Status.DRAFT,
    )
    statement._change_reason = CHANGE_REASON
    statement.save()
    statement.treaties.set(values.get("treaties", []))
    statement.topics.set(values.get("topics", []))
    statement.mentions.set(Actor.objects.filter(pk__in=proposal.data.get("mentions", [])))
    _decided(proposal, ProposalStatus.ACCEPTED, statement=statement)
    return statement


@transaction.atomic
def accept_event(proposal: Proposal, *, values: dict) -> Event:
    event = Event(
        title=values["title"],
        slug=unique_slug(Event, values["title"], 120),
        kind=values["kind"],
        date=values["date"],
        date_precision=values["date_precision"],
        date_approximate=values["date_approximate"],
        end_date=values.get("end_date"),
        end_precision=values.get("end_precision") or "day",
        source=source_for(proposal.intake),
        source_locator=f"paragraph {proposal.data.get('paragraph')}"
        if proposal.data.get("paragraph")
        else "",
        status=Status.DRAFT,
    )
    event._change_reason = CHANGE_REASON
    event.save()
    event.treaties.set(values.get("treaties", []))
    event.actors.set(Actor.objects.filter(pk__in=proposal.data.get("actors", [])))
    _decided(proposal, ProposalStatus.ACCEPTED, event=event)
    return event


@transaction.atomic
def accept_actor(proposal: Proposal, *, name: str, kind: str) -> Actor:
    actor = Actor(name=name, kind=kind, slug=unique_slug(Actor, name, 200))
    actor._change_reason = CHANGE_REASON
    actor.save()
    _decided(proposal, ProposalStatus.ACCEPTED, actor=actor)
    return actor


def new_actor_for(intake: Intake, name: str, kind: str = ActorKind.PERSON) -> Actor:
    """The actor a statement's new speaker becomes: its actor proposal, accepted."""
    proposal = intake.proposals.filter(kind=ProposalKind.ACTOR, data__name=name).first()
    if proposal and proposal.actor_id:
        return proposal.actor
    if proposal:
        return accept_actor(proposal, name=name, kind=kind)
    actor = Actor(name=name, kind=kind, slug=unique_slug(Actor, name, 200))
    actor._change_reason = CHANGE_REASON
    actor.save()
    return actor


def reject(proposal: Proposal):
    _decided(proposal, ProposalStatus.REJECTED)


def reopen(proposal: Proposal):
    """Undo a rejection (an accepted row is a draft now: edit or delete it in its own page)."""
    if proposal.status == ProposalStatus.REJECTED:
        _decided(proposal, ProposalStatus.PENDING)


def _decided(proposal: Proposal, status: str, **links):
    proposal.status = status
    for field, value in links.items():
        setattr(proposal, field, value)
    proposal.save(update_fields=["status", *links])


@transaction.atomic
def publish(intake: Intake) -> tuple[int, list[str]]:
    """Publish the drafts accepted from this intake: the editor's explicit act. Returns how
    many were published and what could not be (a statement without a speaker)."""
    published, skipped = 0, []
    accepted = intake.proposals.filter(status=ProposalStatus.ACCEPTED).select_related(
        "statement", "event"
    )
    for proposal in accepted:
        record = proposal.statement or proposal.event
        if record is None or record.status == Status.PUBLISHED:
            continue
        if isinstance(record, Statement) and record.speaker_id is None:
            skipped.append(str(record))
            continue
        record.status = Status.PUBLISHED
        record._change_reason = "Published from the intake review"
        record.save()
        published += 1
    return published, skipped
