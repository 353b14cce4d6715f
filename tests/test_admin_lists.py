"""The editors' lists of statements and sources do bounded work (treaties/admin_lists.py): a
count that stops at its cap, years from index probes, searches from the full-text index,
many-to-many filters by EXISTS, and per-row counts; and they still find what they did."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treaties import admin_lists
from treaties.models import ActorKind, Statement, Status, Topic

from .conftest import make_actor, make_event, make_source, make_statement, make_treaty

pytestmark = pytest.mark.django_db


def changelist(client, model, **params):
    return client.get(reverse(f"admin:treaties_{model}_changelist"), params)


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def test_a_long_list_counts_up_to_its_cap_and_says_more_than(editor_client, monkeypatch):
    monkeypatch.setattr(admin_lists, "COUNT_CAP", 2)
    for _ in range(4):
        make_statement()
    response = changelist(editor_client, "statement")
    cl = response.context["cl"]
    assert cl.result_count == 2
    assert "more than 2 statements" in response.content.decode()

    monkeypatch.setattr(admin_lists, "COUNT_CAP", 4)
    response = changelist(editor_client, "statement")
    assert response.context["cl"].result_count == 4
    assert "4 statements" in response.content.decode()
    assert "more than" not in response.content.decode()


def test_the_count_stops_at_the_cap_without_an_order(editor_client):
    make_statement()
    with CaptureQueriesContext(connection) as queries:
        changelist(editor_client, "statement")
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert f"LIMIT {admin_lists.COUNT_CAP + 1}" in count
    assert "ORDER BY" not in count


def test_years_are_offered_newest_first_and_filter_the_list(editor_client):
    older = make_statement(date=datetime.date(2019, 3, 1))
    newer = [make_statement(date=datetime.date(2022, month, 1)) for month in (1, 12)]
    make_statement(date=datetime.date(2023, 1, 1))
    response = changelist(editor_client, "statement")
    (years,) = [
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", None) == "year"
    ]
    assert [value for value, _label in years.lookup_choices] == ["2023", "2022", "2019"]

    assert set(listed(changelist(editor_client, "statement", year="2022"))) == {
        statement.pk for statement in newer
    }
    assert listed(changelist(editor_client, "statement", year="2019")) == [older.pk]


@pytest.mark.parametrize("year", ["twenty", "99999", "-5"])
def test_a_year_that_is_not_one_answers_the_admins_error_page(editor_client, year):
    make_statement()
    response = changelist(editor_client, "statement", year=year)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_sources_are_offered_by_the_years_they_were_published(editor_client):
    make_source(published_on=datetime.date(2021, 5, 5))
    make_source(published_on=None)
    chosen = make_source(published_on=datetime.date(2022, 11, 8))
    response = changelist(editor_client, "source")
    (years,) = [
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", None) == "year"
    ]
    assert [value for value, _label in years.lookup_choices] == ["2022", "2021"]
    assert listed(changelist(editor_client, "source", year="2022")) == [chosen.pk]


@pytest.mark.parametrize("term", ["zajarova contac", "Захарова", "ZAKHAROVA specific"])
def test_the_statement_search_finds_every_spelling_and_prefix(editor_client, term):
    zakharova = make_actor("Maria Zakharova", aliases=["María Zajárova", "Мария Захарова"])
    found = make_statement(speaker=zakharova, text="We maintain specific contacts.")
    make_statement(text="Nothing about her.")
    assert listed(changelist(editor_client, "statement", q=term)) == [found.pk]


def test_the_statement_search_finds_drafts_and_a_number_finds_that_statement(editor_client):
    draft = make_statement(text="A draft on telemetry.", status=Status.DRAFT)
    other = make_statement(text="Another.")
    make_statement(text=f"Article {other.pk} of the treaty.")  # the number, not that record
    assert listed(changelist(editor_client, "statement", q="telemetry")) == [draft.pk]
    assert listed(changelist(editor_client, "statement", q=str(other.pk))) == [other.pk]


@pytest.mark.parametrize("term", ["!!!", "“”", "²"])
def test_a_search_of_no_words_finds_nothing(editor_client, term):
    make_statement()
    for model in ["statement", "source"]:
        response = changelist(editor_client, model, q=term)
        assert response.status_code == 200
        assert listed(response) == []


@pytest.mark.parametrize("term", ["\x00", "https://example.org/\x00", "1\x002"])
def test_a_search_with_a_nul_answers(editor_client, term):
    """PostgreSQL refuses a NUL in a query: it is dropped, as no record holds one."""
    make_statement()
    for model in ["statement", "source"]:
        assert changelist(editor_client, model, q=term).status_code == 200


def test_the_source_search_finds_titles_outlets_and_a_whole_url(editor_client):
    tass = make_actor("TASS", kind=ActorKind.MEDIA, aliases=["ТАСС"])
    by_title = make_source("Ryabkov on strategic stability")
    by_outlet = make_source("An interview", outlet=tass)
    by_url = make_source("Elsewhere", url="https://example.org/a?b=c")
    assert listed(changelist(editor_client, "source", q="ryabkov strat")) == [by_title.pk]
    assert listed(changelist(editor_client, "source", q="ТАСС")) == [by_outlet.pk]
    assert listed(changelist(editor_client, "source", q="https://example.org/a?b=c")) == [by_url.pk]


def test_the_source_autocomplete_searches_the_same_way(editor_client):
    source = make_source("Ryabkov on strategic stability")
    make_source("Something else")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "stabil",
            "app_label": "treaties",
            "model_name": "statement",
            "field_name": "source",
        },
    )
    assert [int(result["id"]) for result in response.json()["results"]] == [source.pk]


def test_the_treaty_and_topic_filters_test_each_statements_links(editor_client):
    new_start, inf = make_treaty("New START"), make_treaty("INF")
    both = make_statement(treaties=[new_start, inf])
    only_inf = make_statement(treaties=[inf])
    make_statement()
    topic = Topic.objects.create(name="Verification", slug="verification")
    both.topics.add(topic)

    assert listed(changelist(editor_client, "statement", treaties__id__exact=new_start.pk)) == [
        both.pk
    ]
    assert set(listed(changelist(editor_client, "statement", treaties__id__exact=inf.pk))) == {
        both.pk,
        only_inf.pk,
    }
    assert listed(changelist(editor_client, "statement", topics__id__exact=topic.pk)) == [both.pk]
    response = changelist(editor_client, "statement", treaties__id__exact="x")
    assert response["Location"].endswith("?e=1")


def test_the_source_list_counts_each_sources_statements_and_events(editor_client):
    busy, quiet = make_source("Busy"), make_source("Quiet")
    for _ in range(3):
        make_statement(source=busy)
    make_statement(source=busy, status=Status.DRAFT)
    make_event(source=busy)
    with CaptureQueriesContext(connection) as queries:
        response = changelist(editor_client, "source")
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert (rows[busy.pk].statement_count, rows[busy.pk].event_count) == (4, 1)
    assert (rows[quiet.pk].statement_count, rows[quiet.pk].event_count) == (0, 0)
    # Counted for the rows shown, after the page is cut: not in the list's own query, where
    # every row a deep page's OFFSET skips was counted too.
    (page,) = [q["sql"] for q in queries.captured_queries if "LIMIT 100" in q["sql"]]
    assert "treaties_statement" not in page and "treaties_event" not in page


def test_outlets_offered_are_those_with_sources(editor_client):
    tass = make_actor("TASS", kind=ActorKind.MEDIA)
    make_actor("RIA Novosti", kind=ActorKind.MEDIA)  # no source yet
    own = make_source(outlet=tass)
    make_source()
    response = changelist(editor_client, "source")
    (outlets,) = [
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", None) == "outlet__id__exact"
    ]
    assert [label for _value, label in outlets.lookup_choices] == ["TASS"]
    assert listed(changelist(editor_client, "source", outlet__id__exact=tass.pk)) == [own.pk]


def test_topics_count_their_published_statements_from_the_tallies(editor_client):
    new_start, inf = make_treaty("New START"), make_treaty("INF")
    verification, other = (
        Topic.objects.create(name="Verification", slug="verification"),
        Topic.objects.create(name="Other", slug="other"),
    )
    for status in (Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT):
        make_statement(treaties=[new_start], status=status).topics.add(verification)
    make_statement(treaties=[inf]).topics.add(other)

    rows = {row.pk: row for row in changelist(editor_client, "topic").context["cl"].result_list}
    assert rows[verification.pk].statement_count == 2
    assert rows[other.pk].statement_count == 1
    assert listed(changelist(editor_client, "topic", treaty=new_start.pk)) == [verification.pk]


@pytest.mark.parametrize("model", ["statement", "source"])
def test_the_large_lists_offer_no_counts_beside_their_filters(editor_client, model):
    make_statement()
    response = changelist(editor_client, model, _facets="True")
    assert response.status_code == 200
    assert not response.context["cl"].add_facets
    assert "Show counts" not in response.content.decode()


def test_the_statement_list_sorts_by_date_alone_whatever_the_address_asks(editor_client):
    later = make_statement(text="A words.", date=datetime.date(2022, 2, 1))
    earlier = make_statement(text="B words.", date=datetime.date(2022, 1, 1))
    response = changelist(editor_client, "statement")
    assert list(response.context["cl"].sortable_by) == ["date_shown"]
    # The words' column: not sorted by them (A before B), and no sort of every statement.
    with CaptureQueriesContext(connection) as queries:
        response = changelist(editor_client, "statement", o="1")
    assert not [
        q for q in queries.captured_queries if 'ORDER BY "treaties_statement"."text"' in q["sql"]
    ]
    assert listed(response) == [earlier.pk, later.pk]  # by id, the latest entered first
    assert listed(changelist(editor_client, "statement", o="3")) == [earlier.pk, later.pk]
    assert listed(changelist(editor_client, "statement", o="-3")) == [later.pk, earlier.pk]


def test_an_action_on_more_rows_than_it_may_change_at_once_is_refused(editor_client, settings):
    settings.ROWS_CHANGED_WHILE_WAITING = 2
    drafts = [make_statement(status=Status.DRAFT) for _ in range(3)]
    url = reverse("admin:treaties_statement_changelist")

    def publish_all(**extra):
        data = {"action": "publish", "_selected_action": [drafts[0].pk], "index": 0}
        return editor_client.post(url, {**data, **extra}, follow=True)

    for across in ["1", "True", "on"]:  # all of them "select all" to Django
        response = publish_all(select_across=across)
        assert "More than 2 selected: too many to change while you" in response.content.decode()
        assert not Statement.objects.filter(status=Status.PUBLISHED).exists()
    publish_all(select_across="0")  # the one ticked
    assert list(Statement.objects.filter(status=Status.PUBLISHED)) == [drafts[0]]


@pytest.mark.parametrize("value", ["x", "²", "99999999999999999999", "-1"])
@pytest.mark.parametrize(
    ("model", "parameter"),
    [
        ("statement", "treaties__id__exact"),
        ("statement", "topics__id__exact"),
        ("source", "outlet__id__exact"),
        ("topic", "treaty"),
    ],
)
def test_a_filter_value_that_is_no_id_answers_the_admins_error_page(
    editor_client, model, parameter, value
):
    # Each filter with a choice to offer: Django drops a filter that has none, value and all.
    outlet = make_actor(kind=ActorKind.MEDIA)
    statement = make_statement(source=make_source(outlet=outlet), treaties=[make_treaty()])
    statement.topics.add(Topic.objects.create(name="Verification", slug="verification"))
    response = changelist(editor_client, model, **{parameter: value})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_source_list_sorts_by_publication_newest_or_oldest_first_undated_last_or_first(
    editor_client,
):
    older = make_source(published_on=datetime.date(2021, 1, 1))
    newer = make_source(published_on=datetime.date(2022, 1, 1))
    undated = make_source(published_on=None)
    assert list(changelist(editor_client, "source").context["cl"].sortable_by) == ["published"]
    # As the source_order index gives them, either way round.
    assert listed(changelist(editor_client, "source", o="3")) == [newer.pk, older.pk, undated.pk]
    assert listed(changelist(editor_client, "source", o="-3")) == [undated.pk, older.pk, newer.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("status__exact", "unpublished"),
        ("kind__exact", "misquote"),
        ("setting__exact", "podcast"),
        ("date_precision__exact", "week"),
    ],
)
def test_a_choice_that_is_none_of_the_fields_answers_the_admins_error_page(
    editor_client, parameter, value
):
    make_statement()
    response = changelist(editor_client, "statement", **{parameter: value})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
    page = editor_client.get(response["Location"])
    assert "could not be filtered as its address asked" in page.content.decode()


def test_the_choice_filters_find_what_they_name_a_blank_setting_too(editor_client):
    quote = make_statement(setting="speech")
    paraphrase = make_statement(
        kind="paraphrase", date=datetime.date(2022, 11, 1), date_precision="month"
    )
    unset = make_statement(setting="")
    assert listed(changelist(editor_client, "statement", kind__exact="paraphrase")) == [
        paraphrase.pk
    ]
    assert listed(changelist(editor_client, "statement", date_precision__exact="month")) == [
        paraphrase.pk
    ]
    assert listed(changelist(editor_client, "statement", setting__exact="speech")) == [quote.pk]
    assert set(listed(changelist(editor_client, "statement", setting__exact=""))) == {
        paraphrase.pk,
        unset.pk,
    }


@pytest.mark.parametrize(
    ("parameter", "value", "index"),
    [
        ("kind__exact", "paraphrase", "statement_unquoted_date"),
        ("kind__exact", "written", "statement_unquoted_date"),
        ("date_precision__exact", "year", "statement_inexact_date"),
        ("setting__exact", "speech", "statement_setting_date"),
    ],
)
def test_a_choice_few_statements_have_is_listed_from_an_index_of_its_own(
    editor_client, parameter, value, index
):
    # Not the date index walked past every other statement: the planner, kept off the
    # table's own scan as it is at 1,000,000 rows, reads the index that holds these alone.
    # Statistics of 200 ordinary statements, so that the plan does not hang on whatever the
    # table's last automatic ANALYZE (of the other tests' rolled-back rows) left.
    first = make_statement(setting="press_conference")
    Statement.objects.bulk_create(
        Statement(
            speaker=first.speaker,
            source=first.source,
            text=f"Words {n}",
            date=datetime.date(2000, 1, 1) + datetime.timedelta(days=n),
            setting="press_conference",
        )
        for n in range(200)
    )
    response = changelist(editor_client, "statement", **{parameter: value})
    rows = response.context["cl"].queryset[:100]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE treaties_statement")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.explain()
    assert index in plan


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        ("statement", {"text__icontains": "treaty"}),
        ("statement", {"editor_note__gt": ""}),
        ("statement", {"kind__icontains": "quo"}),
        ("source", {"title__icontains": "treaty"}),
    ],
)
def test_a_lookup_the_list_does_not_offer_is_refused(editor_client, model, lookup):
    # Django takes any lookup on the model's own fields from the address: a scan of every
    # row of a large table.
    make_statement()
    response = changelist(editor_client, model, **lookup)
    assert response.status_code == 400
    assert "does not offer" in response.content.decode()


def test_the_lists_filters_and_a_record_a_foreign_key_names_are_taken(editor_client):
    speaker = make_actor()
    own = make_statement(speaker=speaker, kind="paraphrase")
    other = make_statement()
    for lookup in [
        {"speaker__id__exact": speaker.pk},
        {"speaker__exact": speaker.pk},
        {"source__id__exact": own.source_id},
        {"kind__exact": "paraphrase"},
    ]:
        assert listed(changelist(editor_client, "statement", **lookup)) == [own.pk], lookup
    assert listed(changelist(editor_client, "statement", kind__isnull="False")) == [
        other.pk,
        own.pk,
    ]
    source = other.source
    assert source.pk in listed(changelist(editor_client, "source", language__exact=source.language))
    assert listed(changelist(editor_client, "source", year="1990")) == []
