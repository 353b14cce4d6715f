"""Merging a duplicate actor or source (the loser) into the record that stays (the winner), and
undoing it.

Everything that points to the loser moves to the winner: found from the model's relations
rather than listed by hand, so that a table added later (a new foreign key to Actor) moves too.
A row of the loser's that the winner has already (an alias of the same name, a party to the
same treaty) would break a unique constraint if moved: it is deleted instead. The loser itself
is deleted, but the merge record keeps it and those rows (serialised), and which rows moved,
so that an undo puts everything back with the same ids. An actor's name becomes an alias of
the winner, and its old address answers a 301 to the winner's (treaties.views.pages).

Every moved, deleted and restored row of a model with a history is written into it, with the
merge as the reason: the record of who merged what stays in the history as well as here.

A merge or an undo that moves more statements than an editor's request may is queued
(QueuedMerge) and made by the worker (`manage.py run_worker`), as the editor who asked.
"""

import json
import logging

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator

from .duplicates import fold
from .models import (
    Actor,
    ActorAlias,
    ActorMerge,
    MergeKind,
    QueuedMerge,
    Refold,
    Source,
    SourceMerge,
    Statement,
    TreatyStatement,
)
from .versions import write_versions, write_versions_of

# Kept by database triggers (treaties/sql/summaries.sql, refold.sql): they follow a statement
# to its new speaker by themselves, and moving them here as well would make duplicates (the
# loser's aliases, moved to the winner, queue the winner's refold; the loser's own job goes
# with the loser).
KEPT_BY_THE_DATABASE = {TreatyStatement, Refold}

logger = logging.getLogger(__name__)


class MergeError(Exception):
    """A merge or undo that cannot be done; the message says why, for the editor."""


def too_large_to_wait(*, loser=None, merge=None) -> bool:
    """Whether merging loser (or undoing merge) moves more statements than a web request may
    (settings.ROWS_CHANGED_WHILE_WAITING); such a merge is queued for the worker instead
    (queue_merge)."""
    limit = settings.ROWS_CHANGED_WHILE_WAITING
    if merge is not None:
        moved = merge.moved.get("treaties.statement.speaker") or merge.moved.get(
            "treaties.statement.source", []
        )
        return len(moved) > limit
    field = "speaker" if isinstance(loser, Actor) else "source"
    return Statement.objects.filter(**{field: loser})[: limit + 1].count() > limit


def relations(model) -> list[models.ForeignKey]:
    """The foreign keys pointing to model, including those of the tables behind many-to-many
    fields, except history's copies (no constraint, DO_NOTHING) and the database's own."""
    found = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ManyToOneRel):  # a reverse foreign key (or one-to-one)
            continue
        if rel.on_delete is models.DO_NOTHING or rel.related_model in KEPT_BY_THE_DATABASE:
            continue
        found.append(rel.field)
    return found


def unique_partners(model, field) -> list[list[str]]:
    """For each unique constraint on model that includes field, the column names of the other
    fields in it: rows of the loser and the winner that agree on those would collide."""
    sets = [list(names) for names in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition:
            continue
        names = list(constraint.fields) or [
            e.name for e in constraint.expressions if isinstance(e, F)
        ]
        if len(names) == len(constraint.fields or constraint.expressions):
            sets.append(names)
    return [
        [model._meta.get_field(name).attname for name in names if name != field.name]
        for names in sets
        if field.name in names
    ]


# How far the confirmation page counts each kind of row: "more than 1,000" is enough to know.
COUNTED = 1000


def what_points_to(record) -> list[str]:
    """What would move with record, one line per kind of row ("3 statements (speaker)"),
    each count stopping at COUNTED so that a prolific speaker costs no more than a quiet one."""
    lines = []
    for field in relations(type(record)):
        model, through = field.model, None
        if model._meta.auto_created:  # the table behind a many-to-many field
            through = next(f for f in model._meta.fields if f.is_relation and f is not field)
        rows = model._base_manager.filter(**{field.attname: record.pk})
        count = rows[: COUNTED + 1].count()
        if not count:
            continue
        owner = (through.related_model if through else model)._meta
        noun = owner.verbose_name if count == 1 else owner.verbose_name_plural
        how = _m2m_name(owner, model) if through else field.verbose_name
        number = f"more than {COUNTED:,}" if count > COUNTED else str(count)
        lines.append(f"{number} {noun} ({how})")
    return lines


def _m2m_name(owner, through) -> str:
    return next(f.verbose_name for f in owner.many_to_many if f.remote_field.through is through)


def _reason(text: str) -> str:
    # The history's change reason holds 100 characters; a source's title alone may not fit.
    return Truncator(text).chars(100)


def _serialise(objects) -> list[dict]:
    return json.loads(serializers.serialize("json", objects)) if objects else []


def _delete(objects, *, reason):
    """Delete one by one, so that each deletion enters the history with the reason."""
    for obj in objects:
        obj._change_reason = reason
        obj.delete()


def _move_everything(winner, loser, *, reason, user) -> tuple[dict, list]:
    """Point every row that points to loser at winner; delete those that would collide.
    Returns {"app.model.field": [ids moved]} and the deleted rows, serialised."""
    moved, deleted = {}, []
    for field in relations(type(loser)):
        model = field.model
        rows = model._base_manager.filter(**{field.attname: loser.pk})
        clashing = set()
        for others in unique_partners(model, field):
            winners = model._base_manager.filter(**{field.attname: winner.pk})
            taken = set(winners.values_list(*others))
            clashing |= {
                pk for pk, *values in rows.values_list("pk", *others) if tuple(values) in taken
            }
        # The records whose links change (a statement that mentioned both loses a mention).
        owners = _link_owners(model, field, clashing)
        if clashing:
            doomed = list(model._base_manager.filter(pk__in=clashing))
            deleted += _serialise(doomed)
            _delete(doomed, reason=reason)
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model._base_manager.filter(pk__in=ids).update(**{field.attname: winner.pk})
            write_versions_of(model, ids, reason=reason, user=user)
            owners |= _link_owners(model, field, ids)
            moved[f"{model._meta.label_lower}.{field.name}"] = ids
        _links_history(model, field, owners, reason=reason, user=user)
    return moved, deleted


def _owner_field(through, field):
    """The other side of a many-to-many link row (the statement of a statement's mention),
    when through is the link table of a field whose history keeps its links."""
    if not through._meta.auto_created:
        return None
    owner_field = next(f for f in through._meta.fields if f.is_relation and f is not field)
    if not getattr(owner_field.related_model._meta, "simple_history_manager_attribute", None):
        return None
    return owner_field


def _link_owners(through, field, ids) -> set[int]:
    """The ids of the records that own these link rows (see _owner_field), read now."""
    owner_field = _owner_field(through, field)
    if owner_field is None or not ids:
        return set()
    rows = through._base_manager.filter(pk__in=ids)
    return set(rows.values_list(owner_field.attname, flat=True))


def _links_history(through, field, owner_ids, *, reason, user):
    """The records whose many-to-many links a merge (or its undo) changed get a new version:
    their history keeps their links."""
    owner_field = _owner_field(through, field)
    if owner_field is None or not owner_ids:
        return
    for record in owner_field.related_model._base_manager.filter(pk__in=owner_ids):
        # Saving writes the version with its links, as an edit in the admin does.
        record._change_reason = reason
        record._history_user = user
        record.save(update_fields=["updated_at"])


# A version from before a merge -------------------------------------------------------------

MERGES = {Actor: ActorMerge, Source: SourceMerge}


def merged_away(model, ids) -> dict[int, int | None]:
    """For each of ids (records of model) that no longer exists, the id of the record it was
    merged into, or None: a version written before a merge names records merged away since,
    and reverting to it should name the records they live on as."""
    merge_model = MERGES.get(model)
    ids = set(ids) - {None}
    if merge_model is None or not ids:
        return {}
    gone = ids - set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
    found = {}
    for pk in gone:
        winner = merge_model.objects.winner_of(loser_id=pk)
        found[pk] = winner.pk if winner else None
    return found


def as_merged(version_instance, links: dict[str, list[int]]) -> dict[str, list[int]]:
    """The record a version rebuilds (its foreign keys changed in place) and its
    many-to-many links (returned), each merged record replaced by the one it was merged into."""
    for field in version_instance._meta.concrete_fields:
        if field.many_to_one:
            value = getattr(version_instance, field.attname)
            if renamed := merged_away(field.related_model, [value]):
                setattr(version_instance, field.attname, renamed[value])
    current = {}
    for name, ids in links.items():
        renamed = merged_away(version_instance._meta.get_field(name).related_model, ids)
        mapped = [renamed.get(pk, pk) for pk in ids]
        current[name] = list(dict.fromkeys(pk for pk in mapped if pk is not None))
    return current


def _delete_loser(loser, *, reason):
    """Delete a copy: the caller's loser keeps its id (for its messages and logs)."""
    _delete([type(loser)._base_manager.get(pk=loser.pk)], reason=reason)


def _check_pair(winner, loser):
    if winner.pk == loser.pk:
        raise MergeError("A record cannot be merged into itself: choose two different ones.")


@transaction.atomic
def merge_actors(*, winner: Actor, loser: Actor, user=None) -> ActorMerge:
    """Merge loser into winner: its statements, roles, aliases, memberships, signatures and
    mentions move; its name becomes an alias; its page redirects to the winner's."""
    return _merge(
        ActorMerge,
        winner=winner,
        loser=loser,
        name=loser.name,
        user=user,
        add=lambda reason: _name_as_alias(winner, loser.name, reason=reason),
        loser_slug=loser.slug,
    )


@transaction.atomic
def merge_sources(*, winner: Source, loser: Source, user=None) -> SourceMerge:
    """Merge loser into winner: its statements, events, corroborations and intakes move; its
    URL finds the winner from now on (intake, duplicate warnings)."""
    return _merge(
        SourceMerge, winner=winner, loser=loser, name=loser.title, user=user, loser_url=loser.url
    )


def _merge(merge_model, *, winner, loser, name, user, add=None, **record):
    """Move everything, let add() add what the winner gains (returns {label: [ids]}), record
    the merge with the loser as it was, then delete the loser."""
    _check_pair(winner, loser)
    reason = _reason(f"Merged “{name}” into “{winner}”")
    snapshot = _serialise([loser])
    moved, deleted = _move_everything(winner, loser, reason=reason, user=user)
    merge = merge_model.objects.create(
        winner=winner,
        loser_id=loser.pk,
        loser_name=name,
        deleted=snapshot + deleted,
        moved=moved,
        added=add(reason) if add else {},
        merged_by=user,
        **record,
    )
    _delete_loser(loser, reason=reason)
    return merge


def _name_as_alias(actor, name, *, reason) -> dict:
    """The merged actor's name as one of actor's aliases, unless actor has that spelling."""
    spellings = {fold(actor.name), *(fold(a.name) for a in actor.aliases.all())}
    if fold(name) in spellings:
        return {}
    alias = ActorAlias(actor=actor, name=name, note="name of a merged record")
    alias._change_reason = reason
    alias.save()
    return {ActorAlias._meta.label_lower: [alias.pk]}


def undo_merge(merge: ActorMerge | SourceMerge, *, user=None):
    """Bring the loser back with its id, move back what moved, restore what was deleted and
    remove what the merge added. Refused (MergeError) once undone, or if the loser's unique
    values (an actor's slug) have been taken since."""
    merge.refresh_from_db()  # its winner changes when the winner is merged in turn
    if merge.is_undone:
        raise MergeError("This merge has been undone already.")
    reason = _reason(f"Undid the merge of “{merge.loser_name}” into “{merge.winner}”")
    try:
        with transaction.atomic():
            _undo(merge, reason=reason, user=user)
    except IntegrityError as error:
        raise MergeError(
            f"The merge of “{merge.loser_name}” cannot be undone: a record made since holds "
            f"one of its unique values ({error.__cause__ or error})."
        ) from error


def _undo(merge, *, reason, user):
    restored = [item.object for item in serializers.deserialize("json", json.dumps(merge.deleted))]
    loser, rows = restored[0], restored[1:]
    for label, ids in merge.added.items():
        model = apps.get_model(label)
        _delete(list(model._base_manager.filter(pk__in=ids)), reason=reason)
    _restore(loser, reason=reason, user=user)
    # The deleted rows first: they point to the loser, so nothing moved back can clash with
    # them, and the versions written below then hold the links they bring back.
    links = {}  # (link table, its field to the loser) -> link rows whose owners changed
    for row in rows:
        _restore(row, reason=reason, user=user)
        if field := _field_to(type(row), type(loser)):
            links.setdefault((type(row), field), []).append(row.pk)
    for key, ids in merge.moved.items():
        label, field_name = key.rsplit(".", 1)
        model = apps.get_model(label)
        field = model._meta.get_field(field_name)
        # Only rows still pointing to the winner: one an editor has moved on since stays.
        back = model._base_manager.filter(pk__in=ids, **{field.attname: merge.winner_id})
        ids = list(back.values_list("pk", flat=True))
        model._base_manager.filter(pk__in=ids).update(**{field.attname: merge.loser_id})
        write_versions_of(model, ids, reason=reason, user=user)
        links.setdefault((model, field), []).extend(ids)
    for (model, field), ids in links.items():
        owners = _link_owners(model, field, ids)
        _links_history(model, field, owners, reason=reason, user=user)
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])


def _field_to(model, target):
    """model's foreign key to target (a link row's side that pointed to the merged record)."""
    fields = (f for f in model._meta.fields if f.is_relation and f.related_model is target)
    return next(fields, None)


def _restore(obj, *, reason, user):
    """Insert a deleted row again as it was (its id and dates too), into its history as well."""
    models.Model.save_base(obj, raw=True, force_insert=True)
    write_versions(type(obj), [obj], reason=reason, user=user, update=False)


# Merges too large to carry out while the editor waits ---------------------------------------

# What each kind of record is merged by: the command and the worker name them so.
KINDS = {
    MergeKind.ACTOR: (Actor, ActorMerge, merge_actors),
    MergeKind.SOURCE: (Source, SourceMerge, merge_sources),
}


def queue_merge(*, winner=None, loser=None, merge=None, user=None) -> QueuedMerge:
    """Queue the merge of loser into winner, or the undo of merge, for the worker (run_queued).
    MergeError if the same is waiting already."""
    if merge is not None:
        kind = MergeKind.ACTOR if isinstance(merge, ActorMerge) else MergeKind.SOURCE
        keys = {"undo_id": merge.pk}
        task = f"Undo the merge of “{merge.loser_name}” into “{merge.winner}”"
    else:
        _check_pair(winner, loser)
        kind = MergeKind.ACTOR if isinstance(loser, Actor) else MergeKind.SOURCE
        keys = {"winner_id": winner.pk, "loser_id": loser.pk}
        task = f"Merge “{loser}” into “{winner}”"
    if QueuedMerge.objects.waiting().filter(kind=kind, **keys).exists():
        raise MergeError(f"{task}: this is queued already, and waits for the worker.")
    return QueuedMerge.objects.create(
        kind=kind, task=Truncator(task).chars(500), requested_by=user, **keys
    )


def run_queued() -> QueuedMerge | None:
    """Carry out the longest-waiting queued merge or undo, as the editor who asked for it, and
    write down how it went; None when none waits. A database error (a deadlock, a restart)
    rolls it back and leaves it queued. Several workers may run: each takes a job the others
    have not locked."""
    with transaction.atomic():
        job = QueuedMerge.objects.waiting().select_for_update(skip_locked=True).first()
        if job is None:
            return None
        try:
            job.merge_id, job.outcome = _carry_out(job)
            job.succeeded = True
        except MergeError as error:
            job.succeeded, job.outcome = False, str(error)
        except DatabaseError:
            raise
        except Exception as error:
            # A fault of ours, which trying again would repeat: written down, so that the jobs
            # queued behind it still run. The merge's own transaction was rolled back.
            logger.exception("Queued merge %s failed", job.pk)
            job.succeeded = False
            job.outcome = f"The merge failed, and nothing was changed ({error!r})."
        job.finished_at = timezone.now()
        job.save(update_fields=["merge_id", "outcome", "succeeded", "finished_at"])
    return job


def _carry_out(job: QueuedMerge) -> tuple[int, str]:
    """The merge's id and what happened, in words; MergeError if it could not be done."""
    model, merge_model, merge_records = KINDS[job.kind]
    user = job.requested_by
    if job.undo_id is not None:
        merge = merge_model.objects.filter(pk=job.undo_id).first()
        if merge is None:
            raise MergeError(f"There is no {job.kind} merge {job.undo_id}.")
        undo_merge(merge, user=user)
        return merge.pk, f"Undone: “{merge.loser_name}” is back, with its rows."
    records = model._base_manager.in_bulk([job.winner_id, job.loser_id])
    if missing := [pk for pk in (job.winner_id, job.loser_id) if pk not in records]:
        raise MergeError(f"The {job.kind} with id {missing[0]} no longer exists.")
    winner, loser = records[job.winner_id], records[job.loser_id]
    try:
        merge = merge_records(winner=winner, loser=loser, user=user)
    except IntegrityError as error:  # a unique value taken in between, say
        raise MergeError(f"The merge could not be made: {error.__cause__ or error}") from error
    moved = sum(len(ids) for ids in merge.moved.values())
    return merge.pk, f"Merged “{merge.loser_name}” into “{winner}”: {moved:,} rows moved."
