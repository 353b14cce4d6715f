"""Fuzzy names: a transliteration from another language finds the person, ranked first,
without the spelling typed in as an alias (treaties/transliteration.py says how and why)."""

import importlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.conftest import make_actor
from treaties import search as finder
from treaties.transliteration import function_sql, skeleton

VARIANTS = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "data" / "name_variants.tsv").read_text().splitlines()
    if line and not line.startswith("#")
]


def test_the_list_is_long_enough():
    assert len(VARIANTS) >= 40
    assert all(len(variant) == 2 for variant in VARIANTS)


def test_the_migration_made_the_function_these_tables_make():
    migration = importlib.import_module("treaties.migrations.0009_name_skeleton")
    assert migration.CREATE_SKELETON.strip() == function_sql().strip()


@pytest.mark.django_db
def test_python_and_the_database_agree_on_every_skeleton():
    spellings = [spelling for spelling, _ in VARIANTS] + ["Nikołaj Patruszew", "Straße"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s, public.name_skeleton(s) FROM unnest(%s::text[]) AS s", [spellings]
        )
        in_database = dict(cursor.fetchall())
    assert {spelling: skeleton(spelling) for spelling in spellings} == in_database


@pytest.mark.parametrize(
    ("spellings", "same"),
    [
        (["Patruschew", "Patrouchev", "Patrúshev", "Patruszew", "Патрушев", "Patrushev"], True),
        (["Lavrow", "Lavrov", "Лавров"], True),
        (["Шойгу", "Choïgou", "Schoigu", "Shoigu"], True),
        (["Juri Uschakow", "Maria Zakharova"], False),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings, same):
    assert (len({skeleton(spelling) for spelling in spellings}) == 1) is same


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed data, and Lavrov and Shoigu with no alias at all."""
    # Loaded once for the module, in a transaction rolled back at its end; each test runs
    # in a savepoint inside it.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_data", verbosity=0)
        make_actor("Sergey Lavrov", slug="sergey-lavrov", country="RU")
        make_actor("Sergei Shoigu", slug="sergei-shoigu", country="RU")
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize(("spelling", "slug"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_a_spelling_finds_its_actor_first(seeded, spelling, slug):
    found = list(finder.actors(finder.words(spelling)).values_list("slug", flat=True)[:3])
    assert found and found[0] == slug, found
