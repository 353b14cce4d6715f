"""The primary/replica router: reads go to the replica, writes to the primary, and a request
that wrote (or posts a form) keeps reading from the primary."""

import pytest
from django.test import RequestFactory

from armscontrol import db_router
from armscontrol.db_router import PrimaryReplicaRouter, ReadYourWritesMiddleware
from treaties.models import Statement


@pytest.fixture
def with_replica(monkeypatch):
    # As if DATABASE_REPLICA_URL were set: the router only asks whether a replica exists.
    monkeypatch.setattr(db_router, "has_replica", lambda: True)


def choices_during(method, steps):
    """The router's answers, in order, for steps run inside one request of method."""
    router, seen = PrimaryReplicaRouter(), []

    def view(request):
        for step in steps:
            if step == "read":
                seen.append(router.db_for_read(Statement))
            else:
                seen.append(router.db_for_write(Statement))
        return None

    ReadYourWritesMiddleware(view)(RequestFactory().generic(method, "/"))
    return seen


def test_reads_go_to_the_replica_until_the_request_writes(with_replica):
    assert choices_during("GET", ["read", "read", "write", "read"]) == [
        "replica",
        "replica",
        "default",
        "default",
    ]


def test_each_request_starts_on_the_replica_again(with_replica):
    choices_during("GET", ["write"])
    assert choices_during("GET", ["read"]) == ["replica"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_form_post_reads_from_the_primary_from_the_start(with_replica, method):
    assert choices_during(method, ["read"]) == ["default"]


def test_without_a_replica_everything_is_the_primary():
    assert choices_during("GET", ["read", "write", "read"]) == ["default"] * 3


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "treaties")
    assert not router.allow_migrate("replica", "treaties")
    assert router.allow_relation(object(), object())
