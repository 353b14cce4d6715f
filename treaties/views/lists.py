"""The timeline and "who said what": filtered lists that htmx updates in place.

One view renders either the whole page or, for an htmx request, the partial the request
targets. Bad filter values are reported on the page and left out; the rest still apply.
"""

import csv
import datetime

from django.db.models import Case, Model, OuterRef, StringAgg, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from ..dates import format_date
from ..filters import TimelineFilterForm, WhoSaidWhatFilterForm
from ..models import Role
from ..sides import sides_page
from ..timeline import statements_for, timeline_page


def query_string(filters: dict, **changes) -> str:
    """The filters as a URL query ("treaty=new-start&from=2022-01-01"), empty ones left out."""
    query = QueryDict(mutable=True)
    for name, value in {**filters, **changes}.items():
        if value in ("", None):
            continue
        if isinstance(value, Model):
            value = value.slug
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        query[name] = str(value)
    return query.urlencode()


def render_list(request, template, context, *, partials, invalid=False, clean_url=""):
    """The page, or for htmx the partial named after the element it targets.

    partials: the inline partials htmx may ask for by target id; the first one ("results",
    the whole list) is the default, and the only one whose URL goes into the history, as
    clean_url: the filtered view's tidy URL, without the form's empty fields. A partial
    rendered for htmx gets `fragment` in its context: "results" then opens with a <title>
    (htmx takes it from the top of a response) so the tab and history name the view.

    Invalid filters answer 400 with the page and its message. An htmx request gets 200
    even so: htmx 2 does not swap a 4xx response, and the message must replace the list.
    """
    fragment = request.htmx and not request.htmx.history_restore_request
    target = partials[0]
    if fragment and request.htmx.target in partials:
        target = request.htmx.target
    if fragment:
        template = f"{template}#{target}"
        context = {**context, "fragment": True}
    status = 400 if invalid and not fragment else 200
    response = render(request, template, context, status=status)
    if fragment and target == partials[0] and clean_url:
        push_url(response, clean_url)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _url(name, query):
    url = reverse(name)
    return f"{url}?{query}" if query else url


def _problems(form, result, noun):
    problems = form.problems
    if result.out_of_range:
        problems.append(
            f"There is no page {result.requested_page} of {noun}: it has "
            f"{result.page.paginator.num_pages}. Showing page {result.page.number}."
        )
    return problems


def _timeline_title(filters):
    subjects = [str(filters[name]) for name in ("treaty", "actor") if name in filters]
    return f"Timeline: {', '.join(subjects)}" if subjects else "Timeline"


def _who_said_what_title(filters):
    title = "Who said what"
    if treaty := filters.get("treaty"):
        title += f" about {treaty}"
    if topic := filters.get("topic"):
        title += f" on {topic}"
    return title


@require_safe
def timeline(request):
    form = TimelineFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    cursor = filters.pop("after", None)
    result = timeline_page(filters, cursor=cursor)
    base_query = query_string(filters)
    context = {
        "page_title": _timeline_title(filters),
        "form": form,
        "filters": filters,
        "result": result,
        "problems": form.problems,
        "base_query": base_query,
        "next_query": query_string(filters, after=result.next_cursor),
        "export_url": _url("treaties:timeline_export", base_query),
        "clear_url": reverse("treaties:timeline"),
        "first_url": _url("treaties:timeline", base_query),
    }
    return render_list(
        request,
        "treaties/timeline.html",
        context,
        partials=["results", "more"],
        invalid=bool(form.errors),
        clean_url=_url("treaties:timeline", query_string(filters, after=cursor)),
    )


@require_safe
def who_said_what(request):
    form = WhoSaidWhatFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    result = sides_page(filters)
    filters.pop("page", None)
    page_number = result.page.number if result.page.number > 1 else None
    context = {
        "page_title": _who_said_what_title(filters),
        "form": form,
        "filters": filters,
        "result": result,
        "page_obj": result.page,
        "problems": _problems(form, result, "this list"),
        "base_query": query_string(filters),
        # "All N statements" links: the speaker's statements on the timeline, same treaty.
        "timeline_query": query_string(filters, topic=None, kind="statements"),
        "clear_url": reverse("treaties:who_said_what"),
    }
    return render_list(
        request,
        "treaties/who_said_what.html",
        context,
        partials=["results"],
        invalid=bool(form.errors),
        clean_url=_url("treaties:who_said_what", query_string(filters, page=page_number)),
    )


# Export ------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "id",
    "permalink",
    "date",
    "date_precision",
    "date_as_shown",
    "speaker",
    "speaker_role_on_the_day",
    "kind",
    "text",
    "original_text",
    "original_language",
    "setting",
    "setting_detail",
    "treaties",
    "source_title",
    "source_outlet",
    "source_url",
    "source_archived_copy",
    "where_in_source",
    "editor_note",
]

# A spreadsheet would run a cell starting with one of these as a formula ("CSV injection"):
# such cells get a leading apostrophe, which spreadsheets hide.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _role_on_the_day():
    """The speaker's role on the statement's date, as "title, organisation"."""
    held = (
        Role.objects.filter(actor=OuterRef("speaker_id"))
        .exclude(start_date__gt=OuterRef("date"))
        .exclude(end_date__lt=OuterRef("date"))
        .order_by(Coalesce("start_date", Value(datetime.date.min)).desc())
        .annotate(
            label=Case(
                When(organisation__isnull=True, then="title"),
                default=Concat("title", Value(", "), "organisation__name"),
            )
        )
        .values("label")[:1]
    )
    return Subquery(held)


@require_safe
def timeline_export(request):
    """The timeline's statements as CSV, with the timeline's filters (events are not included:
    they have no speaker or words). Streamed, so a large export does not fill memory."""
    form = TimelineFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    oldest_first = filters.get("order") == "oldest"
    rows = (
        statements_for(filters)
        .annotate(
            treaty_names=StringAgg("treaties__short_name", Value("; "), distinct=True),
            role=_role_on_the_day(),
        )
        .order_by(*(("date", "id") if oldest_first else ("-date", "-id")))
        .values_list(
            "id",
            "slug",
            "date",
            "date_precision",
            "date_approximate",
            "speaker__name",
            "role",
            "kind",
            "text",
            "original_text",
            "original_language",
            "setting",
            "setting_detail",
            "treaty_names",
            "source__title",
            "source__outlet__name",
            "source__url",
            "source__archive_url",
            "source_locator",
            "editor_note",
        )
    )

    def lines():
        writer = csv.writer(_Echo())
        yield writer.writerow(EXPORT_COLUMNS)
        for pk, slug, date, precision, approximate, *rest in rows.iterator(chunk_size=2000):
            permalink = request.build_absolute_uri(
                reverse("treaties:statement_detail", kwargs={"pk": pk, "slug": slug or "-"})
            )
            shown = format_date(date, precision, approximate)
            cells = [pk, permalink, date.isoformat(), precision, shown, *rest]
            yield writer.writerow([_cell(cell if cell is not None else "") for cell in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="timeline-statements.csv"'
    return response
