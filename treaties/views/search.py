"""The search page: results grouped by kind, with highlighted excerpts, updated as you type."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from .. import search as finder
from ..filters import SEARCH_KINDS, SearchForm
from .lists import query_string, render_list

PER_PAGE = 20
ALIASES_SHOWN = 5
EXAMPLES = ["Zakharova", "New START", "inspections", "Захарова", "a whim"]


def _decorate(key, records, terms):
    """Safe highlighted HTML for each record: the database marks long text, Python names."""
    for record in records:
        if key == "statements":
            record.snippet = finder.highlighted(record.headline, record.text)
        elif key == "events":
            record.title_html = finder.highlighted(record.title_headline)
            record.snippet = finder.highlighted(record.headline, record.description)
        elif key == "treaties":
            record.short_name_html = finder.mark_words(record.short_name, terms)
            record.name_html = finder.mark_words(record.name, terms)
            record.snippet = finder.highlighted(record.headline, record.summary)
        elif key == "sources":
            record.title_html = finder.highlighted(record.title_headline)
        elif key == "actors":
            record.name_html = finder.mark_words(record.name, terms)
            aliases = [
                (alias.language, finder.mark_words(alias.name, terms))
                for alias in record.aliases.all()
            ]
            # The spellings the search matched first, then a few others.
            aliases.sort(key=lambda alias: "<mark>" not in alias[1])
            record.aliases_html = aliases[:ALIASES_SHOWN]
            record.more_aliases = len(aliases) - len(record.aliases_html)
    return records


@require_safe
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()
    filters = form.filters()
    query = filters.get("q", "")
    kind = filters.get("kind", "")
    terms = finder.words(query)
    problems = form.problems
    if query and not terms:
        problems.append("Search for words: letters or digits, in any script.")

    url = reverse("treaties:search")
    groups, page_obj = [], None
    with finder.index_lookups():
        for group in finder.groups(terms) if terms else []:
            items = []
            if kind == group.key:
                # At most CANDIDATES for the large tables: the index stops giving matches there.
                count = group.total()
                paginator = Paginator(group.queryset, PER_PAGE)
                paginator.count = count  # known already: no second COUNT
                page_obj = paginator.get_page(filters.get("page"))
                if filters.get("page") and filters["page"] != page_obj.number:
                    problems.append(
                        f"There is no page {filters['page']} of these results: there are "
                        f"{page_obj.paginator.num_pages}. Showing page {page_obj.number}."
                    )
                items = list(page_obj.object_list) if count else []
            elif not kind:
                items, count = group.first(group.overview_size)
            else:
                count = group.total()
            groups.append(
                {
                    "key": group.key,
                    "label": group.label,
                    "count": count,
                    "capped": group.capped(count),
                    "items": _decorate(group.key, items, terms),
                    "url": _search_url(url, query, kind=group.key),
                }
            )

    base_query = query_string({"q": query, "kind": kind})
    context = {
        "page_title": f"Search: {Truncator(query).chars(60)}" if query else "Search",
        "form": form,
        "query": query,
        "kind": kind,
        "kind_label": dict(SEARCH_KINDS).get(kind, ""),
        "terms": terms,
        "groups": groups,
        "total": sum(group["count"] for group in groups),
        "total_capped": any(group["capped"] for group in groups),
        "shown_groups": [g for g in groups if g["items"]],
        "page_obj": page_obj,
        "base_query": base_query,
        "all_url": _search_url(url, query),
        "problems": problems,
        "examples": [(example, _search_url(url, example)) for example in EXAMPLES],
    }
    page_number = page_obj.number if page_obj and page_obj.number > 1 else None
    clean_query = query_string({"q": query, "kind": kind, "page": page_number})
    return render_list(
        request,
        "treaties/search.html",
        context,
        partials=["results"],
        invalid=bool(form.errors),
        clean_url=f"{url}?{clean_query}" if clean_query else url,
    )


def _search_url(url, query, **changes):
    return f"{url}?{query_string({'q': query, **changes})}"
