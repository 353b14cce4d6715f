"""manage.py export_dataset --output DIR: the whole published record as JSON Lines and CSV.

The format is described in the README ("Reusing the data"). Rows are read with .iterator()
in chunks and written as they come, so memory stays flat however large the record is. Each
file is written next to its final name and moved into place when complete, so running the
command again replaces a previous export whole.
"""

import csv
import datetime
import json
import os
import sys
import typing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from api import records
from api.schemas import (
    ActorOut,
    ActorRef,
    EventOut,
    SourceOut,
    SourceRef,
    StatementOut,
    TopicOut,
    TreatyOut,
    TreatyRef,
)

CHUNK = 1000

# kind -> (rows, record function). Statements and events: published only; sources: those
# behind them; treaties, actors and topics: all (they have no drafts).
KINDS = {
    "treaties": (records.treaties_for_records, records.treaty_record, TreatyOut),
    "actors": (records.actors_for_records, records.actor_record, ActorOut),
    "topics": (records.topics_for_records, records.topic_record, TopicOut),
    "sources": (records.sources_for_records, records.source_record, SourceOut),
    "statements": (records.statements_for_records, records.statement_record, StatementOut),
    "events": (records.events_for_records, records.event_record, EventOut),
}


REFERENCES = (ActorRef, SourceRef, TopicOut, TreatyRef)


def csv_columns(schema) -> dict[str, tuple[str, str]]:
    """field -> (CSV column, how to write it): a reference becomes its id ("outlet_id"), a
    list of references their ids joined with "|" ("treaties_ids"), any other list its JSON."""
    columns = {}
    for name, field in schema.model_fields.items():
        annotation = field.annotation
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is list:
            if args[0] in REFERENCES:
                columns[name] = (f"{name}_ids", "ids")
            else:
                columns[name] = (name, "json")
        elif annotation in REFERENCES or set(args) & set(REFERENCES):
            columns[name] = (f"{name}_id", "id")
        else:
            columns[name] = (name, "value")
    return columns


def csv_row(record: dict, columns) -> dict:
    row = {}
    for name, (column, how) in columns.items():
        value = record[name]
        if how == "ids":
            row[column] = "|".join(str(item["id"]) for item in value)
        elif how == "json":
            row[column] = json.dumps(value, ensure_ascii=False)
        elif how == "id":
            row[column] = value["id"] if value else ""
        else:
            row[column] = "" if value is None else value
    return row


class Command(BaseCommand):
    help = "Write the published record as versioned JSON Lines and CSV files, one per kind."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="Directory to write to.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address for the permalinks, e.g. https://example.org "
            "(without it, permalinks are paths such as /q/12/...).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bars on standard error."
        )

    def handle(self, *, output: Path, base_url: str, no_progress: bool, **options):
        base_url = base_url.rstrip("/")
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://")
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {output}: {error}") from error

        def absolute(path: str) -> str:
            return f"{base_url}{path}"

        counts = {}
        for kind, (rows, record, schema) in KINDS.items():
            progress = tqdm(
                desc=kind, unit=" rows", disable=no_progress, file=sys.stderr, leave=True
            )
            with progress:
                counts[kind] = self.write(
                    output, kind, rows(), record, csv_columns(schema), absolute, progress
                )

        manifest = {
            "format": "armscontrol-record",
            "format_version": records.FORMAT_VERSION,
            "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "base_url": base_url,
            "files": {
                kind: {"jsonl": f"{kind}.jsonl", "csv": f"{kind}.csv", "count": count}
                for kind, count in counts.items()
            },
        }
        _replace(output / "manifest.json", json.dumps(manifest, indent=2) + "\n")
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Wrote {summary} to {output}")

    def write(self, output, kind, queryset, record, columns, absolute, progress) -> int:
        jsonl_path, csv_path = output / f"{kind}.jsonl", output / f"{kind}.csv"
        jsonl_part, csv_part = _part(jsonl_path), _part(csv_path)
        count = 0
        with (
            jsonl_part.open("w", encoding="utf-8") as jsonl,
            csv_part.open("w", encoding="utf-8", newline="") as csv_file,
        ):
            writer = csv.DictWriter(csv_file, fieldnames=[column for column, _ in columns.values()])
            writer.writeheader()
            for row in queryset.order_by("pk").iterator(chunk_size=CHUNK):
                data = record(row, absolute)
                jsonl.write(json.dumps(data, ensure_ascii=False) + "\n")
                writer.writerow(csv_row(data, columns))
                count += 1
                progress.update()
        os.replace(jsonl_part, jsonl_path)
        os.replace(csv_part, csv_path)
        return count


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _replace(path: Path, text: str):
    part = _part(path)
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)
