"""Search documents folded again in batches, for speakers with too many statements to fold in
the transaction that changed their name or an alias (treaties/sql/refold.sql)."""

from django.db import transaction
from django.db.models import Q

from .models import Refold, Statement

# Statements folded again in one transaction: about a second at 1,000,000 statements.
BATCH = 2000


def refold_batch(batch: int = BATCH) -> int | None:
    """Folds again the next batch of the longest-waiting speaker's statements, in date order
    from where the last batch stopped; returns how many, or None when no speaker is queued.
    Several workers can run at once: each takes a speaker the others have not locked."""
    with transaction.atomic():
        job = Refold.objects.select_for_update(skip_locked=True).order_by("queued_at").first()
        if job is None:
            return None
        statements = Statement.objects.filter(speaker_id=job.speaker_id)
        if job.after_date is not None:
            # date >= after_date too, though implied: it starts the index range there.
            statements = statements.filter(
                Q(date__gt=job.after_date) | Q(date=job.after_date, pk__gt=job.after_id),
                date__gte=job.after_date,
            )
        folded = list(statements.order_by("date", "pk").values_list("date", "pk")[:batch])
        # Any update recomputes the document; NULL asks for nothing else (summaries.sql).
        Statement.objects.filter(pk__in=[pk for _, pk in folded]).update(search_vector=None)
        if len(folded) < batch:
            job.delete()
        else:
            job.after_date, job.after_id = folded[-1]
            job.save(update_fields=["after_date", "after_id"])
    return len(folded)
