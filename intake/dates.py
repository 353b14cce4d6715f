"""Date expressions resolved against the article's date, at an honest precision.

"on Tuesday" is the day; "in mid-October" the middle of a month (stored as its 1st with
the precision "mid"); "a few weeks ago" and "last week" a part of a month, marked
approximate; "in 2021" a year. A month or day without a year is the nearest such date to the
article's (a report in November means the August before it and the December after it).
"""

import dataclasses
import datetime
import json
import re
from pathlib import Path

from treaties.dates import DatePrecision

from .text import fold

WORDS = json.loads((Path(__file__).parent / "data" / "dates.json").read_text())
MONTH = "|".join(sorted(WORDS["months"], key=len, reverse=True))
WEEKDAY = "|".join(sorted(WORDS["weekdays"], key=len, reverse=True))
PART = "|".join(re.escape(p) for p in sorted(WORDS["part_of_month"], key=len, reverse=True))
FEW = "|".join(re.escape(f) for f in sorted(WORDS["few"], key=len, reverse=True))
PARTS = {
    "early": DatePrecision.EARLY_MONTH,
    "mid": DatePrecision.MID_MONTH,
    "late": DatePrecision.LATE_MONTH,
}
END = r"(?![\d])"
UPCOMING_DAYS = 62

# Matched against the folded text (same offsets), most specific first.
PATTERNS = [
    ("day_month_year", rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of |de )?({MONTH})\.?,? (\d{{4}}){END}"),
    ("month_day_year", rf"\b({MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}}){END}"),
    ("day_month", rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of |de )?({MONTH})\b"),
    ("month_day", rf"\b({MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?{END}"),
    ("part_this_month", rf"\b(?:at |in )?(?:the )?({PART}) ?(?:this|the current) month\b"),
    ("part_month_year", rf"\b(?:at |in )?(?:the )?({PART}) ?({MONTH})\.? (\d{{4}}){END}"),
    ("part_month", rf"\b(?:at |in )?(?:the )?({PART}) ?({MONTH})\b"),
    ("month_year", rf"\b({MONTH}) (?:of )?(\d{{4}}){END}"),
    ("in_month", rf"\b(?:in|since|until|by|last|this|next) ({MONTH})\b"),
    ("last_weekday", rf"\blast ({WEEKDAY})\b"),
    ("on_weekday", rf"\b(?:on |this |el |le |am )?({WEEKDAY})\b"),
    ("weeks_ago", rf"\b({FEW}) weeks? ago\b"),
    ("days_ago", rf"\b({FEW}) days? ago\b"),
    ("months_ago", rf"\b({FEW}) months? ago\b"),
    ("last_week", r"\blast week\b"),
    ("this_week", r"\bthis week\b"),
    ("last_month", r"\blast month\b"),
    ("recent_months", r"\bin (?:the )?recent months\b"),
    ("yesterday", r"\byesterday\b"),
    ("today", r"\btoday\b"),
    ("last_year", r"\blast year\b"),
    ("in_year", r"\b(?:in|since|until|by|of|from) (\d{4})\b"),
    ("year_start", r"^(\d{4})\b"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in PATTERNS]


@dataclasses.dataclass(frozen=True)
class Resolved:
    start: int
    end: int
    expression: str
    date: datetime.date
    precision: str
    approximate: bool = False

    @property
    def key(self):
        return (self.date, self.precision, self.approximate)


def month_start(date: datetime.date) -> datetime.date:
    return date.replace(day=1)


def part_of(date: datetime.date) -> str:
    """Early, mid- or late month for a day: 1–10, 11–20, 21 onwards."""
    if date.day <= 10:
        return DatePrecision.EARLY_MONTH
    if date.day <= 20:
        return DatePrecision.MID_MONTH
    return DatePrecision.LATE_MONTH


def nearest_year(month: int, day: int, today: datetime.date) -> int:
    """The year for a month/day given without one: the latest on or before the article's
    date, unless it falls within the two months after it (a report in November means the
    August before it, but "the beginning of December" after it)."""
    try:
        upcoming = datetime.date(today.year, month, min(day, 28))
    except ValueError:
        return today.year
    if upcoming <= today or (upcoming - today).days <= UPCOMING_DAYS:
        return today.year
    return today.year - 1


def _resolve(name, groups, today):
    months, weekdays, few = WORDS["months"], WORDS["weekdays"], WORDS["few"]
    day_precision = DatePrecision.DAY
    if name == "day_month_year":
        return datetime.date(int(groups[2]), months[groups[1]], int(groups[0])), day_precision
    if name == "month_day_year":
        return datetime.date(int(groups[2]), months[groups[0]], int(groups[1])), day_precision
    if name in ("day_month", "month_day"):
        day, month = (groups[0], groups[1]) if name == "day_month" else (groups[1], groups[0])
        month, day = months[month], int(day)
        return datetime.date(nearest_year(month, day, today), month, day), day_precision
    if name == "part_this_month":
        return month_start(today), PARTS[WORDS["part_of_month"][groups[0]]]
    if name in ("part_month_year", "part_month"):
        month = months[groups[1]]
        year = int(groups[2]) if name == "part_month_year" else nearest_year(month, 15, today)
        return datetime.date(year, month, 1), PARTS[WORDS["part_of_month"][groups[0]]]
    if name == "month_year":
        return datetime.date(int(groups[1]), months[groups[0]], 1), DatePrecision.MONTH
    if name == "in_month":
        month = months[groups[0]]
        return datetime.date(nearest_year(month, 15, today), month, 1), DatePrecision.MONTH
    if name == "last_weekday":
        back = (today.weekday() - weekdays[groups[0]]) % 7 or 7
        return today - datetime.timedelta(days=back), day_precision
    if name == "on_weekday":
        # In news, a bare weekday is the latest one on or before the day of writing.
        back = (today.weekday() - weekdays[groups[0]]) % 7
        return today - datetime.timedelta(days=back), day_precision
    if name in ("weeks_ago", "days_ago", "months_ago"):
        count = few[groups[0]]
        if name == "days_ago":
            return today - datetime.timedelta(days=count), day_precision, True
        days = count * (7 if name == "weeks_ago" else 30)
        then = today - datetime.timedelta(days=days)
        precision = part_of(then) if name == "weeks_ago" else DatePrecision.MONTH
        return month_start(then), precision, True
    if name in ("last_week", "this_week"):
        then = today - datetime.timedelta(days=7 if name == "last_week" else 0)
        return month_start(then), part_of(then), True
    if name == "last_month":
        return month_start(month_start(today) - datetime.timedelta(days=1)), DatePrecision.MONTH
    if name == "recent_months":
        return datetime.date(today.year, 1, 1), DatePrecision.YEAR, True
    if name == "yesterday":
        return today - datetime.timedelta(days=1), day_precision
    if name == "today":
        return today, day_precision
    if name == "last_year":
        return datetime.date(today.year - 1, 1, 1), DatePrecision.YEAR
    if name in ("in_year", "year_start"):
        year = int(groups[0])
        if not 1800 <= year <= today.year + 10:
            return None
        return datetime.date(year, 1, 1), DatePrecision.YEAR
    return None


def find_dates(text: str, today: datetime.date, start: int = 0, end: int | None = None):
    """Date expressions in text[start:end], resolved, in order of appearance."""
    end = len(text) if end is None else end
    folded = fold(text[start:end])
    taken: list[tuple[int, int]] = []
    found = []
    for name, pattern in COMPILED:
        for match in pattern.finditer(folded):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            try:
                result = _resolve(name, match.groups(), today)
            except (ValueError, KeyError):
                continue
            if result is None:
                continue
            date, precision, *approximate = result
            taken.append((match.start(), match.end()))
            found.append(
                Resolved(
                    start + match.start(),
                    start + match.end(),
                    text[start + match.start() : start + match.end()],
                    date,
                    precision,
                    bool(approximate and approximate[0]),
                )
            )
    return sorted(found, key=lambda r: r.start)
