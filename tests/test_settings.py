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
    of scalars, quoted or plain scalars, whole-line comments, anchored blocks (&name) and
    their aliases (*name). Anything else is an error, so the file cannot silently grow
    beyond what this reads."""
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

    anchors = {}

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
            rest = rest.strip()
            if rest.startswith("*"):  # an alias of an anchored block
                mapping[key] = anchors[rest[1:]]
            elif rest and not rest.startswith("&"):
                mapping[key] = scalar(rest)
            elif i < len(lines) and lines[i][0] > indent:
                mapping[key], i = block(i, lines[i][0])
                if rest.startswith("&"):
                    anchors[rest[1:]] = mapping[key]
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
    services = compose["services"]
    db, replica = services["db"], services["db-replica"]
    assert db["image"] == replica["image"] == "postgres:18"
    assert db["healthcheck"]["test"].startswith("pg_isready")
    assert replica["healthcheck"]["test"].startswith("pg_isready")
    # From PostgreSQL 18 the image keeps its data in a versioned directory below this one.
    assert db["volumes"][0] == "postgres:/var/lib/postgresql"
    assert replica["volumes"][0] == "postgres-replica:/var/lib/postgresql"
    assert {"postgres", "postgres-replica"} <= set(compose["volumes"])
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert replica["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "db-replica": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    user = db["environment"]["POSTGRES_USER"]
    env = services["web"]["environment"]
    assert f"postgres://{user}:" in env["DATABASE_URL"]
    assert "@db:5432/" in env["DATABASE_URL"]
    assert "@db-replica:5432/" in env["DATABASE_REPLICA_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    # The migrations run once, with the same settings as the web containers.
    assert services["migrate"]["environment"] is env


def test_compose_puts_nginx_alone_in_front(compose):
    services = compose["services"]
    # Only nginx is published; the web containers, which trust its X-Forwarded-* headers,
    # are reachable from it alone.
    published = {name for name, service in services.items() if "ports" in service}
    assert published == {"nginx"}
    assert services["nginx"]["ports"] == ["80:80"]
    assert services["web"]["environment"]["BEHIND_PROXY"] == "true"
    assert services["web"]["expose"] == ["8000"]
    assert services["web"]["deploy"]["replicas"].startswith("${WEB_REPLICAS")
    config_mount = services["nginx"]["volumes"][0]
    assert config_mount == "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro"
    nginx = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    assert "server web:8000;" in nginx
    assert "proxy_cache_bypass $cookie_sessionid;" in nginx
    assert "proxy_no_cache $cookie_sessionid;" in nginx
    for script in ("postgres-primary-init.sh", "postgres-replica.sh"):
        path = BASE_DIR / "deploy" / script
        assert os.access(path, os.X_OK), f"{script} must be executable"


def test_compose_replica_and_redis_settings(compose):
    secrets = {"SECRET_KEY": "compose-secret-for-the-test", "POSTGRES_PASSWORD": "pw_123-abc"}
    env = {
        name: interpolate(value, secrets)
        for name, value in compose["services"]["web"]["environment"].items()
    }
    code = """
import django
django.setup()
from django.conf import settings
print("REPLICA", settings.DATABASES["replica"]["HOST"], settings.DATABASES["replica"]["NAME"])
print("CACHE", settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"])
print("ROUTERS", settings.DATABASE_ROUTERS)
"""
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    assert "REPLICA db-replica armscontrol" in result.stdout
    assert "CACHE armscontrol.cache.ForgivingRedisCache redis://redis:6379/0" in result.stdout
    assert "armscontrol.db_router.PrimaryReplicaRouter" in result.stdout


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


# HTTPS and the proxy (issue 7) -------------------------------------------------------------

HTTPS = {
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_PROXY": "true",
}
SHOW_PROXY = """
import django
django.setup()
from django.conf import settings
print("PROXY_SSL_HEADER", getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
print("HSTS", settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
      settings.SECURE_HSTS_PRELOAD)
"""


def run_python(code_or_args, **env):
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "armscontrol.settings"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    from django.conf import settings

    # Model checks look at the database server; everything else is the production environment.
    env = {**PRODUCTION, **HTTPS, "DATABASE_URL": settings.DATABASE_URL}
    env["SECRET_KEY"] = "k7Qw-9xZp2Lr8Vt_3mNc6Hb1Jd5Fs0Gy4Ue7Ia2Ox9Tq-R8wE3vB6nM1cX5zL0"

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_forwarded_proto_is_believed_only_behind_the_proxy():
    """Without the proxy in front, any client could claim HTTPS with X-Forwarded-Proto."""
    direct = run_python(SHOW_PROXY, **PRODUCTION)
    proxied = run_python(SHOW_PROXY, **PRODUCTION, BEHIND_PROXY="true")

    assert "PROXY_SSL_HEADER None" in direct.stdout, direct.stderr
    assert "PROXY_SSL_HEADER ('HTTP_X_FORWARDED_PROTO', 'https')" in proxied.stdout


def test_hsts_subdomains_and_preload_come_from_the_environment():
    result = run_python(SHOW_PROXY, **PRODUCTION, **HTTPS)
    assert "HSTS 31536000 True True" in result.stdout, result.stderr
    assert "HSTS 0 False False" in run_python(SHOW_PROXY, **PRODUCTION).stdout


def test_a_mistyped_number_is_refused():
    assert_refused(
        start(**{**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"}),
        "SECURE_HSTS_SECONDS must be a whole number",
    )


def test_a_web_process_freezes_what_loading_django_made():
    """gunicorn loads armscontrol.wsgi in each worker: the garbage collector is to leave the
    loaded application's objects alone (no connection is made for it)."""
    result = run_python("import gc, armscontrol.wsgi; print(gc.get_freeze_count())", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000


SHOW_SEARCH = """
import django
django.setup()
from django.conf import settings
print("ENGINE", settings.SEARCH_ENGINE or "postgresql", settings.OPENSEARCH_URL)
"""


@pytest.mark.parametrize(
    "choice, engine",
    [(None, "postgresql"), ("opensearch", "opensearch_backend.engine.OpenSearchEngine")],
)
def test_compose_chooses_the_search_engine(compose, choice, engine):
    secrets = {"SECRET_KEY": "compose-secret-for-the-test", "POSTGRES_PASSWORD": "pw_123-abc"}
    if choice:
        secrets["SEARCH_ENGINE"] = choice
    env = {
        name: interpolate(value, secrets)
        for name, value in compose["services"]["web"]["environment"].items()
    }
    result = run_python(SHOW_SEARCH, **env)
    assert result.returncode == 0, result.stderr
    assert f"ENGINE {engine} http://opensearch:9200" in result.stdout


def test_compose_runs_opensearch_and_its_indexer_in_their_profile(compose):
    services = compose["services"]
    opensearch, indexer = services["opensearch"], services["search-indexer"]
    assert opensearch["profiles"] == indexer["profiles"] == ["opensearch"]
    assert opensearch["image"].startswith("opensearchproject/opensearch:")
    assert opensearch["environment"]["discovery.type"] == "single-node"
    assert "_cluster/health" in opensearch["healthcheck"]["test"]
    assert opensearch["volumes"] == ["opensearch:/usr/share/opensearch/data"]
    assert "opensearch" in compose["volumes"]
    assert "ports" not in opensearch
    assert indexer["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "opensearch": {"condition": "service_healthy"},
    }
    assert indexer["environment"] is services["web"]["environment"]
    assert "opensearch_index" in indexer["command"] and "--follow" in indexer["command"]
    # The web containers do not wait for it: without it, PostgreSQL answers searches.
    assert "opensearch" not in services["web"]["depends_on"]


def test_an_unknown_search_engine_is_refused():
    assert_refused(
        start(**{**PRODUCTION, "SEARCH_ENGINE": "solr"}),
        "SEARCH_ENGINE must be one of postgresql, opensearch, not 'solr'.",
    )


def test_opensearch_needs_its_url():
    assert_refused(
        start(**{**PRODUCTION, "SEARCH_ENGINE": "opensearch"}),
        "SEARCH_ENGINE=opensearch needs OPENSEARCH_URL.",
    )


def test_compose_runs_the_worker(compose):
    services = compose["services"]
    worker = services["worker"]
    assert worker["environment"] is services["web"]["environment"]
    assert worker["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert "run_worker" in worker["command"] and "--follow" in worker["command"]
    assert "profiles" not in worker  # always: editors' alias changes wait for it
    assert worker["init"] == services["search-indexer"]["init"] == "true"
