"""Keyset ("cursor") pagination: each page continues after the last row of the one before.

A page is the first `limit` rows after the cursor in an index order, so page 10,000 costs what
page 1 does: no OFFSET for the database to skip and no COUNT. The cursor is opaque to clients:
URL-safe base64 of the last row's sort key, as JSON.

Statements and events are listed newest first by (date, id), served by their (status, date)
indexes; treaties, actors and sources by id.
"""

import base64
import binascii
import datetime
import json

from django.db.models import Q


class BadCursor(ValueError):
    """The cursor was not made by this API (or was cut short)."""


def encode(key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def decode(cursor: str) -> list:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise BadCursor from error
    if not isinstance(key, list):
        raise BadCursor
    return key


def _id(value) -> int:
    # bool is an int in Python; a real id is a positive bigint.
    if type(value) is not int or not 0 < value < 2**63:
        raise BadCursor
    return value


def _date(value) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise BadCursor from error


class ByDateDesc:
    """Newest first: (date, id) descending."""

    ordering = ("-date", "-id")

    @staticmethod
    def key(row) -> list:
        return [row.date.isoformat(), row.pk]

    @staticmethod
    def after(cursor: str) -> Q:
        match decode(cursor):
            case [day, pk]:
                day, pk = _date(day), _id(pk)
            case _:
                raise BadCursor
        return Q(date__lt=day) | Q(date=day, pk__lt=pk)


class ById:
    """Oldest record first: id ascending."""

    ordering = ("id",)

    @staticmethod
    def key(row) -> list:
        return [row.pk]

    @staticmethod
    def after(cursor: str) -> Q:
        match decode(cursor):
            case [pk]:
                pk = _id(pk)
            case _:
                raise BadCursor
        return Q(pk__gt=pk)


def page(request, queryset, order, *, cursor: str | None, limit: int, record, absolute):
    """One page of queryset in order (ByDateDesc or ById), as the API's Page schema.

    Raises BadCursor for a cursor this API did not make.
    """
    if cursor:
        queryset = queryset.filter(order.after(cursor))
    rows = list(queryset.order_by(*order.ordering)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode(order.key(rows[-1])) if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "next_cursor": next_cursor,
        "next": next_url,
        "results": [record(row, absolute) for row in rows],
    }
