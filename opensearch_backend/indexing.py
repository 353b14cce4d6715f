"""Feeding OpenSearch: its indexes set up from data/indexes.json, and the queue that the
database's triggers fill (sql/queue.sql) sent to it in batches."""

import json
import logging
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Func, TextField, Value, When

from treaties.models import Source, Statement

from .models import FedIndex, Queued, Refused

DEFINITIONS = json.loads((Path(__file__).parent / "data" / "indexes.json").read_text())
# The index (data/indexes.json) of each kind of record queued.
INDEXES = {Queued.Kind.STATEMENT: "statements", Queued.Kind.SOURCE: "sources"}
# Changes sent to OpenSearch in one request.
BATCH = 500
# Documents in a batch, every one refused, that mean the index is defined wrong.
MAPPING_SUSPECTED_AT = 10

logger = logging.getLogger(__name__)


class IndexingFailed(Exception):
    """OpenSearch refused some of a batch: the batch stays queued."""


def index_name(kind: str) -> str:
    return f"{settings.OPENSEARCH_INDEX_PREFIX}-{kind}"


def set_up(client, *, recreate: bool = False) -> list[str]:
    """Creates the indexes that do not exist, or that this database does not feed yet (all of
    them again with recreate), switches the queue on, and queues every record for each index
    it created. Returns the names of those indexes, which searches leave alone until
    mark_ready() (PostgreSQL answers)."""
    loading = []
    for kind, definition in DEFINITIONS.items():
        name = index_name(kind)
        fed = FedIndex.objects.filter(name=name).exists()
        # An index this database does not feed yet starts empty: what it holds may be
        # another database's, or records deleted since it was last fed.
        if (recreate or not fed) and client.indices.exists(index=name):
            client.indices.delete(index=name)
        if not client.indices.exists(index=name):
            client.indices.create(index=name, body=definition)
            loading.append(kind)
            # Committed at once, so that every change from here on is queued by the triggers...
            FedIndex.objects.update_or_create(name=name, defaults={"ready": False})
    if not loading:
        return []
    # ...and every record written before is queued here: the lock waits for the writes in
    # flight (whose triggers ran before the switch) to commit, and holds new ones for the
    # few seconds this takes.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "LOCK TABLE treaties_statement, treaties_source, treaties_event IN SHARE MODE"
        )
        # Every record of a kind loaded afresh is queued, those set aside included.
        Refused.objects.filter(kind__in=[k for k, i in INDEXES.items() if i in loading]).delete()
        if "statements" in loading:
            cursor.execute(
                "INSERT INTO opensearch_backend_queued (kind, record_id) "
                "SELECT 'statement', id FROM treaties_statement ORDER BY id"
            )
        if "sources" in loading:
            cursor.execute(
                "INSERT INTO opensearch_backend_queued (kind, record_id) "
                "SELECT 'source', id FROM treaties_source ORDER BY id"
            )
    return [index_name(kind) for kind in loading]


STATEMENT_COLUMNS = [
    "pk", "text", "original_text", "names", "setting_detail", "treaty_names", "editor_note", "date",
]  # fmt: skip


def _database_text(function: str, column: str) -> Func:
    """One of the database's functions that write the names in search documents."""
    return Func(F(column), function=function, output_field=TextField())


def statement_documents(ids: set[int]) -> dict[int, dict]:
    """What OpenSearch holds of each published statement among ids: what PostgreSQL's search
    document holds (treaties/sql/summaries.sql), by the same functions."""
    rows = (
        Statement.objects.published()
        .filter(pk__in=ids)
        .annotate(
            names=_database_text("statement_speaker_names", "speaker_id"),
            treaty_names=_database_text("statement_treaty_names", "pk"),
        )
        .values_list(*STATEMENT_COLUMNS)
    )
    return {
        pk: {
            "text": text,
            "original_text": original_text,
            "names": names,
            "context": f"{setting_detail} {treaty_names}".strip(),
            "note": editor_note,
            "date": date.isoformat(),
        }
        for pk, text, original_text, names, setting_detail, treaty_names, editor_note, date in rows
    }


def source_documents(ids: set[int]) -> dict[int, dict]:
    """What OpenSearch holds of each source among ids (treaties/sql/documents.sql), and
    whether it is public, as the search page counts it."""
    rows = (
        Source.objects.filter(pk__in=ids)
        .annotate(
            outlet_names=Case(
                When(outlet__isnull=True, then=Value("")),
                default=_database_text("statement_speaker_names", "outlet_id"),
                output_field=TextField(),
            ),
        )
        .values_list("pk", "title", "author", "outlet_names", "published_on", "public")
    )
    return {
        pk: {
            "title": title,
            "author": author,
            "outlet": outlet,
            "published_on": published_on.isoformat() if published_on else None,
            "public": public,
        }
        for pk, title, author, outlet, published_on, public in rows
    }


def actions(queued: list[Queued]) -> list[dict]:
    """The bulk request for queued changes: each record as it is now, or its deletion when it
    is no longer there to be found (deleted, or a statement unpublished).

    Each carries the id of its latest queued change as an external version, which OpenSearch
    keeps only if it is at least the version it holds: when senders run side by side, one that
    read a record before a later change cannot overwrite what another read after it."""
    documents = {Queued.Kind.STATEMENT: statement_documents, Queued.Kind.SOURCE: source_documents}
    lines = []
    for kind, documents_of in documents.items():
        versions = {}
        for change in queued:
            if change.kind == kind:
                versions[change.record_id] = max(change.pk, versions.get(change.record_id, 0))
        found = documents_of(set(versions)) if versions else {}
        for pk, version in sorted(versions.items()):
            target = {
                "_index": index_name(INDEXES[kind]),
                "_id": str(pk),
                "version": version,
                "version_type": "external_gte",
            }
            if pk in found:
                lines += [{"index": target}, found[pk]]
            else:
                lines.append({"delete": target})
    return lines


def taken_already(operation: str, result: dict) -> bool:
    """Whether a refusal means there was nothing to do: a later version of the record is in
    the index already (sent by another sender), or what is deleted was never indexed."""
    return result.get("status") == 409 or (operation == "delete" and result.get("status") == 404)


# The refusals that are a document's own: what it holds cannot be indexed as the mapping
# says, and sending it again would be refused again. Any other (too busy, a closed, missing or
# read-only index, a server error) is the index's or the cluster's, and may pass.
DOCUMENT_ERRORS = {
    "mapper_parsing_exception",
    "document_parsing_exception",
    "strict_dynamic_mapping_exception",
    "illegal_argument_exception",
}


class Refusal(NamedTuple):
    """An action of a bulk request that OpenSearch did not take."""

    kind: Queued.Kind
    record_id: int
    error_type: str
    reason: str

    @property
    def records_own(self) -> bool:
        return self.error_type in DOCUMENT_ERRORS


def refusals(response: dict) -> list[Refusal]:
    kinds = {index_name(index): kind for kind, index in INDEXES.items()}
    found = []
    for item in response["items"] if response.get("errors") else []:
        for operation, result in item.items():
            status = result.get("status", 500)
            if status < 300 or taken_already(operation, result):
                continue
            error = result.get("error")
            if not isinstance(error, dict):
                error = {"reason": str(error or f"status {status}")}
            reason = ": ".join(filter(None, [error.get("type"), error.get("reason")]))
            kind = kinds[result["_index"]]
            found.append(Refusal(kind, int(result["_id"]), error.get("type", ""), reason))
    return found


def send_queued(client, batch: int = BATCH) -> int:
    """Sends up to batch queued changes to OpenSearch and takes them off the queue; returns
    how many it took. They leave the queue in the transaction that read them, once OpenSearch
    has answered every one: a failure, a refusal that is not a document's own (too busy, an
    index closed), or every document refused, leaves them all queued for the next attempt. A
    record refused for its own reason is set aside in Refused, so that it does not hold up
    the queue, and logged.
    Several senders can run at once: each takes rows the others have not locked (and see
    actions() for their order)."""
    with transaction.atomic():
        queued = list(Queued.objects.select_for_update(skip_locked=True).order_by("pk")[:batch])
        if not queued:
            return 0
        response = client.bulk(body=actions(queued))
        refused = refusals(response)
        if other := [refusal for refusal in refused if not refusal.records_own]:
            raise IndexingFailed(f"OpenSearch refused {len(other)}: {other[0].reason}")
        # Every document of a sizeable batch refused is the mapping's fault, not theirs (an
        # index defined wrong): set aside, they would leave an empty index marked ready. A
        # small batch (an edit or two) is taken at its word, lest two bad records stall it.
        documents = sum("index" in item for item in response["items"])
        if documents >= MAPPING_SUSPECTED_AT and len(refused) == documents:
            raise IndexingFailed(f"OpenSearch refused every document: {refused[0].reason}")
        set_aside(queued, refused)
        Queued.objects.filter(pk__in=[change.pk for change in queued]).delete()
    return len(queued)


def set_aside(queued: list[Queued], refused: list[Refusal]) -> None:
    """Records refused for their own reason go to Refused (the latest reason kept); those
    OpenSearch took this time leave it."""
    for refusal in refused:
        logger.error(
            "OpenSearch refused %s %s: %s. It is set aside until it changes again, or until "
            "`manage.py opensearch_index --retry-refused`.",
            refusal.kind, refusal.record_id, refusal.reason,
        )  # fmt: skip
    Refused.objects.bulk_create(
        [Refused(kind=r.kind, record_id=r.record_id, reason=r.reason) for r in refused],
        update_conflicts=True,
        unique_fields=["kind", "record_id"],
        update_fields=["reason", "refused_at"],
    )
    refused_now = {(refusal.kind, refusal.record_id) for refusal in refused}
    for kind in INDEXES:
        taken = {
            change.record_id
            for change in queued
            if change.kind == kind and (kind, change.record_id) not in refused_now
        }
        if taken:
            Refused.objects.filter(kind=kind, record_id__in=taken).delete()


def retry_refused() -> int:
    """Queues again every record set aside (after the cause was mended: a mapping changed, a
    cluster limit raised); returns how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM opensearch_backend_refused RETURNING kind, record_id")
        retried = cursor.fetchall()
        # Locked as an edit locks them, so that an edit in flight commits before these take
        # their queue ids: the versions OpenSearch keeps follow commit order (see actions()).
        for kind, model in [(Queued.Kind.STATEMENT, Statement), (Queued.Kind.SOURCE, Source)]:
            if ids := sorted(record for of_kind, record in retried if of_kind == kind):
                cursor.execute(
                    f"SELECT FROM {model._meta.db_table} WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE",
                    [ids],
                )
        cursor.executemany(
            "INSERT INTO opensearch_backend_queued (kind, record_id) VALUES (%s, %s)", retried
        )
        return len(retried)


def mark_ready() -> None:
    """Once the queue has been emptied, every index fed has everything: searches may use it."""
    FedIndex.objects.filter(ready=False).update(ready=True)


def ready(name: str) -> bool:
    return FedIndex.objects.filter(name=name, ready=True).exists()


def stop_feeding() -> None:
    """No more changes queued, and none left: for a site that goes back to PostgreSQL's own
    search. The indexes stay in OpenSearch; setting up again loads them afresh."""
    with transaction.atomic():
        FedIndex.objects.all().delete()
        Queued.objects.all().delete()
        Refused.objects.all().delete()
