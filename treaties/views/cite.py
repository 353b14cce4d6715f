"""A record's citation as a file (BibTeX, RIS, CSL-JSON) and a statement's share card."""

import json

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from ..citations import bibtex, citation_context, event_csl, ris, statement_csl
from ..corrections import corrections
from ..models import Event, Statement, speaker_roles
from ..sharing import card_etag, card_lines, share_card_png

# extension -> (writer, media type)
FORMATS = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (
        lambda item: json.dumps([item], ensure_ascii=False, indent=2) + "\n",
        "application/vnd.citationstyles.csl+json; charset=utf-8",
    ),
}

CARD_MAX_AGE = 60 * 60 * 24  # a day; the ETag makes a revalidation cheap


def _download(item: dict, fmt: str, filename: str) -> HttpResponse:
    writer, content_type = FORMATS[fmt]
    response = HttpResponse(writer(item), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_safe
def statement_citation(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404("No such citation format.")
    statement = get_object_or_404(
        Statement.objects.visible_to(request.user).select_related("speaker", "source__outlet"),
        pk=pk,
    )
    url = request.build_absolute_uri(statement.get_absolute_url())
    item = statement_csl(statement, url=url, accessed=timezone.localdate())
    return _download(item, fmt, f"statement-{statement.pk}")


@require_safe
def event_citation(request, slug, fmt):
    if fmt not in FORMATS:
        raise Http404("No such citation format.")
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("source__outlet"), slug=slug
    )
    url = request.build_absolute_uri(event.get_absolute_url())
    item = event_csl(event, url=url, accessed=timezone.localdate())
    return _download(item, fmt, f"event-{event.slug}")


@require_safe
def statement_card(request, pk):
    """The og:image of a published statement (a draft has none: link previews are public)."""
    statement = get_object_or_404(
        Statement.objects.published().select_related("speaker").prefetch_related(speaker_roles()),
        pk=pk,
    )
    lines = card_lines(statement, statement.speaker_role)
    etag = card_etag(lines)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        # Kept by the ETag (the card's content) in Django's cache, so a card shared widely is
        # drawn once per cache rather than once per link preview.
        key = f"share-card:{etag.strip(chr(34))}"
        png = cache.get(key)
        if png is None:
            png = share_card_png(lines)
            cache.set(key, png, CARD_MAX_AGE)
        response = HttpResponse(png, content_type="image/png")
        response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CARD_MAX_AGE)
    return response


# What the statement and event pages add to their context ----------------------------------


def statement_page_context(request, statement, *, url: str, corrected: bool) -> dict:
    """The "Cite" block, the share card's address and the list of corrections (read only
    for a statement saved again after it was published: corrected)."""
    item = statement_csl(statement, url=url, accessed=timezone.localdate())
    found = corrections(statement) if corrected and statement.is_published else []
    return {
        "cite": citation_context(item),
        "cite_downloads": _downloads("treaties:statement_citation", pk=statement.pk),
        "share_card_url": request.build_absolute_uri(
            reverse("treaties:statement_card", kwargs={"pk": statement.pk})
        ),
        "corrections": found,
        "last_updated": found[0].when if found else None,
    }


def event_page_context(request, event) -> dict:
    url = request.build_absolute_uri(event.get_absolute_url())
    item = event_csl(event, url=url, accessed=timezone.localdate())
    return {
        "cite": citation_context(item),
        "cite_downloads": _downloads("treaties:event_citation", slug=event.slug),
    }


DOWNLOAD_LABELS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def _downloads(name: str, **kwargs) -> list[tuple[str, str]]:
    return [
        (label, reverse(name, kwargs={**kwargs, "fmt": fmt}))
        for fmt, label in DOWNLOAD_LABELS.items()
    ]
