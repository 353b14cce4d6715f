"""The download views: a list's filters from the query string, as on its page, and the
list streamed as CSV or JSON. A filter that is not valid answers 400 with what is wrong:
a download must not quietly hold more than was asked for."""

from django.http import HttpResponseBadRequest, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from treaties import search as finder
from treaties.filters import SearchForm, TimelineFilterForm, WhoSaidWhatFilterForm
from treaties.views.lists import query_string

from . import rows
from .formats import csv_chunks, json_chunks

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _invalid(problems):
    text = "These filters are not valid:\n" + "".join(f"- {problem}\n" for problem in problems)
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def _download(request, fmt, *, name, page, filters, records, extra=()):
    """records streamed as fmt; `page` names the list page the filters apply to."""
    query = query_string(filters)
    if fmt == "csv":
        chunks = csv_chunks(records, extra=extra)
    else:
        about = {
            "list": name,
            "filters": QueryDict(query).dict(),
            "page": request.build_absolute_uri(
                f"{reverse(page)}?{query}" if query else reverse(page)
            ),
        }
        chunks = json_chunks(records, about=about)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
def timeline(request, fmt):
    """The timeline with its filters; also a treaty's record (?treaty=) and an actor's
    statements (?actor=...&kind=statements). The whole list, not the page after ?after=."""
    form = TimelineFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(form.problems)
    filters = form.filters()
    filters.pop("after", None)
    absolute = request.build_absolute_uri
    return _download(
        request,
        fmt,
        name="timeline",
        page="treaties:timeline",
        filters=filters,
        records=rows.timeline(filters, absolute),
    )


@require_safe
def who_said_what(request, fmt):
    form = WhoSaidWhatFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(form.problems)
    filters = form.filters()
    filters.pop("page", None)
    return _download(
        request,
        fmt,
        name="who-said-what",
        page="treaties:who_said_what",
        filters=filters,
        records=rows.who_said_what(filters, request.build_absolute_uri),
        extra=("side",),
    )


@require_safe
def search(request, fmt):
    """The statements a search finds, best first (other kinds of result are records with
    their own pages and API lists)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _invalid(form.problems)
    query = form.filters().get("q", "")
    terms = finder.words(query)
    if not terms:
        return _invalid(["Search for words: letters or digits, in any script (?q=words)."])
    return _download(
        request,
        fmt,
        name="search",
        page="treaties:search",
        filters={"q": query},
        records=rows.search_results(terms, request.build_absolute_uri),
    )
