import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from treaties.dates import DatePrecision, format_date, format_iso
from treaties.models import Role, Statement, Status, Treaty, TreatyLimit, speaker_roles

from .conftest import make_actor, make_event, make_source, make_statement, make_treaty

pytestmark = pytest.mark.django_db


def assert_violates(constraint, create):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        create()


@pytest.mark.parametrize(
    ("precision", "approximate", "expected", "iso"),
    [
        (DatePrecision.DAY, False, "8 November 2022", "2022-11-08"),
        (DatePrecision.MID_MONTH, False, "mid-October 2022", "2022-10"),
        (DatePrecision.EARLY_MONTH, False, "early October 2022", "2022-10"),
        (DatePrecision.MONTH, True, "c. October 2022", "2022-10"),
        (DatePrecision.YEAR, False, "2022", "2022"),
    ],
)
def test_dates_show_their_real_precision(precision, approximate, expected, iso):
    date = datetime.date(2022, 11, 8) if precision == DatePrecision.DAY else None
    date = date or datetime.date(2022, 1 if precision == DatePrecision.YEAR else 10, 1)
    assert format_date(date, precision, approximate) == expected
    assert format_iso(date, precision) == iso


def test_published_statement_needs_source_and_speaker():
    speaker = make_actor()
    assert_violates(
        "statement_published_has_source_and_speaker",
        lambda: Statement.objects.create(
            speaker=speaker, text="x", date=datetime.date(2022, 1, 1), status=Status.PUBLISHED
        ),
    )
    draft = Statement.objects.create(text="x", date=datetime.date(2022, 1, 1))
    assert draft.status == Status.DRAFT


def test_choices_are_pinned_in_the_database():
    assert_violates("statement_kind_valid", lambda: make_statement(kind="rumour"))
    assert_violates("treaty_status_valid", lambda: make_treaty(status="dormant"))
    assert_violates("statement_language_valid", lambda: make_statement(original_language="xx"))


def test_a_vague_date_cannot_carry_a_made_up_day():
    assert_violates(
        "statement_date_matches_precision",
        lambda: make_statement(date=datetime.date(2022, 10, 15), date_precision="mid"),
    )
    statement = make_statement(date=datetime.date(2022, 10, 1), date_precision="mid")
    assert statement.display_date == "mid-October 2022"


def test_dates_in_order():
    actor = make_actor()
    assert_violates(
        "role_dates_in_order",
        lambda: Role.objects.create(
            actor=actor,
            title="x",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2019, 1, 1),
        ),
    )
    assert_violates(
        "treaty_in_force_after_signing",
        lambda: make_treaty(
            signed_on=datetime.date(2010, 4, 8), in_force_on=datetime.date(2009, 1, 1)
        ),
    )
    assert_violates(
        "event_dates_in_order",
        lambda: make_event(date=datetime.date(2022, 11, 7), end_date=datetime.date(2022, 11, 1)),
    )


def test_unique_slugs():
    make_treaty(slug="new-start")
    assert_violates("slug", lambda: make_treaty(slug="new-start"))


def test_clean_gives_form_errors():
    treaty = Treaty(signed_on=datetime.date(2010, 4, 8), in_force_on=datetime.date(2009, 1, 1))
    with pytest.raises(ValidationError) as error:
        treaty.clean()
    assert "in_force_on" in error.value.message_dict
    statement = Statement(
        text="x", date=datetime.date(2022, 10, 13), date_precision="mid", status=Status.PUBLISHED
    )
    with pytest.raises(ValidationError) as error:
        statement.clean()
    assert set(error.value.message_dict) == {"speaker", "source", "date"}


def test_speaker_role_on_the_day():
    speaker = make_actor("Maria Zakharova")
    ministry = make_actor("Ministry", kind="government_body")
    Role.objects.create(
        actor=speaker,
        title="Deputy",
        start_date=datetime.date(2011, 1, 1),
        end_date=datetime.date(2015, 7, 31),
    )
    Role.objects.create(
        actor=speaker,
        title="Spokeswoman",
        organisation=ministry,
        start_date=datetime.date(2015, 8, 1),
        start_precision="month",
    )
    statement = make_statement(speaker=speaker, source=make_source())
    with_roles = Statement.objects.select_related("speaker").prefetch_related(speaker_roles())
    statement = with_roles.get(pk=statement.pk)
    assert str(statement.speaker_role) == "Spokeswoman, Ministry"
    assert statement.speaker_role.period == "since August 2015"
    card = Statement.objects.with_display_relations().get(pk=statement.pk)
    assert card.role_on_the_day == "Spokeswoman, Ministry"


def test_prefetched_roles_are_ordered_without_a_join():
    # Role orders by its actor first (by name), which for one actor's rows is a join to sort
    # by a constant (a treaty page's limits and signers are ordered in treaty_facts.sql).
    statement = make_statement()
    with CaptureQueriesContext(connection) as queries:
        Statement.objects.select_related("speaker").prefetch_related(speaker_roles()).get(
            pk=statement.pk
        )
    (sql,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "treaties_role"."id"')
    ]
    order = sql.split(" ORDER BY ")[1]
    assert set(re.findall(r'"(\w+)"\.', order)) == {"treaties_role"}, sql


def test_statement_permalink_is_keyed_on_id():
    statement = make_statement(text="We maintain specific contacts with the United States.")
    assert statement.slug == "we-maintain-specific-contacts-with-the-united-states"
    assert statement.get_absolute_url() == f"/q/{statement.pk}/{statement.slug}/"


def test_a_limit_reads_as_a_fact():
    treaty = make_treaty()
    warheads = TreatyLimit.objects.create(
        treaty=treaty, subject="deployed strategic warheads", number=1550, unit="warheads"
    )
    flights = TreatyLimit.objects.create(treaty=treaty, subject="observation flights by quota")
    assert str(warheads) == "deployed strategic warheads: 1,550 warheads"
    assert str(flights) == "observation flights by quota"
