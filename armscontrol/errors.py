"""Error responses that must work when the database does not.

A database that cannot be reached, or a query cancelled by the statement timeout, answers
503 Service Unavailable with Retry-After and a page that says which of the two happened;
every other failure gets Django's 500 page. Neither page needs a request context or a query.
"""

import logging
import sys

import psycopg
from django import db
from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("armscontrol.database")

OUTAGE = "outage"
TIMEOUT = "timeout"
# Seconds a client should wait before trying again: a restart takes a few seconds; a query
# that timed out may succeed once the load that slowed it has passed.
RETRY_AFTER = {OUTAGE: 5, TIMEOUT: 30}


def database_problem(exc: BaseException | None) -> str | None:
    """OUTAGE or TIMEOUT if exc says the database is unavailable, else None."""
    if isinstance(exc, db.OperationalError | db.InterfaceError):
        # Django wraps the driver's exception and keeps it as the cause.
        exc = exc.__cause__ or exc
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return TIMEOUT
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return OUTAGE
    if isinstance(exc, db.OperationalError | db.InterfaceError):
        return OUTAGE  # raised by Django itself, without a driver exception
    return None


def unavailable(request, problem: str) -> HttpResponse:
    """The 503 page for an outage or a timeout, rendered without the database."""
    logger.warning("Database %s on %s %s", problem, request.method, request.get_full_path()[:200])
    retry_after = RETRY_AFTER[problem]
    body = loader.get_template("503.html").render({"problem": problem, "retry_after": retry_after})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html") -> HttpResponse:
    """handler500: an unavailable database raised outside a view (in a middleware, say)
    still gets the 503 page; anything else gets Django's 500 page."""
    if problem := database_problem(sys.exception()):
        return unavailable(request, problem)
    return django_server_error(request, template_name=template_name)


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes: the answer to a login attempt from a locked (username, address) pair."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    body = loader.get_template("admin/locked_out.html").render(
        {"minutes": max(1, seconds // 60), "limit": settings.AXES_FAILURE_LIMIT}, request
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response
