"""The intake's pages, mounted in the admin by IntakeAdmin (admin.py): paste, review, decide
one proposal (htmx: the row is replaced; without JavaScript the page reloads), publish."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from treaties.models import Actor, Status, Topic, Treaty

from . import workflow
from .forms import FORMS, PasteForm
from .models import Intake, Proposal, ProposalKind, ProposalStatus

CONTEXT_CHARS = 160
ACTIONS = {"accept", "reject", "reopen"}
ADD_PERMISSIONS = {
    ProposalKind.STATEMENT: "treaties.add_statement",
    ProposalKind.EVENT: "treaties.add_event",
    ProposalKind.ACTOR: "treaties.add_actor",
}


def paste(request, model_admin):
    form = PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        intake = workflow.propose(**form.cleaned_data, user=request.user)
        return redirect("admin:intake_intake_change", intake.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "New from article",
        "form": form,
    }
    return TemplateResponse(
        request, "admin/intake/paste.html", context, status=400 if form.errors else 200
    )


def review(request, model_admin, intake, bound: dict | None = None, status=200):
    """The one review screen: the source, then every proposal in the article's order."""
    bound = bound or {}
    proposals = list(intake.proposals.select_related("statement", "event", "actor"))
    choices = choice_lists()
    rows = [row(proposal, intake, bound.get(proposal.pk), choices) for proposal in proposals]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Review: {intake}",
        "intake": intake,
        "rows": rows,
        **tallies(proposals),
        "actor_names": suggested_speakers(proposals),
    }
    return TemplateResponse(request, "admin/intake/review.html", context, status=status)


def suggested_speakers(proposals) -> list[str]:
    """The speaker field's suggestions: the speakers proposed and the actors the article
    mentions, the likeliest corrections (not every actor: the page stays the same size
    however many the record holds). Any other spelling the record knows is still accepted."""
    named = {p.data.get("speaker") for p in proposals if p.kind == ProposalKind.STATEMENT}
    mentioned = {pk for p in proposals for pk in p.data.get("mentions", [])}
    names = Actor.objects.filter(pk__in=mentioned).values_list("name", flat=True)
    return sorted({*named, *(names if mentioned else [])} - {None, ""})


def choice_lists() -> dict:
    """Treaties and topics for every row's checkboxes, read once (small tables)."""
    return {
        "treaties": [(t.pk, t.short_name) for t in Treaty.objects.order_by("short_name")],
        "topics": [(t.pk, t.name) for t in Topic.objects.order_by("name")],
    }


def tallies(proposals) -> dict:
    """How many proposals wait for a decision, and how many accepted rows are still drafts."""
    records = [p.statement or p.event for p in proposals if p.status == ProposalStatus.ACCEPTED]
    return {
        "pending": sum(p.status == ProposalStatus.PENDING for p in proposals),
        "drafts": sum(1 for r in records if r is not None and r.status == Status.DRAFT),
    }


def row(proposal: Proposal, intake: Intake, form=None, choices=None) -> dict:
    if form is None and proposal.status == ProposalStatus.PENDING:
        form = FORMS[proposal.kind](initial=dict(proposal.data), prefix=f"p{proposal.pk}")
    if form is not None:
        choices = choices or choice_lists()
        for name, options in choices.items():
            if name in form.fields:
                form.fields[name].choices = options
    excerpt = None
    if proposal.start is not None:
        text = intake.text
        # Up to CONTEXT_CHARS before the passage, within its paragraph.
        paragraph_start = text.rfind("\n", 0, proposal.start) + 1
        excerpt = (
            text[max(paragraph_start, proposal.start - CONTEXT_CHARS) : proposal.start],
            text[proposal.start : proposal.end],
            text[proposal.end : proposal.end + CONTEXT_CHARS // 2],
        )
    return {"proposal": proposal, "form": form, "excerpt": excerpt}


@require_POST
def decide(request, model_admin, intake, proposal_pk, action):
    proposal = get_object_or_404(intake.proposals, pk=proposal_pk)
    if action not in ACTIONS:
        return HttpResponseBadRequest("Unknown action.")
    if not request.user.has_perm(ADD_PERMISSIONS[proposal.kind]):
        raise PermissionDenied
    form = None
    if action == "reject" and proposal.status == ProposalStatus.PENDING:
        workflow.reject(proposal)
    elif action == "reopen":
        workflow.reopen(proposal)
    elif action == "accept" and proposal.status == ProposalStatus.PENDING:
        form = FORMS[proposal.kind](request.POST, prefix=f"p{proposal.pk}")
        if form.is_valid():
            try:
                accept(proposal, form.cleaned_data)
                form = None
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
    if request.htmx:
        # The row, and the toolbar out of band (its counts and its Publish button).
        proposals = intake.proposals.select_related("statement", "event")
        context = {"item": row(proposal, intake, form), "intake": intake}
        toolbar = {"intake": intake, "oob": True, **tallies(proposals)}
        html = render_to_string("admin/intake/review.html#proposal-row", context, request)
        html += render_to_string("admin/intake/review.html#intake-toolbar", toolbar, request)
        return HttpResponse(html)
    if form is not None and form.errors:
        return review(request, model_admin, intake, bound={proposal.pk: form}, status=400)
    url = reverse("admin:intake_intake_change", args=[intake.pk])
    return redirect(f"{url}#{proposal.dom_id}")


def accept(proposal: Proposal, values: dict):
    """Validate as the model would (full_clean) and save the draft."""
    if proposal.kind == ProposalKind.ACTOR:
        workflow.accept_actor(proposal, name=values["name"], kind=values["kind"])
    elif proposal.kind == ProposalKind.EVENT:
        workflow.accept_event(proposal, values=values)
    else:
        speaker = values.get("actor") or workflow.new_actor_for(
            proposal.intake, values["speaker"].strip()
        )
        workflow.accept_statement(proposal, values=values, speaker=speaker)


@require_POST
def publish(request, model_admin, intake):
    if not request.user.has_perm("treaties.change_statement"):
        raise PermissionDenied
    published, skipped = workflow.publish(intake)
    if published:
        messages.success(request, f"Published {published} accepted row(s) of “{intake}”.")
    else:
        messages.info(request, "Nothing to publish: accept some rows first.")
    for name in skipped:
        messages.warning(request, f"Not published (it needs a speaker): {name}")
    url = reverse("admin:intake_intake_change", args=[intake.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
