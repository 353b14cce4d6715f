"""Dates as precise as the record is, and no more.

A statement reported as made "in mid-October 2022" is stored as 2022-10-01 with the precision
"mid-month"; it is shown as "mid-October 2022" and never as a made-up day. The stored date
is the start of the period, so ordering by it puts the period where it begins.
"""

import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "exact day"
    EARLY_MONTH = "early", "early in the month"
    MID_MONTH = "mid", "mid-month"
    LATE_MONTH = "late", "late in the month"
    MONTH = "month", "month"
    YEAR = "year", "year"


# Precisions at which the stored date must be the first day of its month.
MONTH_PRECISIONS = (
    DatePrecision.EARLY_MONTH,
    DatePrecision.MID_MONTH,
    DatePrecision.LATE_MONTH,
    DatePrecision.MONTH,
)

_PART_OF_MONTH = {
    DatePrecision.EARLY_MONTH: "early",
    DatePrecision.MID_MONTH: "mid-",
    DatePrecision.LATE_MONTH: "late",
}


def format_date(date: datetime.date | None, precision: str, approximate: bool = False) -> str:
    """'8 November 2022', 'mid-October 2022', 'November 2022', '2022', with 'c. ' if approximate."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        text = str(date.year)
    elif precision == DatePrecision.DAY:
        text = f"{date.day} {date:%B %Y}"
    elif precision in _PART_OF_MONTH:
        part = _PART_OF_MONTH[precision]
        text = f"{part}{date:%B %Y}" if part.endswith("-") else f"{part} {date:%B %Y}"
    else:
        text = f"{date:%B %Y}"
    return f"c. {text}" if approximate else text


def format_iso(date: datetime.date | None, precision: str) -> str:
    """ISO 8601 at its precision ("2022-10", "2022"), for <time datetime> and JSON-LD."""
    if date is None:
        return ""
    if precision == DatePrecision.DAY:
        return date.isoformat()
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    return f"{date.year:04d}-{date.month:02d}"


def precision_condition(date_field: str, precision_field: str) -> models.Q:
    """Check condition: a month-precise date is the 1st, a year-precise one 1 January."""
    return (
        models.Q(**{f"{date_field}__isnull": True})
        | models.Q(**{precision_field: DatePrecision.DAY})
        | models.Q(**{f"{precision_field}__in": MONTH_PRECISIONS, f"{date_field}__day": 1})
        | models.Q(
            **{
                precision_field: DatePrecision.YEAR,
                f"{date_field}__day": 1,
                f"{date_field}__month": 1,
            }
        )
    )


def period_bounds(date: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date at this precision can mean.

    Early, mid- and late month are stored as the 1st, so they span the whole month here: a
    window drawn around "mid-October" must not pretend to know which days it covers.
    """
    if precision == DatePrecision.DAY:
        return date, date
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 1, 1), datetime.date(date.year, 12, 31)
    first = date.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, next_month - datetime.timedelta(days=1)
