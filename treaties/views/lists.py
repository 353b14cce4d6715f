"""The timeline and "who said what": filtered lists that htmx updates in place.

One view renders either the whole page or, for an htmx request, the partial the request
targets. Bad filter values are reported on the page and left out; the rest still apply.
"""

import datetime

from django.db.models import Model
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from ..filters import TimelineFilterForm, WhoSaidWhatFilterForm
from ..sides import sides_page
from ..timeline import Cursor, timeline_page, timeline_until


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
    until = filters.pop("until", None)
    if until and not cursor:
        result = timeline_until(filters, until)
    else:
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
        "clear_url": reverse("treaties:timeline"),
        "first_url": _url("treaties:timeline", base_query),
    }
    response = render_list(
        request,
        "treaties/timeline.html",
        context,
        partials=["results", "more"],
        invalid=bool(form.errors),
        clean_url=_url("treaties:timeline", query_string(filters, after=cursor, until=until)),
    )
    if request.htmx and request.htmx.target == "more" and result.entries:
        # "Load more" goes into the URL as "everything through the last entry now shown", so
        # Back, a reload or a shared link shows the same list, not just its latest page.
        last = result.entries[-1]
        through = Cursor(last.record.date, last.kind, last.record.pk)
        push_url(response, _url("treaties:timeline", query_string(filters, until=through)))
    return response


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
