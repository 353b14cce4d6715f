"""Bringing back what was changed or deleted: a version's many-to-many links and the list of
deleted records, both read from django-simple-history's tables.

simple-history keeps each version's many-to-many links in its own tables (``m2m_fields`` on
Statement and Event) but its admin "Revert" form shows the record's current links, so a revert
or an undelete used to lose them; HistoryAdmin fills the form from `version_links`.
"""

from dataclasses import dataclass
from datetime import datetime

from simple_history.models import DeletedObject
from simple_history.utils import get_m2m_reverse_field_name

DELETED_SHOWN = 50


def version_links(version) -> dict[str, list[int]]:
    """The many-to-many links (field name -> ids) as they were in this historical version."""
    links = {}
    for field in getattr(version, "_history_m2m_fields", ()):
        through_history = getattr(type(version), field.name).model
        target = get_m2m_reverse_field_name(field)
        links[field.name] = list(
            through_history._default_manager.filter(history_id=version.history_id)
            .order_by("pk")
            .values_list(f"{target}_id", flat=True)
        )
    return links


def linked_records(versions) -> dict[str, dict[int, list]]:
    """The records each of several versions of one model linked to, field by field: field
    name -> history id -> the linked records (by id; a record deleted since as simple-history's
    DeletedObject). One query a many-to-many field, however many versions."""
    found = {}
    if not versions:
        return found
    ids = [version.history_id for version in versions]
    for field in getattr(versions[0], "_history_m2m_fields", ()):
        through_history = getattr(type(versions[0]), field.name).model
        target = get_m2m_reverse_field_name(field)
        by_version = {history_id: [] for history_id in ids}
        rows = (
            through_history._default_manager.filter(history_id__in=ids)
            .select_related(target)
            .order_by(f"{target}_id", "pk")
        )
        for row in rows:
            linked = getattr(row, target) or DeletedObject(
                field.related_model, getattr(row, f"{target}_id")
            )
            by_version[row.history_id].append(linked)
        found[field.name] = by_version
    return found


@dataclass
class Deleted:
    label: str
    deleted_at: datetime
    deleted_by: object
    last_version: object  # the version to restore: the last one before the deletion


def deleted_records(model, *, limit=DELETED_SHOWN, select_related=()) -> list[Deleted]:
    """The most recently deleted records of a model that have not been restored since,
    newest deletion first. Three queries, each bounded by the limit and an index (the
    deletions by treaties.0007's partial index on history_date, the rest by id)."""
    history = model.history.model
    deletions = list(
        history.objects.filter(history_type="-")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    ids = {deletion.id for deletion in deletions}
    alive = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    versions = history.objects.filter(id__in=ids - alive).exclude(history_type="-")
    if select_related:
        versions = versions.select_related(*select_related)
    last_versions = {
        version.id: version for version in versions.order_by("id", "-history_date").distinct("id")
    }
    records, seen = [], set()
    for deletion in deletions:
        version = last_versions.get(deletion.id)
        if version is None or deletion.id in seen:
            continue  # restored since, or deleted again earlier
        seen.add(deletion.id)
        records.append(
            Deleted(
                # A historical row has the model's fields, so the model's __str__ names it
                # without rebuilding the instance.
                label=model.__str__(version),
                deleted_at=deletion.history_date,
                deleted_by=deletion.history_user,
                last_version=version,
            )
        )
    return records
