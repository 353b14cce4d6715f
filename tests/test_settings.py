"""Settings are read from the environment and refuse to start an unsafe production.

Each case imports the settings in a fresh interpreter with exactly the environment given
(the test run's own DEBUG, SECRET_KEY or DATABASE_URL must not leak in). A placeholder
DATABASE_URL keeps settings from starting the embedded server: it is only parsed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PLACEHOLDER_DB = "postgres://armscontrol:secret@db.invalid:5432/armscontrol"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-for-the-test",
    "ALLOWED_HOSTS": "armscontrol.example.org",
    "DATABASE_URL": PLACEHOLDER_DB,
}
SHOW_SETTINGS = """
import django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print("DEBUG", settings.DEBUG)
print("HOSTS", ",".join(settings.ALLOWED_HOSTS))
print("DATABASE", database["ENGINE"], database["HOST"], database["NAME"])
print("SECURE_COOKIES", settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)
print("STATIC", settings.STORAGES["staticfiles"]["BACKEND"])
"""


def start(**env):
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "armscontrol.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(result, message):
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr, result.stderr
    assert message in result.stderr


def test_production_settings_start():
    result = start(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout
    assert "HOSTS armscontrol.example.org" in result.stdout
    assert "DATABASE django.db.backends.postgresql db.invalid armscontrol" in result.stdout
    assert "SECURE_COOKIES True True" in result.stdout
    assert "STATIC whitenoise.storage.CompressedManifestStaticFilesStorage" in result.stdout


@pytest.mark.parametrize("debug", ["false", "0", None])
def test_without_a_secret_key_and_debug_off_it_refuses_to_start(debug):
    env = {**PRODUCTION, "DEBUG": debug}
    del env["SECRET_KEY"]
    if debug is None:
        del env["DEBUG"]  # DEBUG is off wherever a DATABASE_URL is given
    assert_refused(start(**env), "SECRET_KEY must be set when DEBUG is off.")


def test_an_empty_secret_key_is_no_secret_key():
    assert_refused(start(**{**PRODUCTION, "SECRET_KEY": ""}), "SECRET_KEY must be set")


def test_without_allowed_hosts_and_debug_off_it_refuses_to_start():
    env = dict(PRODUCTION)
    del env["ALLOWED_HOSTS"]
    assert_refused(start(**env), "ALLOWED_HOSTS must be set when DEBUG is off.")


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://user:pass@localhost/armscontrol"])
def test_a_database_other_than_postgres_is_refused(url):
    assert_refused(
        start(**{**PRODUCTION, "DATABASE_URL": url}),
        "DATABASE_URL must point to a PostgreSQL database.",
    )


def test_a_mistyped_boolean_is_refused():
    assert_refused(start(**{**PRODUCTION, "DEBUG": "flase"}), "DEBUG must be true or false")


def test_development_needs_no_secret():
    result = start(DEBUG="true", DATABASE_URL=PLACEHOLDER_DB)
    assert result.returncode == 0, result.stderr
    assert "DEBUG True" in result.stdout
    assert "HOSTS localhost,127.0.0.1,[::1]" in result.stdout


def test_a_developer_machine_needs_no_environment():
    """After `make run`, `manage.py shell` in another terminal just works: no DATABASE_URL
    means the embedded server and development settings."""
    result = start()
    assert result.returncode == 0, result.stderr
    assert "DEBUG True" in result.stdout
    assert "DATABASE django.db.backends.postgresql" in result.stdout
    assert "armscontrol" in result.stdout


# docker-compose.yml and the Dockerfile ---------------------------------------------------


def parse_yaml(text):
    """The block-style YAML subset docker-compose.yml is written in: nested mappings, lists
    of scalars, quoted or plain scalars, whole-line comments. Anything else is an error, so
    the file cannot silently grow beyond what this reads."""
    lines = [
        (len(line) - len(line.lstrip()), line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]

    def scalar(value):
        if value[:1] in "\"'":
            assert value[-1] == value[0], value
            return value[1:-1]
        assert " #" not in value, f"no trailing comments: {value}"
        return value

    def block(i, indent):
        if lines[i][1].startswith("- "):
            items = []
            while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                items.append(scalar(lines[i][1][2:]))
                i += 1
            return items, i
        mapping = {}
        while i < len(lines) and lines[i][0] == indent:
            key, colon, rest = lines[i][1].partition(":")
            assert colon and key not in mapping, lines[i][1]
            i += 1
            if rest.strip():
                mapping[key] = scalar(rest.strip())
            elif i < len(lines) and lines[i][0] > indent:
                mapping[key], i = block(i, lines[i][0])
            else:
                mapping[key] = None
        return mapping, i

    document, end = block(0, 0)
    assert end == len(lines), f"cannot read line: {lines[end][1]}"
    return document


def interpolate(value, env):
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}."""

    def replace(match):
        name, operator, argument = match.groups()
        if env.get(name):
            return env[name]
        if operator == ":?":
            raise LookupError(f"{name} is required: {argument}")
        return argument if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", replace, value)


@pytest.fixture(scope="module")
def compose():
    return parse_yaml((BASE_DIR / "docker-compose.yml").read_text())


def test_compose_web_environment_satisfies_the_settings(compose):
    secrets = {"SECRET_KEY": "compose-secret-for-the-test", "POSTGRES_PASSWORD": "pw_123-abc"}
    env = {
        name: interpolate(value, secrets)
        for name, value in compose["services"]["web"]["environment"].items()
    }
    assert env["DEBUG"] == "false"
    assert env["DATABASE_URL"] == "postgres://armscontrol:pw_123-abc@db:5432/armscontrol"

    result = start(**env)

    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout
    assert "DATABASE django.db.backends.postgresql db armscontrol" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "POSTGRES_PASSWORD"])
def test_compose_requires_the_secrets(compose, missing):
    given = {"SECRET_KEY": "s", "POSTGRES_PASSWORD": "p"}
    del given[missing]
    services = compose["services"]
    values = [*services["web"]["environment"].values(), *services["db"]["environment"].values()]
    with pytest.raises(LookupError, match=missing):
        for value in values:
            interpolate(value, given)


def test_compose_waits_for_a_healthy_postgres_18(compose):
    db, web = compose["services"]["db"], compose["services"]["web"]
    assert db["image"] == "postgres:18"
    assert db["healthcheck"]["test"].startswith("pg_isready")
    # From PostgreSQL 18 the image keeps its data in a versioned directory below this one.
    assert db["volumes"] == ["postgres:/var/lib/postgresql"]
    assert "postgres" in compose["volumes"]
    assert web["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert web["ports"] == ["8000:8000"]
    user = db["environment"]["POSTGRES_USER"]
    assert f"postgres://{user}:" in web["environment"]["DATABASE_URL"]


def test_dockerfile_build_environment_satisfies_the_settings():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.12-slim" in dockerfile
    assert "pip install --group run" in dockerfile
    collectstatic = re.search(r"RUN ((?:\w+=\S+ \\\s+)+)python manage.py collectstatic", dockerfile)
    assert collectstatic, "collectstatic runs at build with its environment on the RUN line"
    env = dict(re.findall(r"(\w+)=(\S+)", collectstatic.group(1)))
    assert env["DEBUG"] == "false"
    assert env["DATABASE_URL"].startswith("postgres://")

    result = start(**env)

    assert result.returncode == 0, result.stderr
    assert "STATIC whitenoise.storage.CompressedManifestStaticFilesStorage" in result.stdout
