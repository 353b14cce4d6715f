"""A statement card's role on the day (the database's role_on_the_day, treaties/sql/roles.sql)
names the role that Actor.role_on chooses for the pages that show a role's parts, and the
permalink's query joins the same role (role_held_on)."""

import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_actor, make_statement
from treaties.models import Actor, ActorKind, Role, Statement, speaker_roles

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2020, 1, 1)
# A few days apart, so that starts, ends and the days asked about often fall together.
days = st.integers(0, 6).map(lambda n: FIRST_DAY + datetime.timedelta(days=30 * n))
maybe_days = st.none() | days
roles = st.lists(
    st.tuples(maybe_days, maybe_days, st.booleans(), st.sampled_from(["Minister", "Envoy"])),
    max_size=5,
)


def sql_role(actor, day):
    with connection.cursor() as cursor:
        cursor.execute("SELECT role_on_the_day(%s, %s)", [actor.pk, day])
        return cursor.fetchone()[0]


def sql_role_id(actor, day):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM role_held_on(%s, %s)", [actor.pk, day])
        row = cursor.fetchone()
        return row and row[0]


def test_the_database_and_python_choose_the_same_role():
    speaker = make_actor(name="Speaker")
    ministry = make_actor(name="Ministry", kind=ActorKind.GOVERNMENT_BODY)
    asked = [FIRST_DAY + datetime.timedelta(days=30 * n) for n in range(-1, 8)]

    @settings(
        max_examples=150,
        deadline=None,
        database=None,  # nothing written into the working tree
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(held=roles)
    def same_choice(held):
        with transaction.atomic():
            for start, end, in_ministry, title in held:
                if start and end and end < start:
                    start, end = end, start
                Role.objects.create(
                    actor=speaker,
                    title=title,
                    organisation=ministry if in_ministry else None,
                    start_date=start,
                    end_date=end,
                )
            actor = Actor.objects.prefetch_related(speaker_roles("roles")).get(pk=speaker.pk)
            for day in asked:
                chosen = actor.role_on(day)
                assert sql_role(actor, day) == (str(chosen) if chosen else None), (held, day)
                assert sql_role_id(actor, day) == (chosen and chosen.pk), (held, day)
            transaction.set_rollback(True)

    same_choice()


def test_an_undated_start_counts_as_begun_that_day_and_first_among_those():
    speaker = make_actor(name="Speaker")
    day = datetime.date(2022, 11, 8)
    Role.objects.create(actor=speaker, title="Begun that day", start_date=day)
    Role.objects.create(actor=speaker, title="Undated")
    Role.objects.create(actor=speaker, title="Undated, entered later")
    Role.objects.create(actor=speaker, title="Earlier", start_date=datetime.date(2020, 1, 1))
    actor = Actor.objects.prefetch_related(speaker_roles("roles")).get(pk=speaker.pk)
    assert actor.role_on(day).title == sql_role(actor, day) == "Undated"
    assert sql_role(actor, datetime.date(2022, 11, 7)) == "Undated"
    assert sql_role_id(actor, day) == actor.role_on(day).pk


def test_a_card_reads_the_role_in_the_statements_own_query(django_assert_num_queries):
    ministry = make_actor(name="Ministry", kind=ActorKind.GOVERNMENT_BODY)
    speaker = make_actor(name="Speaker")
    Role.objects.create(actor=speaker, title="Spokeswoman", organisation=ministry)
    make_statement(speaker=speaker)
    make_statement(speaker=make_actor(name="No role"))
    with django_assert_num_queries(1):
        cards = list(Statement.objects.for_cards().order_by("speaker__name"))
    assert [card.role_on_the_day for card in cards] == [None, "Spokeswoman, Ministry"]


def test_the_permalink_shows_the_role_with_its_organisation(client, django_assert_num_queries):
    ministry = make_actor(name="Ministry", kind=ActorKind.GOVERNMENT_BODY)
    speaker = make_actor(name="Speaker")
    Role.objects.create(actor=speaker, title="Envoy", end_date=datetime.date(2020, 1, 1))
    Role.objects.create(actor=speaker, title="Spokeswoman", organisation=ministry)
    statement = make_statement(speaker=speaker)
    client.get(statement.get_absolute_url())  # the first on a connection prepares the query
    with django_assert_num_queries(1):
        response = client.get(statement.get_absolute_url())
    role = response.context["role"]
    assert (role.title, role.organisation, role.actor) == ("Spokeswoman", ministry, speaker)
    assert f', Spokeswoman, <a href="{ministry.get_absolute_url()}">Ministry</a>' in (
        response.content.decode()
    )
