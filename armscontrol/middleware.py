"""Middleware and hooks of the web process: database failures, sessions, and the client's
address for django-axes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .errors import database_problem, unavailable

LOGIN_TIME_KEY = "_login_time"
LAST_SEEN_KEY = "_last_seen"
# How stale the last-seen time may get before a request writes it again: idleness is measured
# this precisely, and an active editor's session is written at most this often.
LAST_SEEN_PRECISION = 5 * 60


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable, or because its query ran into
    the statement timeout, answers 503 with Retry-After (errors.unavailable), not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if problem := database_problem(exception):
            return unavailable(request, problem)
        return None


@receiver(user_logged_in, dispatch_uid="session_lifetime")
def start_session_clock(sender, request, user, **kwargs):
    """At login: the session ends SESSION_MAX_AGE_SECONDS from now at the latest (an absolute
    expiry, which later writes of the session do not push back)."""
    now = timezone.now()
    request.session[LOGIN_TIME_KEY] = request.session[LAST_SEEN_KEY] = int(now.timestamp())
    request.session.set_expiry(now + timedelta(seconds=settings.SESSION_MAX_AGE_SECONDS))


class SessionLifetimeMiddleware:
    """Logs a user out after SESSION_IDLE_SECONDS without a request, or
    SESSION_MAX_AGE_SECONDS after login however active they have been. Requests without a
    session cookie, as every anonymous reader's are, are not even looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            session = request.session
            now = int(timezone.now().timestamp())
            started, seen = session.get(LOGIN_TIME_KEY, 0), session.get(LAST_SEEN_KEY, 0)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_MAX_AGE_SECONDS
            ):
                logout(request)
            elif now - seen > LAST_SEEN_PRECISION:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The client's address: the peer, or, when BEHIND_PROXY is set, the address our proxy
    appended last to X-Forwarded-For (earlier entries come from the client and may lie)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if last := forwarded.rsplit(",", 1)[-1].strip():
            return last
    return request.META.get("REMOTE_ADDR")
