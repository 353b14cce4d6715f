"""The site while its database is down, restarting or slow: 503 with Retry-After and a page
that says which, never a bare 500; and the first request after a restart succeeds."""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import psutil
import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from armscontrol import embedded_db
from armscontrol.errors import server_error
from treaties.models import Statement

from .conftest import make_statement, make_treaty

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
BASE_DIR = Path(__file__).resolve().parent.parent


# Views only these tests reach: the site's own URLs plus one that queries the database directly.
def slow_query(request):
    # The savepoint leaves the test's own transaction usable after the cancellation.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


handler500 = "armscontrol.errors.server_error"
urlpatterns = [
    path("test/slow/", slow_query),
    path("", include("armscontrol.urls")),
]


@pytest.fixture
def quiet_client():
    """A client that returns the error response instead of raising, as a browser sees it."""
    return Client(raise_request_exception=False)


def database_down(error=psycopg.OperationalError):
    """Every query fails as it does while PostgreSQL is stopped or restarting."""
    return mock.patch.object(
        psycopg.ClientCursor,
        "execute",
        side_effect=error("connection to server failed: Connection refused"),
    )


def assert_unavailable(response, *, says, retry_after):
    assert response.status_code == 503
    assert response["Retry-After"] == str(retry_after)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert says in page
    assert "Arms Control Record" in page and "css/site" in page  # the styled page


# Outage -------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [psycopg.OperationalError, psycopg.InterfaceError])
def test_every_page_answers_503_while_the_database_is_down(quiet_client, error):
    statement = make_statement()
    urls = [
        reverse("treaties:home"),
        statement.get_absolute_url(),
        reverse("treaties:timeline"),
        reverse("treaties:who_said_what"),
        reverse("treaties:search") + "?q=contacts",
    ]
    with database_down(error):
        responses = {url: quiet_client.get(url) for url in urls}
        login = reverse("admin:login")
        responses[login] = quiet_client.post(login, {"username": "a", "password": "b"})

    for url, response in responses.items():
        assert response.status_code == 503, url
        assert_unavailable(
            response, says="Our database cannot be reached at the moment", retry_after=5
        )


def test_an_editor_session_read_during_the_outage_is_503_too(quiet_client, editor):
    """The session is read by middleware, before any view: the 500 handler still knows."""
    quiet_client.force_login(editor)
    with database_down():
        response = quiet_client.get(reverse("admin:index"))

    assert_unavailable(response, says="cannot be reached", retry_after=5)


def test_the_outage_is_logged_as_a_warning(quiet_client, caplog):
    with database_down():
        quiet_client.get(reverse("treaties:home") + "?x=1")
    assert "Database outage on GET /?x=1" in caplog.text


def test_other_errors_still_get_the_500_page_even_without_the_database(rf):
    with database_down():
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response


def test_the_first_request_after_a_restart_reconnects():
    """A server restart kills every open connection. Django checks a kept connection at the
    start of each request (CONN_HEALTH_CHECKS) and reconnects, so nothing fails once the
    server is back."""
    web = connections.create_connection("default")  # a web thread's own connection
    assert web.settings_dict["NAME"] == connection.settings_dict["NAME"]
    assert web.settings_dict["CONN_MAX_AGE"] > 0 and web.settings_dict["CONN_HEALTH_CHECKS"]
    try:
        web.ensure_connection()
        with connection.cursor() as cursor:  # what a restart does to it
            cursor.execute("SELECT pg_terminate_backend(%s)", [web.connection.info.backend_pid])

        web.close_if_unusable_or_obsolete()  # request_started
        with web.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        web.close()


# Cache outage ------------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """Django's cache is a Redis server that is not there, as in an outage."""
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "armscontrol.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }


def test_pages_that_use_the_cache_are_made_without_it_while_redis_is_down(
    quiet_client, redis_down, caplog
):
    """The cache holds only what can be made again: the home page's chart, a permalink's
    citations, a share card, the list pages' filter options. Without Redis they are made on
    every request, and logged; an editor's save, which drops the options, still saves."""
    make_treaty(signed_on=datetime.date(2010, 4, 8))
    statement = make_statement()
    urls = [
        reverse("treaties:home"),
        statement.get_absolute_url(),
        reverse("treaties:statement_card", args=[statement.pk]),
        reverse("treaties:timeline"),
        reverse("treaties:who_said_what"),
    ]
    for url in urls:
        response = quiet_client.get(url)
        assert response.status_code == 200, url
    assert "lifespans__chart" in quiet_client.get(urls[0]).content.decode()
    assert any("Cache unavailable" in record.message for record in caplog.records)


# Statement timeout --------------------------------------------------------------------------


def show_timeout(*, web: bool) -> str:
    """The statement_timeout of a new process's connection: a web process (armscontrol.wsgi
    loaded, as gunicorn does) or a management command."""
    script = (
        ("import armscontrol.wsgi\n" if web else "import django; django.setup()\n")
        + "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "armscontrol.settings"}
    env.pop("ARMSCONTROL_WEB_PROCESS", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_web_process_s_connections_get_the_statement_timeout():
    assert show_timeout(web=True) == "5s"


def test_management_commands_run_without_a_timeout():
    """migrate and the data loaders may run long: they do not load armscontrol.wsgi."""
    assert show_timeout(web=False) == "0"


def test_a_query_past_the_timeout_answers_503(quiet_client):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")  # as for a web connection

    response = quiet_client.get("/test/slow/")

    assert_unavailable(response, says="This page took too long", retry_after=30)
    assert "stopped after running too long" in response.content.decode()


# Operations: backup and restore, stopping the development server ---------------------------


def snapshot():
    """Every public table's row count and content hash, and every sequence's position."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        state = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{table}" t'
            )
            state[table] = cursor.fetchone()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        state["sequences"] = sorted(cursor.fetchall())
    return state


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_sequence(tmp_path):
    make_statement(treaties=[make_treaty("New START")])
    before = snapshot()
    backup_file = tmp_path / "armscontrol.dump"
    call_command("backup_database", str(backup_file), stdout=StringIO())
    assert backup_file.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    Statement.objects.all().delete()
    make_treaty("INF")
    assert snapshot() != before

    call_command("restore_database", str(backup_file), stdout=StringIO())

    assert snapshot() == before
    assert before["treaties_statement"][0] == 1
    # With the planner's statistics, which the backup does not hold.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'treaties_statement'")
        assert cursor.fetchone()[0] > 0


def test_restoring_a_missing_file_says_so():
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore_database", "/nonexistent/backup.dump")


def test_stop_db_stops_a_server_whose_starter_was_killed():
    """The wheel lists the processes attached to a server and stops it with the last one;
    a killed process stays listed, and `make stop-db` used to leave the server running."""
    scratch = Path(tempfile.mkdtemp(prefix="stop-db-"))
    scratch.chmod(0o755)  # the wheel runs the server as its own user when we are root
    data_dir = scratch / "postgres"
    try:
        starter = subprocess.run(
            [
                sys.executable,
                "-c",
                "import os, signal, sys; from pathlib import Path\n"
                "from armscontrol import embedded_db\n"
                "embedded_db.database_url(Path(sys.argv[1]))\n"
                "os.kill(os.getpid(), signal.SIGKILL)",
                str(data_dir),
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert starter.returncode == -9, starter.stderr
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        assert psutil.pid_exists(pid)

        embedded_db.stop(data_dir)

        assert not (data_dir / "postmaster.pid").exists()
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"
    finally:
        if (data_dir / "postmaster.pid").exists():
            embedded_db.stop(data_dir)
        shutil.rmtree(scratch, ignore_errors=True)
