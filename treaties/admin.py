"""The editors' interface: enter facts quickly, lose no edit, delete nothing by accident.

Every admin keeps a history (django-simple-history: who changed what, when, with diffs and a
"Revert" button), searches without caring about accents, and runs a constant number of queries
on its list page (list_select_related for foreign keys, prefetch_related for many-to-many
columns; tests/test_admin.py holds the counts). The lists of the large tables, statements and
sources, also keep each query bounded as the tables grow (admin_lists.py).
"""

import itertools

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import (
    AdminTextareaWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import ModelChange, ModelDelta
from simple_history.utils import get_m2m_reverse_field_name

from .admin_lists import (
    CappedCount,
    ChoiceFilter,
    FewSearchWords,
    FullTextSearch,
    LinkFilter,
    RecordFilter,
    SortedAsOffered,
    YearFilter,
)
from .duplicates import similar_actor, similar_source, similar_statement
from .filters import QuickSelect
from .merges import (
    MergeError,
    as_merged,
    merge_actors,
    merge_sources,
    queue_merge,
    too_large_to_wait,
    undo_merge,
    what_points_to,
)
from .models import (
    Actor,
    ActorAlias,
    ActorMerge,
    Event,
    MergeKind,
    QueuedMerge,
    Refold,
    Role,
    Source,
    SourceMerge,
    Statement,
    StatementTally,
    Status,
    Topic,
    Treaty,
    TreatyLimit,
    TreatyParty,
    TreatySigner,
)
from .recovery import DELETED_SHOWN, deleted_records, linked_records, version_links
from .versions import write_versions_of

# Three-line text areas keep a source's inline statements and events on one screen.
COMPACT_TEXT = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}


class RowAutocomplete:
    """An autocomplete widget of an inline row that names its selected records from those the
    row was loaded with (select_related, prefetch_related), where Django's asks the database
    for them, a query per widget: 78 on a source's page with 36 statements. A value the
    editor has just changed is not among them, and is looked up as Django does."""

    loaded = None  # {str(pk): record}, in their model's order; set by LoadedRowsFormSet
    # In a folded row (SourceRowFormSet): started by static/js/admin_rows.js when the row is
    # first opened, not by Django's autocomplete.js on load.
    folded = False

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if self.folded:
            classes = attrs["class"].split()
            attrs["class"] = " ".join(
                "admin-autocomplete-folded" if name == "admin-autocomplete" else name
                for name in classes
            )
        return attrs

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.loaded is None or not selected <= self.loaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk, record in self.loaded.items():
            if pk in selected:
                label = self.choices.field.label_from_instance(record)
                options.append(self.create_option(name, record.pk, label, selected, len(options)))
        return [(None, options, 0)]


class RowAutocompleteSelect(RowAutocomplete, AutocompleteSelect):
    pass


class RowAutocompleteSelectMultiple(RowAutocomplete, AutocompleteSelectMultiple):
    pass


class LoadedRowsFormSet(forms.BaseInlineFormSet):
    """Rows that name their parent and their autocomplete fields' records from what is in
    hand, rather than a query each."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The parent itself, not only its id: a row's heading names it ("New START – Russia"),
        # and a row entered while its source is being added has a source for model
        # validation ("a published statement needs a source") though the source has no id.
        setattr(form.instance, self.fk.name, self.instance)
        if form.instance.pk:
            for name, field in form.fields.items():
                if isinstance(widget := getattr(field.widget, "widget", None), RowAutocomplete):
                    widget.loaded = _loaded_records(form.instance, name)
        return form


def _loaded_records(record, name) -> dict:
    """The records a stored row's field holds, as its inline's queryset loaded them."""
    if record._meta.get_field(name).many_to_many:
        related = list(getattr(record, name).all())
    else:
        related = [linked] if (linked := getattr(record, name)) is not None else []
    return {str(linked.pk): linked for linked in related}


class LoadedRowsInline:
    """An inline whose rows cost no query each (LoadedRowsFormSet, RowAutocomplete): a treaty
    may have 190 parties, a source dozens of statements. Before InlineModelAdmin in the
    bases."""

    formset = LoadedRowsFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", RowAutocompleteSelect(db_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", RowAutocompleteSelectMultiple(db_field, self.admin_site))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The autocomplete widgets' records (and the speaker a statement's heading names),
        # each field in one query for every row.
        fields = self.get_autocomplete_fields(request)
        many = [name for name in fields if self.model._meta.get_field(name).many_to_many]
        one = [name for name in fields if name not in many]
        queryset = super().get_queryset(request).prefetch_related(*many)
        return queryset.select_related(*one) if one else queryset


class QuickChoices:
    """Choice fields as QuickSelect (filters.py): through Django's widget templates an actor's
    16 aliases, each with a select of 100 languages, took 100 of the page's 230 ms."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name not in self.radio_fields:
            kwargs.setdefault("widget", QuickSelect)
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class HistoryAdmin(QuickChoices, FewSearchWords, SimpleHistoryAdmin):
    """An admin whose every change is recorded and can be viewed, compared and reverted.

    Search fields end in ``__unaccent``: Django's Unaccent transform is bilateral, so both the
    column and the search term lose their accents and "Zajarova" finds "Zajárova".
    """

    # simple-history's own list template has an inline style="" that the CSP refuses.
    object_history_list_template = "admin/treaties/history_list.html"

    def changelist_view(self, request, extra_context=None):
        # Django answers a filter's value that the list does not offer by sending the editor
        # here, to the whole list, and says nothing of why.
        if ERROR_FLAG in request.GET:
            self.message_user(
                request,
                "The list could not be filtered as its address asked (a value its filters do "
                "not offer): it shows every row.",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's own adds select_related() with no names for a model without
        # foreign keys, which drops its history_user (a query a version) and is deprecated.
        related = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *related
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # simple-history reads each version's many-to-many links for each comparison (two
        # queries a field a version: 7 queries a version of a statement) and rebuilds each row's
        # record to name it (its speaker read again). Here the links of the page's versions,
        # and of the version before the oldest, are read once, a query a field, and each row is
        # named from its own fields. The oldest version on a page is compared with that one
        # too, not left blank.
        versions = list(historical_records)
        if not versions:
            return
        if historical_records.has_next():
            versions.append(
                historical_records.paginator.object_list[historical_records.end_index()]
            )
        links = linked_records(versions)
        for version in versions:
            version.history_object_label = self.model.__str__(version)
        for newer, older in itertools.pairwise(versions):
            delta = newer.diff_against(
                older, excluded_fields=list(links), foreign_keys_are_objs=foreign_keys_are_objs
            )
            changes = delta.changes
            for name, by_version in links.items():
                before, after = by_version[older.history_id], by_version[newer.history_id]
                if before != after:
                    # As simple-history's diff gives them: a dict a link, by the linked field.
                    target = get_m2m_reverse_field_name(self.model._meta.get_field(name))
                    changes.append(
                        ModelChange(
                            name,
                            [{target: link} for link in before],
                            [{target: link} for link in after],
                        )
                    )
            changes.sort(key=lambda change: change.field)
            delta = ModelDelta(changes, [change.field for change in changes], older, newer)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None:
            return form
        # The history's "Revert" form: start from the version's many-to-many links, not the
        # record's current ones (none at all for a deleted record), and from the records that
        # actors and sources merged since live on as.
        links = as_merged(obj, version_links(version))

        class VersionForm(form):
            def __init__(self, *args, initial=None, **kwargs):
                super().__init__(*args, initial={**links, **(initial or {})}, **kwargs)

        return VersionForm

    def save_model(self, request, obj, form, change):
        started = timezone.now()
        super().save_model(request, obj, form, change)
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None:
            return
        # An undelete inserts the row anew, and auto_now_add would date it today: keep the
        # version's dates, in the row and in the history written since.
        kept = {
            field.attname: getattr(version, field.attname)
            for field in obj._meta.concrete_fields
            if getattr(field, "auto_now_add", False)
        }
        if kept:
            type(obj)._default_manager.filter(pk=obj.pk).update(**kept)
            obj.history.filter(history_date__gte=started).update(**kept)
            for attname, value in kept.items():
                setattr(obj, attname, value)

    def get_deleted_objects(self, objs, request):
        # Django lists every row that points to the records, then deletes or unlinks each in
        # the request: for the most prolific speaker at 1,000,000 statements the page alone
        # took 24 s, and New START's was cancelled by the statement timeout.
        if too_many := too_many_to_delete(self.model, objs):
            return [], {}, set(), too_many
        return super().get_deleted_objects(objs, request)


def too_many_to_delete(model, objs) -> list[str]:
    """What points to objs in larger numbers than a request may delete or unlink
    (settings.ROWS_CHANGED_WHILE_WAITING), as the delete page says it (one LIMITed count a
    relation); empty when they may be deleted here."""
    limit, found = settings.ROWS_CHANGED_WHILE_WAITING, []
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many:  # the links, through their table's index
            target = relation.field.m2m_reverse_field_name()
            rows = relation.through.objects.filter(**{f"{target}__in": objs})
        elif relation.on_delete is models.DO_NOTHING:  # a history's reference
            continue
        else:
            rows = related._base_manager.filter(**{f"{relation.field.name}__in": objs})
        # In no order: the model's (by date) sorted a speaker's every statement first.
        if rows.order_by()[: limit + 1].count() <= limit:
            continue
        many = f"more than {limit:,} {related._meta.verbose_name_plural}"
        if getattr(relation, "on_delete", None) is models.PROTECT:
            found.append(f"{many}, which keep it: merge it into another record instead.")
        else:
            found.append(
                f"{many}: too many to delete or unlink while you wait. Someone with access to "
                "the server can delete it there (manage.py shell), where no time limit applies."
            )
    return found


# Merges ----------------------------------------------------------------------------------


class MergeForm(forms.Form):
    """Which of the two selected records stays; the other is merged into it."""

    winner = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Keep",
        error_messages={
            "required": "Choose the record that stays.",
            "invalid_choice": "Choose one of the two selected records.",
        },
    )

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {record.pk: record for record in records}
        self.fields["winner"].choices = [(pk, str(record)) for pk, record in self.records.items()]

    def winner_and_loser(self):
        winner = self.records[self.cleaned_data["winner"]]
        return winner, next(r for r in self.records.values() if r is not winner)


class MergeableAdmin(HistoryAdmin):
    """Adds "Merge the two selected …": a confirmation page where the editor says which one
    stays, then treaties/merges.py moves everything to it. Merging needs the change
    permission, not delete: it is undone from the merge's own page."""

    actions = ["merge_selected"]
    merge_records = None  # staticmethod(merge_actors) or staticmethod(merge_sources)

    @admin.action(
        description="Merge the two selected %(verbose_name_plural)s", permissions=["change"]
    )
    def merge_selected(self, request, queryset):
        records = list(queryset.order_by("pk")[:3])
        if len(records) != 2:
            self.message_user(
                request,
                f"Select exactly two {self.opts.verbose_name_plural} to merge: the one that "
                "stays and its duplicate.",
                messages.WARNING,
            )
            return None
        form = MergeForm(request.POST if "post" in request.POST else None, records=records)
        if form.is_valid():
            winner, loser = form.winner_and_loser()
            try:
                if too_large_to_wait(loser=loser):
                    job = queue_merge(winner=winner, loser=loser, user=request.user)
                    self.message_user(request, queued_message(job), messages.INFO)
                    return None
                merge = self.merge_records(winner=winner, loser=loser, user=request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.log_change(request, winner, f"Merged “{loser}” (id {loser.pk}) into this record.")
            self.message_user(
                request,
                format_html(
                    'Merged “{}” into <a href="{}">{}</a>. If that was a mistake, '
                    '<a href="{}">Undo the merge</a>.',
                    loser,
                    reverse(f"admin:treaties_{self.opts.model_name}_change", args=[winner.pk]),
                    winner,
                    reverse(f"admin:treaties_{merge._meta.model_name}_change", args=[merge.pk]),
                ),
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Merge two {self.opts.verbose_name_plural}",
            "form": form,
            "records": [(record, what_points_to(record)) for record in records],
            # Two actors of different kinds (a person and a state) are rarely one record.
            "kinds_differ": len({getattr(record, "kind", None) for record in records}) > 1,
            "moved_while_waiting": f"{settings.ROWS_CHANGED_WHILE_WAITING:,}",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(
            request, "admin/treaties/merge_confirm.html", context, status=status
        )


class MergeRecordAdmin(QuickChoices, FewSearchWords, admin.ModelAdmin):
    """A merge, read-only, with its "Undo this merge" button (a POST to undo_view)."""

    merged = None  # the model merged: Actor or Source
    list_display = ["loser_name", "winner", "merged_by", "merged_at", "undone_at"]
    list_filter = [("undone_at", admin.EmptyFieldListFilter)]
    list_select_related = ["winner", "merged_by"]
    autocomplete_fields = []  # read-only: nothing to choose
    date_hierarchy = "merged_at"
    fields = ["winner", "loser_name", "loser_id", "merged_by", "merged_at", "what_moved"]
    readonly_fields = ["what_moved"]
    change_form_template = "admin/treaties/merge_change_form.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_undo"
        view = self.admin_site.admin_view(require_POST(self.undo_view))
        return [path("<int:pk>/undo/", view, name=name), *super().get_urls()]

    def has_view_permission(self, request, obj=None):
        # Whoever may merge these records may see the merges (and undo them).
        return request.user.has_perm(f"treaties.change_{self.merged._meta.model_name}")

    def has_add_permission(self, request):
        return False  # a merge is made by the action on the merged records' list

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record is what an undo needs

    @admin.display(description="what moved")
    def what_moved(self, merge):
        moved = [f"{len(ids)} × {key.split('.', 1)[1]}" for key, ids in merge.moved.items()]
        return ", ".join(moved) or "nothing"

    def undo_view(self, request, pk):
        merge = get_object_or_404(self.model.objects.select_related("winner"), pk=pk)
        if not self.has_view_permission(request, merge):
            raise PermissionDenied
        try:
            if too_large_to_wait(merge=merge):
                job = queue_merge(merge=merge, user=request.user)
                self.message_user(request, queued_message(job), messages.INFO)
            else:
                self.undo_now(request, merge)
        except MergeError as error:
            self.message_user(request, str(error), messages.ERROR)
        return redirect(reverse(f"admin:treaties_{self.opts.model_name}_change", args=[merge.pk]))

    def undo_now(self, request, merge):
        undo_merge(merge, user=request.user)
        restored = self.merged._base_manager.get(pk=merge.loser_id)
        self.log_change(request, restored, f"Restored: undid its merge into “{merge.winner}”.")
        url = reverse(f"admin:treaties_{self.merged._meta.model_name}_change", args=[restored.pk])
        self.message_user(
            request,
            format_html('Undone: <a href="{}">{}</a> is back, with its rows.', url, restored),
            messages.SUCCESS,
        )


def queued_message(job: QueuedMerge) -> str:
    """What the editor is told when a merge or an undo is queued for the worker."""
    return format_html(
        "Queued: {}. It moves more than {} statements, too many to move while you wait, so "
        'the worker carries it out in the background, usually within minutes; <a href="{}">'
        "Queued merges</a> says how it went.",
        job.task,
        f"{settings.ROWS_CHANGED_WHILE_WAITING:,}",
        reverse("admin:treaties_queuedmerge_changelist"),
    )


@admin.register(QueuedMerge)
class QueuedMergeAdmin(admin.ModelAdmin):
    """The merges and undos queued for the worker, and how each went: read-only."""

    list_display = ["task", "requested_by", "requested_at", "state", "result"]
    list_select_related = ["requested_by"]
    fields = ["task", "requested_by", "requested_at", "finished_at", "state", "result"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Whoever may merge actors or sources sees the queue the merges wait in.
        return any(request.user.has_perm(f"treaties.change_{kind}") for kind in MergeKind)

    def has_add_permission(self, request):
        return False  # queued by the merge action, when a merge is too large to wait for

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="outcome")
    def result(self, job):
        if job.merge_id is None:
            return job.outcome or "–"
        url = reverse(f"admin:treaties_{job.kind}merge_change", args=[job.merge_id])
        return format_html('{} <a href="{}">The merge</a>', job.outcome, url)


@admin.register(ActorMerge)
class ActorMergeAdmin(MergeRecordAdmin):
    merged = Actor
    search_fields = ["loser_name__unaccent", "loser_slug", "winner__name__unaccent"]
    fields = ["winner", "loser_name", "loser_slug", *MergeRecordAdmin.fields[2:], "undone_at"]


@admin.register(SourceMerge)
class SourceMergeAdmin(MergeRecordAdmin):
    merged = Source
    search_fields = ["loser_name__unaccent", "loser_url", "winner__title__unaccent"]
    fields = ["winner", "loser_name", "loser_url", *MergeRecordAdmin.fields[2:], "undone_at"]


# Actors ----------------------------------------------------------------------------------


class AliasInline(QuickChoices, admin.TabularInline):
    model = ActorAlias
    extra = 1
    fields = ["name", "language", "note"]
    show_change_link = True  # each alias's own page has its history


class RoleInline(QuickChoices, LoadedRowsInline, admin.StackedInline):
    """Stacked, two fields a line: as a table its six fields ran past 1280 px."""

    model = Role
    fk_name = "actor"
    extra = 1
    fields = [
        ("title", "organisation"),
        ("start_date", "start_precision"),
        ("end_date", "end_precision"),
    ]
    autocomplete_fields = ["organisation"]
    show_change_link = True


@admin.register(Actor)
class ActorAdmin(MergeableAdmin):
    merge_records = staticmethod(merge_actors)
    list_display = ["name", "kind", "country", "alias_list", "updated_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name__unaccent", "aliases__name__unaccent", "slug", "wikidata_id"]
    list_select_related = []
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ["name"]}
    fields = ["kind", "name", "slug", "country", "description", "wikidata_id"]
    inlines = [AliasInline, RoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        actor = form.instance
        names = [actor.name, *actor.aliases.values_list("name", flat=True)]
        if other := similar_actor(names=names, exclude=actor.pk):
            warn_duplicate(request, "This actor", other, MERGE_HINT)
        tell_about_refold(request, speaker=actor)

    @admin.display(description="other spellings")
    def alias_list(self, actor):
        return ", ".join(alias.name for alias in actor.aliases.all())


@admin.register(ActorAlias)
class ActorAliasAdmin(HistoryAdmin):
    list_display = ["name", "actor", "language", "note"]
    list_filter = ["language"]
    search_fields = ["name__unaccent", "actor__name__unaccent"]
    list_select_related = ["actor"]
    autocomplete_fields = ["actor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tell_about_refold(request, speaker=obj.actor)


def tell_about_refold(request, **job):
    """Says when a new name or alias reaches the search after the save, not with it: the
    speaker (speaker=) or the treaty (treaty=) has too many statements to update while the
    editor waits (treaties/refolds.py)."""
    if Refold.objects.filter(**job).exists():
        (record,) = job.values()
        messages.info(
            request,
            f"{record} has many statements: searches will find them under the new spelling "
            "in a minute or two, once they have all been updated.",
        )


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ["actor", "title", "organisation", "period"]
    list_filter = ["start_precision", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title__unaccent", "actor__name__unaccent", "organisation__name__unaccent"]
    list_select_related = ["actor", "organisation"]
    autocomplete_fields = ["actor", "organisation"]
    date_hierarchy = "start_date"


# Treaties --------------------------------------------------------------------------------


class TreatyLimitInline(QuickChoices, admin.TabularInline):
    model = TreatyLimit
    extra = 1
    fields = ["subject", "number", "unit", "note", "position"]
    show_change_link = True


class TreatyPartyInline(QuickChoices, LoadedRowsInline, admin.TabularInline):
    model = TreatyParty
    extra = 1
    fields = ["state", "withdrew_on", "note"]
    autocomplete_fields = ["state"]
    show_change_link = True


class TreatySignerInline(QuickChoices, LoadedRowsInline, admin.TabularInline):
    """Who signed, for whom, where and when: the treaty page's facts."""

    model = TreatySigner
    extra = 1
    fields = ["signer", "on_behalf_of", "signed_on", "signed_at", "note"]
    autocomplete_fields = ["signer", "on_behalf_of"]


@admin.register(Treaty)
class TreatyAdmin(HistoryAdmin):
    list_display = ["short_name", "kind", "status", "signed_on", "in_force_on", "party_list"]
    list_filter = ["status", "kind"]
    search_fields = ["short_name__unaccent", "name__unaccent", "slug", "wikidata_id"]
    list_select_related = []
    date_hierarchy = "signed_on"
    prepopulated_fields = {"slug": ["short_name"]}
    fieldsets = [
        (None, {"fields": ["name", ("short_name", "slug"), ("kind", "status"), "status_note"]}),
        (
            "Dates",
            {
                "fields": [
                    ("signed_on", "signed_at"),
                    "in_force_on",
                    "suspended_on",
                    ("ended_on", "expires_on"),
                ]
            },
        ),
        (None, {"fields": ["summary", "official_text_url", "wikidata_id"]}),
    ]
    inlines = [TreatyLimitInline, TreatyPartyInline, TreatySignerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tell_about_refold(request, treaty=obj)

    @admin.display(description="parties")
    def party_list(self, treaty):
        return ", ".join(party.name for party in treaty.parties.all())


@admin.register(TreatyParty)
class TreatyPartyAdmin(HistoryAdmin):
    list_display = ["treaty", "state", "withdrew_on"]
    list_filter = ["treaty"]
    search_fields = ["treaty__short_name__unaccent", "state__name__unaccent"]
    list_select_related = ["treaty", "state"]
    autocomplete_fields = ["treaty", "state"]
    date_hierarchy = "withdrew_on"


@admin.register(TreatyLimit)
class TreatyLimitAdmin(HistoryAdmin):
    list_display = ["treaty", "subject", "number", "unit", "position"]
    list_filter = ["treaty"]
    search_fields = ["subject__unaccent", "treaty__short_name__unaccent"]
    list_select_related = ["treaty"]
    autocomplete_fields = ["treaty"]


# Topics ----------------------------------------------------------------------------------


class TopicTreatyFilter(RecordFilter):
    """Topics of a treaty's published statements, from the tallies (one row a topic)."""

    title = "treaty"
    parameter_name = "treaty"

    def records(self, model_admin):
        return Treaty.objects.only("short_name")

    def matching(self, queryset, record):
        tallies = StatementTally.objects.of(topic=OuterRef("pk"), treaty=record)
        return queryset.filter(Exists(tallies))


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug", "statement_count"]
    list_filter = [TopicTreatyFilter]
    search_fields = ["name__unaccent", "description__unaccent"]
    list_select_related = []
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # The tallies' one row a topic, not a count of its every statement.
        tally = StatementTally.objects.of(topic=OuterRef("pk")).values("statements")
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=Coalesce(Subquery(tally), Value(0)))
        )

    @admin.display(description="published statements", ordering="statement_count")
    def statement_count(self, topic):
        return topic.statement_count


# Statements and events -------------------------------------------------------------------


class PublishableAdmin(HistoryAdmin):
    """Publish and unpublish in bulk; a published row is never deleted by accident.

    Deleting is refused for published rows, one by one (no Delete button, a 403 on the delete
    page) and in bulk (the delete action stops and says why): unpublish first.
    """

    # Fields a row must have before it may be published (the model's clean() and its check
    # constraint say the same; the action skips rows without them instead of failing).
    publish_requires: tuple[str, ...] = ()
    actions = ["publish", "unpublish", "delete_selected"]
    # Adds "Deleted …" to the list page's tools: deleted records, each with a restore link.
    change_list_template = "admin/treaties/change_list_with_deleted.html"
    deleted_select_related: tuple[str, ...] = ()

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_deleted"
        view = self.admin_site.admin_view(self.deleted_view)
        return [path("deleted/", view, name=name), *super().get_urls()]

    def deleted_view(self, request):
        """The latest deleted records; each links to its last version's Revert form, which
        restores its fields and links."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "deleted": deleted_records(self.model, select_related=self.deleted_select_related),
            "limit": DELETED_SHOWN,
        }
        return TemplateResponse(request, "admin/treaties/deleted_list.html", context)

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        drafts = queryset.exclude(status=Status.PUBLISHED)
        incomplete = Q()
        for field in self.publish_requires:
            incomplete |= Q(**{f"{field}__isnull": True})
        skipped = list(drafts.filter(incomplete)) if incomplete else []
        ready = list(drafts.exclude(incomplete)) if incomplete else list(drafts)
        self._set_status(request, ready, Status.PUBLISHED, "Published.")
        if ready:
            self.message_user(
                request,
                f"{len(ready)} {model_ngettext(self.opts, len(ready))} published.",
                messages.SUCCESS,
            )
        if skipped:
            needs = " and a ".join(self.publish_requires)
            names = "; ".join(str(obj) for obj in skipped)
            self.message_user(
                request,
                f"{len(skipped)} {model_ngettext(self.opts, len(skipped))} not published: "
                f"each needs a {needs} first. Left as drafts: {names}",
                messages.WARNING,
            )
        if not ready and not skipped:
            self.message_user(request, "Nothing to publish: all of them were already published.")

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["change"])
    def unpublish(self, request, queryset):
        published = list(queryset.filter(status=Status.PUBLISHED))
        self._set_status(request, published, Status.DRAFT, "Unpublished.")
        count = len(published)
        self.message_user(
            request,
            f"{count} {model_ngettext(self.opts, count)} unpublished (now drafts)."
            if count
            else "Nothing to unpublish: none of them was published.",
            messages.SUCCESS if count else messages.INFO,
        )

    @admin.action(description="Delete selected %(verbose_name_plural)s", permissions=["delete"])
    def delete_selected(self, request, queryset):
        if published := queryset.filter(status=Status.PUBLISHED).count():
            self.message_user(
                request,
                f"Nothing was deleted: {published} of the selected "
                f"{model_ngettext(self.opts, published)} "
                f"{'is' if published == 1 else 'are'} published. Unpublish first.",
                messages.ERROR,
            )
            return None
        return django_delete_selected(self, request, queryset)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def _set_status(self, request, objects, status, log_message):
        # One UPDATE for them all, and their versions and log entries written together: a save
        # each took 10 queries a row, and unpublishing the latest 500 statements 10.8 s at
        # 1,000,000 statements. Each change still enters the history, as a save's would.
        if not objects:
            return
        with transaction.atomic():
            ids = [obj.pk for obj in objects]
            now = timezone.now()
            self.model._base_manager.filter(pk__in=ids).update(status=status, updated_at=now)
            write_versions_of(self.model, ids, reason=log_message, user=request.user)
            for obj in objects:
                obj.status, obj.updated_at = status, now
            LogEntry.objects.log_actions(request.user.pk, objects, CHANGE, log_message)


class SourceRowFormSet(LoadedRowsFormSet):
    """Statements and events entered on their source's page."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # A stored row is shown folded (compact_stacked.html): starting its select2 widgets
        # on load kept the browser busy for over a second with 41 statements. A form sent
        # back with errors starts them all, as Django does.
        if form.instance.pk and not self.is_bound:
            for field in form.fields.values():
                if isinstance(widget := getattr(field.widget, "widget", None), RowAutocomplete):
                    widget.folded = True
        return form

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            # form.initial holds the stored status, whatever the submitted form says.
            if form.initial.get("status") == Status.PUBLISHED:
                raise ValidationError(
                    f"“{form.instance}” is published and cannot be deleted here: "
                    "unpublish it first."
                )


# Stored rows fold to one line each (their heading) with an expand control, so that a source
# with 20 statements and events fits on a screen; new rows and rows with errors stay open.
COMPACT_STACKED = "admin/treaties/edit_inline/compact_stacked.html"
DRAFT_HELP = "New rows are saved as drafts. “Save and publish” below publishes them all."


class SourceRowInline(QuickChoices, LoadedRowsInline, admin.StackedInline):
    """A source's statements or events, on its page: folded rows, drafts until published,
    and widgets that cost no query a row (a source may hold dozens)."""

    formset = SourceRowFormSet
    template = COMPACT_STACKED
    extra = 1
    show_change_link = True
    formfield_overrides = COMPACT_TEXT

    class Media:
        js = ["js/admin_rows.js"]  # starts a folded row's autocompletes when it is opened

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "status":
            field.help_text = DRAFT_HELP
        return field


class StatementInline(SourceRowInline):
    model = Statement
    autocomplete_fields = ["speaker", "treaties", "mentions", "topics"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("speaker", "kind", "status"),
                    "text",
                    # A translated quote always has an original language: never hidden.
                    ("date", "date_precision", "date_approximate", "original_language"),
                    ("setting", "setting_detail"),
                    ("source_locator", "treaties"),
                ]
            },
        ),
        (
            "Original words, mentions, topics, note",
            {
                "classes": ["collapse"],
                "fields": ["original_text", ("mentions", "topics"), "editor_note"],
            },
        ),
    ]


class EventInline(SourceRowInline):
    model = Event
    fk_name = "source"
    autocomplete_fields = ["treaties", "actors"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        ("title", "slug"),
        ("kind", "status"),
        ("date", "date_precision", "date_approximate"),
        ("end_date", "end_precision"),
        ("location", "source_locator"),
        ("treaties", "actors"),
        "description",
        "editor_note",
    ]


MERGE_HINT = "select both in the list and choose “Merge the two selected”"


def warn_duplicate(request, what, other, remedy):
    """Saved, but it looks like a record already there: say which, with a link."""
    url = reverse(f"admin:treaties_{other._meta.model_name}_change", args=[other.pk])
    messages.warning(
        request,
        format_html(
            '{} may already be in the record as <a href="{}">{}</a>. If it is the same, {}.',
            what,
            url,
            other,
            remedy,
        ),
    )


def warn_about_dates(request, source, statements=(), events=()):
    """Warn (not refuse: a planned meeting is reported before it happens) when a statement
    is dated after its source was published, or an event cites a source published before
    the event."""
    if source is None or source.published_on is None:
        return
    published = source.published_on
    for statement in statements:
        if statement.date and statement.date > published:
            messages.warning(
                request,
                f"“{statement}” is dated {statement.display_date}, after its source was "
                f"published ({published.day} {published:%B %Y}). Check the date.",
            )
    for event in events:
        if event.date and event.date > published:
            messages.warning(
                request,
                f"The event “{event}” ({event.display_date}) cites a source published before "
                f"it, on {published.day} {published:%B %Y}: fine for a plan, otherwise check "
                "the date.",
            )


class SourceChangeList(SortedAsOffered):
    """The source list, with the statements and events of each source shown counted."""

    def get_results(self, request):
        super().get_results(request)
        # For the rows shown alone, one query a table over their ids, each from its index:
        # grouping every source's statements took seconds at 1,000,000, and as subqueries
        # of the list's query they were counted for every row a deep page's OFFSET skips
        # too (1 s for the 99th page).
        sources = list(self.result_list)
        shown = [source.pk for source in sources]
        for model, attribute in ((Statement, "statement_count"), (Event, "event_count")):
            rows = model.objects.filter(source__in=shown).order_by().values_list("source")
            counts = dict(rows.annotate(n=Count("pk")))
            for source in sources:
                setattr(source, attribute, counts.get(source.pk, 0))
        self.result_list = sources


class OutletFilter(RecordFilter):
    """Outlets that published a source: one probe of the sources' outlet index an actor,
    rather than the distinct outlets of every source."""

    title = "outlet"
    parameter_name = "outlet__id__exact"

    def records(self, model_admin):
        return Actor.objects.filter(Exists(Source.objects.filter(outlet=OuterRef("pk")))).only(
            "name"
        )

    def matching(self, queryset, record):
        return queryset.filter(outlet_id=record)


class SourceYearFilter(YearFilter):
    field = "published_on"


@admin.register(Source)
class SourceAdmin(FullTextSearch, CappedCount, MergeableAdmin):
    merge_records = staticmethod(merge_sources)
    list_display = [
        "title",
        "outlet",
        "published",
        "language",
        "link",
        "statement_count",
        "event_count",
    ]
    list_filter = ["language", SourceYearFilter, OutletFilter]
    sortable_by = ["published"]  # as for statements: the one order an index serves
    search_help_text = (
        "Words of the title, the author or the outlet's names (in any spelling on record), "
        "a whole URL, or a source's number."
    )
    list_select_related = ["outlet"]
    autocomplete_fields = ["outlet"]
    fieldsets = [
        (None, {"fields": ["title", ("outlet", "author"), ("published_on", "language")]}),
        (None, {"fields": ["url", "archive_url", "accessed_on", "notes"]}),
    ]
    inlines = [StatementInline, EventInline]

    class Media:
        css = {"all": ["css/admin_source.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "title":
            # The whole title in view, however long (up to 500 characters).
            field.widget = AdminTextareaWidget(attrs={"rows": 2})
        return field

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if other := similar_source(url=obj.url, title=obj.title, exclude=obj.pk):
            warn_duplicate(request, "This source", other, MERGE_HINT)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        source = form.instance
        statements = list(source.statements.select_related("speaker"))
        events = list(source.events.all())
        if "_publish_rows" in request.POST:
            self.publish_rows(request, statements, events)
        warn_about_dates(request, source, statements, events)

    def publish_rows(self, request, statements, events):
        """The "Save and publish" button: the source's draft statements and events, each saved
        (and so recorded in the history); a statement without a speaker stays a draft."""
        published, skipped = 0, []
        for row in [*statements, *events]:
            if row.status == Status.PUBLISHED:
                continue
            if isinstance(row, Statement) and row.speaker_id is None:
                skipped.append(str(row))
                continue
            row.status = Status.PUBLISHED
            row._change_reason = "Published with its source"
            row.save()
            published += 1
        messages.success(request, f"Published {published} statement(s) and event(s).")
        for name in skipped:
            messages.warning(request, f"Left as a draft (it needs a speaker): {name}")

    def exact_matches(self, search_term):
        return Q(url=search_term)

    def get_changelist(self, request, **kwargs):
        return SourceChangeList

    @admin.display(description="URL")
    def link(self, source):
        if not source.url:
            return ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            source.url,
            Truncator(source.url.split("://", 1)[-1]).chars(40),
        )

    # Newest first, undated last, either way round: what the source_order index gives.
    @admin.display(description="published on", ordering=F("published_on").desc(nulls_last=True))
    def published(self, source):
        return source.published_on

    @admin.display(description="statements")
    def statement_count(self, source):
        return source.statement_count

    @admin.display(description="events")
    def event_count(self, source):
        return source.event_count


class StatementTreatyFilter(LinkFilter):
    title = "treaty"
    parameter_name = "treaties__id__exact"
    field_name = "treaties"


class StatementTopicFilter(LinkFilter):
    title = "topic"
    parameter_name = "topics__id__exact"
    field_name = "topics"


@admin.register(Statement)
class StatementAdmin(FullTextSearch, CappedCount, PublishableAdmin):
    publish_requires = ("speaker", "source")
    deleted_select_related = ("speaker",)
    list_display = [
        "summary",
        "speaker",
        "date_shown",
        "kind",
        "status",
        "source",
        "treaty_list",
    ]
    list_display_links = ["summary"]
    # By date alone, which an index serves: any other order sorted every statement (1.2 s at
    # 1,000,000). The filters and the search narrow the list instead.
    sortable_by = ["date_shown"]
    list_filter = [
        ("status", ChoiceFilter),
        YearFilter,
        ("kind", ChoiceFilter),
        ("setting", ChoiceFilter),
        ("date_precision", ChoiceFilter),
        StatementTreatyFilter,
        StatementTopicFilter,
    ]
    search_help_text = (
        "Words of the quote or its original, the speaker's names in any spelling on record, "
        "the setting or the treaties' names; or a statement's number."
    )
    list_select_related = ["speaker", "source"]
    autocomplete_fields = ["speaker", "source", "treaties", "mentions", "topics"]
    fieldsets = [
        (None, {"fields": [("speaker", "kind", "status"), "text"]}),
        ("Original words", {"fields": [("original_text", "original_language")]}),
        (
            "When and where",
            {
                "fields": [
                    ("date", "date_precision", "date_approximate"),
                    ("setting", "setting_detail"),
                ]
            },
        ),
        ("Source", {"fields": [("source", "source_locator")]}),
        ("About", {"fields": ["treaties", "mentions", "topics", "editor_note", "slug"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("treaties")

    @admin.display(description="words", ordering="text")
    def summary(self, statement):
        return Truncator(statement.text).words(14)

    @admin.display(description="date", ordering="date")
    def date_shown(self, statement):
        return statement.display_date

    @admin.display(description="treaties")
    def treaty_list(self, statement):
        return ", ".join(treaty.short_name for treaty in statement.treaties.all())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_about_dates(request, obj.source, statements=[obj])
        same = similar_statement(
            speaker_id=obj.speaker_id, text=obj.text, date=obj.date, exclude=obj.pk
        )
        if same:
            warn_duplicate(request, "This statement", same, "keep one of them")


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    publish_requires = ("source",)
    list_display = ["title", "date_shown", "kind", "status", "source", "treaty_list"]
    list_filter = ["status", "kind", "date_precision", "treaties"]
    search_fields = [
        "title__unaccent",
        "description__unaccent",
        "location__unaccent",
        "actors__name__unaccent",
        "slug",
    ]
    list_select_related = ["source"]
    autocomplete_fields = ["source", "other_sources", "treaties", "actors"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": [("title", "slug"), ("kind", "status"), "description"]}),
        (
            "When and where",
            {
                "fields": [
                    ("date", "date_precision", "date_approximate"),
                    ("end_date", "end_precision"),
                    "location",
                ]
            },
        ),
        ("Who and what", {"fields": ["treaties", "actors"]}),
        ("Sources", {"fields": [("source", "source_locator"), "other_sources", "editor_note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("treaties")

    @admin.display(description="date", ordering="date")
    def date_shown(self, event):
        return event.display_date

    @admin.display(description="treaties")
    def treaty_list(self, event):
        return ", ".join(treaty.short_name for treaty in event.treaties.all())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_about_dates(request, obj.source, events=[obj])
