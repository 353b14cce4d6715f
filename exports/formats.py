"""Writing records as a stream of text: CSV for spreadsheets, JSON for programs.

Both are generators of chunks, each holding at most one batch of rows, so the response
never holds the whole list.
"""

import csv
import datetime
import json

from api.records import FORMAT_VERSION

# The CSV columns, for statements and events alike (a cell a row's kind lacks is empty).
# References to other records are their names, several joined with "; ".
COLUMNS = [
    "type",
    "id",
    "permalink",
    "date",
    "date_precision",
    "date_as_shown",
    "kind",
    "speaker",
    "speaker_role_on_the_day",
    "text",
    "original_text",
    "original_language",
    "setting",
    "setting_detail",
    "title",
    "description",
    "location",
    "actors",
    "mentions",
    "treaties",
    "topics",
    "source_title",
    "source_url",
    "source_archived_copy",
    "where_in_source",
    "editor_note",
]
# Columns a list adds to every row ("who said what": the speaker's side).
EXTRA_COLUMNS = {"side"}

# A spreadsheet would run a cell starting with one of these as a formula ("CSV injection"):
# such cells get a leading apostrophe, which spreadsheets hide.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _names(references, field="name") -> str:
    return "; ".join(reference[field] for reference in references or ())


def flat(record: dict) -> dict:
    """A record (api/records.py) as one CSV row: names for references, text for the rest."""
    speaker = record.get("speaker") or {}
    source = record.get("source") or {}
    row = {
        "date_as_shown": record["display_date"],
        "speaker": speaker.get("name", ""),
        "speaker_role_on_the_day": record.get("speaker_role", ""),
        "actors": _names(record.get("actors")),
        "mentions": _names(record.get("mentions")),
        "treaties": _names(record.get("treaties"), "short_name"),
        "topics": _names(record.get("topics")),
        "source_title": source.get("title", ""),
        "source_url": source.get("url", ""),
        "source_archived_copy": source.get("archive_url", ""),
        "where_in_source": record.get("source_locator", ""),
    }
    for column in COLUMNS + sorted(EXTRA_COLUMNS):
        if column not in row:
            row[column] = record.get(column, "")
    return {column: _cell(value) for column, value in row.items()}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file for csv.writer that hands back what it is given instead of storing it."""

    def write(self, text):
        return text


def _joined(pieces, size: int = 100):
    """The pieces in strings of size pieces each: fewer, larger writes to the client."""
    group = []
    for piece in pieces:
        group.append(piece)
        if len(group) >= size:
            yield "".join(group)
            group = []
    if group:
        yield "".join(group)


def csv_chunks(rows, *, extra: tuple[str, ...] = ()):
    writer = csv.DictWriter(_Line(), fieldnames=COLUMNS + list(extra), extrasaction="ignore")
    yield writer.writeheader()
    yield from _joined(writer.writerow(flat(record)) for record in rows)


def json_chunks(rows, *, about: dict):
    """{"format": ..., (about), "results": [...]}: the results streamed one per line."""
    head = {
        "format": "armscontrol-list",
        "format_version": FORMAT_VERSION,
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        **about,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
    yield from _joined(
        ("\n" if number == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
        for number, record in enumerate(rows)
    )
    yield "\n]}\n"
