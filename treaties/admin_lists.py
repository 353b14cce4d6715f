"""The editors' lists of the large tables (statements, sources) kept to bounded work.

Django's admin counts every row of a list (twice, and again for each filter choice when asked
to "Show counts"), finds the years of its date hierarchy by grouping every row, and searches
with LIKE over joins. At 1,000,000 statements the statement list took 2.2 s, a treaty's
statements 5.5 s, and a search and the counts were cancelled by the web's 5 s statement
timeout; the source list, which counted each source's statements by grouping them all, took
2.5 s. Here instead:

- a list counts at most COUNT_CAP rows and says "more than 10,000" beyond (CappedPaginator),
  and sorts only by what an index serves (SortedAsOffered);
- the years offered come from one index probe a year (YearFilter), a many-to-many filter
  tests each row's links rather than join them all (LinkFilter), and a choice that is none
  of the field's is refused rather than looked for (ChoiceFilter); the address may name no
  other lookup (CappedCount.lookup_allowed);
- the search box asks the record's full-text document, whose GIN index bounds it, for every
  word, the last as a prefix, as the site's search does; a number finds that id
  (FullTextSearch).
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.text import smart_split

from . import search as finder

# Rows a list counts before it says "more than": ten thousand keeps the count, and the
# deepest page's OFFSET, to milliseconds. Past that, filters and the search narrow the list.
COUNT_CAP = 10_000


class MoreThan(int):
    """A count that stopped at its cap. It pages as the number, and reads "more than 10,000"
    wherever the admin writes it (the list's count, its search's, "Select all")."""

    def __str__(self):
        return f"more than {int(self):,}"


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: a larger list reads "more than 10,000", with the pages
    of its first COUNT_CAP rows."""

    @cached_property
    def count(self) -> int:
        # In no order: the first rows the index or the table gives are as good to count.
        counted = self.object_list.order_by()[: COUNT_CAP + 1].count()
        return MoreThan(COUNT_CAP) if counted > COUNT_CAP else counted


class SortedAsOffered(ChangeList):
    """Sorts by the columns the list offers (sortable_by) alone: Django also follows an ?o=
    naming any other column, and for a large table that sorts every row."""

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


class CappedCount:
    """For the admin of a large table: its list's count stops at COUNT_CAP, and the whole
    table is never counted, neither for the "N total" beside a filtered count nor for the
    count beside each filter's choices ("Show counts": at 1,000,000 statements, cancelled by
    the statement timeout after 10 s)."""

    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_changelist(self, request, **kwargs):
        return SortedAsOffered

    def lookup_allowed(self, lookup, value, request):
        # Django also filters by any lookup on the model's own fields that the address
        # names (?text__icontains=treaty): on a large table, a scan of every row (2.5-3.2 s
        # at 1,000,000 statements). Here only the list's filters, and a record a foreign
        # key names (its index finds the rows), are taken; anything else answers 400.
        offered = set()
        for item in self.get_list_filter(request):
            if isinstance(item, type):  # a SimpleListFilter
                offered.add(item.parameter_name)
            else:
                field = item[0] if isinstance(item, (list, tuple)) else item
                offered |= {f"{field}__exact", f"{field}__isnull"}
        for field in self.model._meta.concrete_fields:
            if field.many_to_one:
                key = f"{field.name}__{field.target_field.name}"
                offered |= {f"{field.name}__exact", f"{key}__exact"}
        return lookup in offered and super().lookup_allowed(lookup, value, request)

    def response_action(self, request, queryset, *args, **kwargs):
        # "Select all" hands an action the whole list, perhaps every statement, and the
        # actions save or delete each row on its own, in the request.
        # Read as the action form reads it ("1", "True", "on"...).
        across = forms.BooleanField(required=False).clean(request.POST.get("select_across"))
        # Each row is saved, with its trigger work, in the editor's request.
        limit = settings.ROWS_CHANGED_WHILE_WAITING
        if across and queryset.order_by()[: limit + 1].count() > limit:
            self.message_user(
                request,
                f"More than {limit:,} selected: too many to change while you wait. "
                "Narrow the list with its filters or the search first.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, *args, **kwargs)


# Each step is the first date on or after the next new year's day, from the field's index.
YEARS_SQL = """
WITH RECURSIVE years(year) AS (
    SELECT extract(year FROM min({column}))::int FROM {table}
    UNION ALL
    SELECT (SELECT extract(year FROM min({column}))::int FROM {table}
            WHERE {column} >= make_date(years.year + 1, 1, 1))
    FROM years WHERE years.year IS NOT NULL
)
SELECT year FROM years WHERE year IS NOT NULL ORDER BY year DESC
"""


class YearFilter(admin.SimpleListFilter):
    """The years in which some row is dated, newest first, in place of a date hierarchy: one
    probe of the date field's index a year, however many rows a year holds."""

    title = "year"
    parameter_name = "year"
    field = "date"

    def lookups(self, request, model_admin):
        model = model_admin.model
        connection = connections[router.db_for_read(model)]
        sql = YEARS_SQL.format(
            table=connection.ops.quote_name(model._meta.db_table),
            column=connection.ops.quote_name(model._meta.get_field(self.field).column),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [(str(year), str(year)) for (year,) in cursor.fetchall()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            year = int(self.value())
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(f"No such year: {self.value()}") from error
        return queryset.filter(**{f"{self.field}__gte": start, f"{self.field}__lt": end})


class ChoiceFilter(admin.ChoicesFieldListFilter):
    """A field's choices, as Django's filter offers them; a value that is none of them is the
    admin's "?e=1" answer. Django would filter by it, and a list in date order that no row
    matches reads its whole date index to find that out (0.7 s at 1,000,000 statements)."""

    def queryset(self, request, queryset):
        stored = {str(value) for value, _ in self.field.flatchoices}
        if self.field.blank:
            stored.add("")
        if unknown := set(self.lookup_val or ()) - stored:
            raise IncorrectLookupParameters(f"No such {self.title}: {', '.join(unknown)}")
        return super().queryset(request, queryset)


def as_id(value: str) -> int | None:
    """value as a record's id, or None: digits only, and within bigint's range (a longer
    number is a database error, and int() takes digits PostgreSQL does not)."""
    if value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


class RecordFilter(admin.SimpleListFilter):
    """A filter whose choices are records (records()), each value an id; a bad one is the
    admin's "?e=1" answer, not a database error."""

    def records(self, model_admin):
        raise NotImplementedError

    def matching(self, queryset, record: int):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(str(record.pk), str(record)) for record in self.records(model_admin)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if (record := as_id(self.value())) is None:
            raise IncorrectLookupParameters(f"No such {self.title}: {self.value()}")
        return self.matching(queryset, record)


class LinkFilter(RecordFilter):
    """Rows linked to one record through a many-to-many field, tested by an EXISTS on the
    link table's index. Django's own filter joins the links and removes duplicates from the
    result, which for New START's 364,006 statements meant reading them all."""

    field_name = ""

    def records(self, model_admin):
        return model_admin.model._meta.get_field(self.field_name).related_model.objects.all()

    def matching(self, queryset, record):
        field = queryset.model._meta.get_field(self.field_name)
        links = field.remote_field.through.objects.filter(
            **{field.m2m_field_name(): OuterRef("pk"), field.m2m_reverse_field_name(): record}
        )
        return queryset.filter(Exists(links))


class FewSearchWords:
    """Django's own search, given at most the first MAX_QUERY_LENGTH characters and MAX_WORDS
    words of the box, as the site's search reads: Django looks for every word in every search
    field, each an unaccented LIKE over joins. Fifty pasted words took 5.5 s over 500 events;
    3,900 characters on the merge list, 3 s of planning alone."""

    def get_search_results(self, request, queryset, search_term):
        words = smart_split(search_term[: finder.MAX_QUERY_LENGTH])
        search_term = " ".join(list(words)[: finder.MAX_WORDS])
        return super().get_search_results(request, queryset, search_term)


class FullTextSearch:
    """The search box, and the autocomplete of fields that choose this model, answered by the
    record's full-text document (search_vector, GIN-indexed): every word, the last as a
    prefix, in any of the spellings the document folds in. A number finds that id."""

    # Not searched as they stand (get_search_results is): what shows Django's search box.
    search_fields = ["search_vector"]

    def get_search_results(self, request, queryset, search_term):
        # A NUL is no character PostgreSQL takes in a query, and none a record holds.
        search_term = search_term.replace("\x00", "").strip()
        if not search_term:
            return queryset, False
        if (record := as_id(search_term)) is not None:
            # The record alone, not also the documents holding the number: ORed with the id,
            # a number no statement holds led PostgreSQL to walk the whole date index for
            # it (4 s at 1,000,000 statements, typing "19" in an autocomplete).
            return queryset.filter(pk=record), False
        matches = self.exact_matches(search_term)
        if terms := finder.words(search_term):
            matches |= Q(search_vector=finder.typed_query(terms))
        return (queryset.filter(matches) if matches else queryset.none()), False

    def exact_matches(self, search_term: str) -> Q:
        """What else the term finds as it stands, through an index of its own."""
        return Q()
