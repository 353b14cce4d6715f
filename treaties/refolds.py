"""Search documents folded again in batches, for speakers and treaties with too many
statements to fold in the transaction that changed a name or an alias
(treaties/sql/refold.sql)."""

from django.db import transaction
from django.db.models import Q

from .models import Refold, Statement

# Statements folded again in one transaction: about half a second at 1,000,000 statements.
BATCH = 2000


def refold_batch(batch: int = BATCH) -> int | None:
    """Folds again the next batch of the longest-waiting job's statements, the newest first,
    from where its last batch stopped; returns how many, or None when nothing is queued.
    Several workers can run at once: each takes a job the others have not locked."""
    with transaction.atomic():
        job = Refold.objects.select_for_update(skip_locked=True).order_by("queued_at").first()
        if job is None:
            return None
        keys = _speaker_batch(job, batch) if job.speaker_id else _treaty_batch(job, batch)
        # Any update recomputes the document; NULL asks for nothing else (summaries.sql).
        Statement.objects.filter(pk__in=[pk for _, pk in keys]).update(search_vector=None)
        if len(keys) < batch:
            job.delete()
        else:
            job.after_date, job.after_id = keys[-1]
            job.save(update_fields=["after_date", "after_id"])
    return len(keys)


def _speaker_batch(job: Refold, batch: int) -> list[tuple]:
    """The speaker's next statements by (date, id), newest first: the range of an index."""
    statements = Statement.objects.filter(speaker_id=job.speaker_id)
    if job.after_id is not None:
        # date <= after_date too, though implied: it starts the index range there.
        statements = statements.filter(
            Q(date__lt=job.after_date) | Q(date=job.after_date, pk__lt=job.after_id),
            date__lte=job.after_date,
        )
    return list(statements.order_by("-date", "-pk").values_list("date", "pk")[:batch])


def _treaty_batch(job: Refold, batch: int) -> list[tuple]:
    """The treaty's next statements by id, newest first."""
    links = Statement.treaties.through.objects.filter(treaty_id=job.treaty_id)
    if job.after_id is not None:
        links = links.filter(statement_id__lt=job.after_id)
    ids = links.order_by("-statement_id").values_list("statement_id", flat=True)[:batch]
    return [(None, pk) for pk in ids]
