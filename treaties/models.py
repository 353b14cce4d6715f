from datetime import timedelta
from typing import NamedTuple

from django.conf import global_settings, settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords

from .dates import DatePrecision, format_date, format_iso, period_bounds, precision_condition
from .fulltext import document, folded
from .links import address
from .prepared import PreparedQuery
from .transliteration import NameSkeleton

# Languages an editor may record for a source or an original quotation: Django's own list of
# language codes, so that a typo ("rus", "sp") is a form error rather than a silent bad value.
LANGUAGE_CHOICES = sorted(global_settings.LANGUAGES, key=lambda item: item[1])
LANGUAGE_CODES = [code for code, _ in LANGUAGE_CHOICES]

wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q12345.")
country_validator = RegexValidator(r"^[A-Z]{2}$", "Use a two-letter ISO 3166 code, e.g. RU or US.")


def in_choices(field: str, choices) -> Q:
    return Q(**{f"{field}__in": choices.values})


def check(name: str, condition: Q) -> models.CheckConstraint:
    return models.CheckConstraint(condition=condition, name=name)


def within_owner(model) -> list:
    """model's order without its first key, the record its rows belong to, for a prefetch of
    one record's rows: ordering by that key joins the owner's table to sort by the owner's own
    order (an actor's name) for nothing."""
    return model._meta.ordering[1:]


def speaker_roles(lookup="speaker__roles"):
    """Prefetch of an actor's roles with their organisations: one query, not two."""
    roles = Role.objects.select_related("organisation").order_by(*within_owner(Role))
    return models.Prefetch(lookup, roles)


def role_on_the_day():
    """The statement's speaker's role on its date, named as a card names it, or None: asked
    of the database for each row (treaties/sql/roles.sql), so that a list of statements
    fetches and builds none of its speakers' roles. The choice of Actor.role_on."""
    return models.Func(
        F("speaker"), F("date"), function="role_on_the_day", output_field=models.TextField()
    )


def in_context(queryset, record, days, limit):
    """Rows from the same source as record or dated within days of it (a vague date counts as
    its whole period, an event as its whole span), the same days first, then the nearest:
    the first limit rows of the queryset returned are the ones to show.

    Each row is annotated with same_days (in the window or only from the same source) and
    days_away (how far its date is from the record's). The candidates are chosen as ids, the
    nearest limit of the same days (a statement's from the (date, id) index alone) and the nearest
    limit of the same source, so that a busy week's hundreds of rows are never fetched, and
    a caller's joins (select_related) are made for the few candidates only.
    """
    start, end = period_bounds(record.date, record.date_precision)
    if getattr(record, "end_date", None):
        end = max(end, period_bounds(record.end_date, record.end_precision)[1])
    window = Q(date__range=(start - timedelta(days=days), end + timedelta(days=days)))
    # In PostgreSQL, date - date is a whole number of days.
    days_away = models.Func(
        F("date"),
        models.Value(record.date),
        template="ABS(%(expressions)s)",
        arg_joiner=" - ",
        output_field=models.IntegerField(),
    )
    nearest = ("days_away", "date", "pk")

    def nearest_ids(rows):
        return rows.annotate(days_away=days_away).order_by(*nearest).values("pk")[:limit]

    chosen = nearest_ids(queryset.filter(window))
    if record.source_id:
        same_source = queryset.filter(source_id=record.source_id).exclude(window)
        chosen = chosen.union(nearest_ids(same_source), all=True)
    same_days = models.ExpressionWrapper(window, output_field=models.BooleanField())
    return (
        queryset.filter(pk__in=chosen)
        .annotate(same_days=same_days, days_away=days_away)
        .order_by("-same_days", *nearest)
    )


class Status(models.TextChoices):
    DRAFT = "draft", "draft"
    PUBLISHED = "published", "published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for editors (who see drafts with a banner), published rows for the public."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


# Actors ------------------------------------------------------------------------------


class ActorKind(models.TextChoices):
    PERSON = "person", "person"
    STATE = "state", "state"
    GOVERNMENT_BODY = "government_body", "government body"
    ORGANISATION = "organisation", "organisation"
    MEDIA = "media", "media outlet"


class ActorQuerySet(models.QuerySet):
    def states(self):
        return self.filter(kind=ActorKind.STATE)

    def people(self):
        return self.filter(kind=ActorKind.PERSON)


class Actor(models.Model):
    kind = models.CharField(max_length=20, choices=ActorKind)
    name = models.CharField(max_length=200, help_text="The usual English spelling.")
    slug = models.SlugField(max_length=200, unique=True)
    country = models.CharField(
        max_length=2, blank=True, validators=[country_validator], help_text="ISO 3166 code."
    )
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Search: fuzzy, accent-insensitive name matching (trigram similarity).
            GinIndex(OpClass(folded("name"), name="gin_trgm_ops"), name="actor_name_trgm"),
            # Search: the name's transliteration skeleton ("Patruschew" finds Patrushev).
            GinIndex(
                OpClass(NameSkeleton("name"), name="gin_trgm_ops"), name="actor_skeleton_trgm"
            ),
        ]
        constraints = [
            check("actor_kind_valid", in_choices("kind", ActorKind)),
            check("actor_country_iso", Q(country="") | Q(country__regex=r"^[A-Z]{2}$")),
            check("actor_wikidata_id", Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("treaties:actor_detail", slug=self.slug)

    @property
    def is_person(self):
        return self.kind == ActorKind.PERSON

    def role_on(self, date):
        """The role the actor held on date, from prefetched roles: the one that began last, a
        role with no start date counting as begun that day (and first among those that did),
        then the first entered. A card asks the database the same (role_on_the_day)."""
        held = [role for role in self.roles.all() if role.held_on(date)]
        return max(
            held,
            key=lambda role: (role.start_date or date, role.start_date is None, -role.pk),
            default=None,
        )


class ActorAlias(models.Model):
    """Another spelling of an actor's name: a transliteration, a native script, a short form."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=10, blank=True, choices=LANGUAGE_CHOICES)
    note = models.CharField(max_length=200, blank=True, help_text="e.g. Spanish transliteration")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        indexes = [
            # Search: "Zajarova" or "Захарова" finds the actor through its other spellings.
            GinIndex(OpClass(folded("name"), name="gin_trgm_ops"), name="alias_name_trgm"),
            # Search: the alias's transliteration skeleton, as for the actor's name.
            GinIndex(
                OpClass(NameSkeleton("name"), name="gin_trgm_ops"), name="alias_skeleton_trgm"
            ),
        ]
        constraints = [
            models.UniqueConstraint("actor", "name", name="alias_unique_per_actor"),
            check("alias_language_valid", Q(language="") | Q(language__in=LANGUAGE_CODES)),
        ]

    def __str__(self):
        return self.name


class Role(models.Model):
    """A position held over time, so that a statement can say what its speaker was on the day."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True, help_text="Empty while the role is held.")
    end_precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)

    history = HistoricalRecords()

    class Meta:
        # Earliest first, undated ones before them.
        ordering = ["actor", F("start_date").asc(nulls_first=True)]
        constraints = [
            check(
                "role_dates_in_order",
                Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
            ),
            check("role_start_precision_valid", in_choices("start_precision", DatePrecision)),
            check("role_end_precision_valid", in_choices("end_precision", DatePrecision)),
            check(
                "role_start_matches_precision", precision_condition("start_date", "start_precision")
            ),
            check("role_end_matches_precision", precision_condition("end_date", "end_precision")),
        ]

    def __str__(self):
        return f"{self.title}, {self.organisation}" if self.organisation else self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A role cannot end before it begins."})

    def held_on(self, date):
        return (self.start_date is None or self.start_date <= date) and (
            self.end_date is None or date <= self.end_date
        )

    @property
    def period(self):
        start = format_date(self.start_date, self.start_precision)
        end = format_date(self.end_date, self.end_precision)
        if start and end:
            return f"{start} – {end}"
        if start:
            return f"since {start}"
        return f"until {end}" if end else ""


# Treaties ----------------------------------------------------------------------------


class TreatyKind(models.TextChoices):
    BILATERAL = "bilateral", "bilateral"
    MULTILATERAL = "multilateral", "multilateral"


class TreatyStatus(models.TextChoices):
    IN_FORCE = "in_force", "in force"
    SUSPENDED = "suspended", "suspended"
    EXPIRED = "expired", "expired"
    WITHDRAWN = "withdrawn", "withdrawn"
    TERMINATED = "terminated", "terminated"
    NOT_IN_FORCE = "not_in_force", "not in force"


# Up to this many rows a count is exact (a LIMITed count reads at most this many).
EXACT_COUNT_UP_TO = 10_000


class RowCount(NamedTuple):
    value: int
    exact: bool


def estimated_count(queryset) -> RowCount:
    """How many rows queryset has: exact up to EXACT_COUNT_UP_TO, beyond that the planner's
    estimate of its table's size (shown as "about N": an exact count would read it whole)."""
    exact = queryset.order_by()[: EXACT_COUNT_UP_TO + 1].count()  # no sort before the LIMIT
    if exact <= EXACT_COUNT_UP_TO:
        return RowCount(exact, True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return RowCount(max(row[0] if row else 0, exact), False)


class TreatyQuerySet(models.QuerySet):
    def latest_signed(self):
        """Newest first by signature (unsigned ones last): the home page's selection."""
        return self.order_by(F("signed_on").desc(nulls_last=True), "short_name")


class Treaty(models.Model):
    name = models.CharField(max_length=300, help_text="The full official name.")
    short_name = models.CharField(max_length=100, help_text="As researchers call it: New START.")
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=TreatyKind)
    status = models.CharField(max_length=12, choices=TreatyStatus)
    status_note = models.CharField(
        max_length=300, blank=True, help_text="e.g. Russia suspended its participation in 2023."
    )
    summary = models.TextField(blank=True)
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.CharField("place of signature", max_length=100, blank=True)
    in_force_on = models.DateField("entered into force", null=True, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(
        "expired or ended",
        null=True,
        blank=True,
        help_text="Expiry, or the date the last withdrawal or termination took effect.",
    )
    expires_on = models.DateField(
        "due to expire", null=True, blank=True, help_text="For a treaty still in force."
    )
    parties = models.ManyToManyField(
        Actor, through="TreatyParty", related_name="treaties_party_to", blank=True
    )
    official_text_url = models.URLField("official text", max_length=500, blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_validator]
    )
    search_vector = models.GeneratedField(
        expression=document(("short_name", "A"), ("name", "A"), ("summary", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TreatyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = [F("signed_on").asc(nulls_last=True), "short_name"]
        verbose_name_plural = "treaties"
        indexes = [GinIndex(fields=["search_vector"], name="treaty_search")]  # search page
        constraints = [
            check("treaty_kind_valid", in_choices("kind", TreatyKind)),
            check("treaty_status_valid", in_choices("status", TreatyStatus)),
            check(
                "treaty_in_force_after_signing",
                Q(signed_on__isnull=True)
                | Q(in_force_on__isnull=True)
                | Q(in_force_on__gte=F("signed_on")),
            ),
            check(
                "treaty_ended_after_signing",
                Q(signed_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("signed_on")),
            ),
            check(
                "treaty_ended_after_in_force",
                Q(in_force_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("in_force_on")),
            ),
            check(
                "treaty_suspended_after_in_force",
                Q(in_force_on__isnull=True)
                | Q(suspended_on__isnull=True)
                | Q(suspended_on__gte=F("in_force_on")),
            ),
            check(
                "treaty_wikidata_id", Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$")
            ),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return address("treaties:treaty_detail", slug=self.slug)

    @property
    def in_force_only_among_others(self):
        """In force, though every party entered here has withdrawn (Open Skies after the US
        and Russia left): the page must say it lives on among states not listed. Uses the
        prefetched parties."""
        parties = self.treatyparty_set.all()
        return (
            self.status == TreatyStatus.IN_FORCE
            and bool(parties)
            and all(party.withdrew_on for party in parties)
        )

    def clean(self):
        order = [
            ("signed_on", "in_force_on", "It cannot enter into force before it is signed."),
            ("signed_on", "ended_on", "It cannot end before it is signed."),
            ("in_force_on", "ended_on", "It cannot end before it enters into force."),
            ("in_force_on", "suspended_on", "It cannot be suspended before it is in force."),
        ]
        errors = {}
        for earlier, later, message in order:
            first, second = getattr(self, earlier), getattr(self, later)
            if first and second and second < first:
                errors.setdefault(later, message)
        if errors:
            raise ValidationError(errors)


class TreatyParty(models.Model):
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE)
    state = models.ForeignKey(
        Actor, on_delete=models.PROTECT, limit_choices_to={"kind": ActorKind.STATE}
    )
    withdrew_on = models.DateField(
        null=True, blank=True, help_text="When its withdrawal took effect."
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="e.g. successor state of the Soviet Union"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["state__name"]
        verbose_name_plural = "parties"
        constraints = [models.UniqueConstraint("treaty", "state", name="party_unique_per_treaty")]

    def __str__(self):
        return f"{self.state} – {self.treaty}"


class TreatySigner(models.Model):
    """Who signed a treaty, for whom, where and when (the treaty page's facts)."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="signers")
    signer = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="treaties_signed",
        limit_choices_to={"kind": ActorKind.PERSON},
    )
    on_behalf_of = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treaty_signatures",
        limit_choices_to={"kind": ActorKind.STATE},
    )
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.CharField("place", max_length=100, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty", F("signed_on").asc(nulls_last=True), "id"]
        constraints = [models.UniqueConstraint("treaty", "signer", name="signer_unique_per_treaty")]

    def __str__(self):
        return f"{self.signer} – {self.treaty}"


class TreatyLimit(models.Model):
    """A key limit as data: "deployed strategic warheads: 1,550 warheads"."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="limits")
    subject = models.CharField(max_length=200, help_text="What is limited.")
    number = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty", "position", "id"]

    def __str__(self):
        if self.number is None:
            return self.subject
        return f"{self.subject}: {self.number:,} {self.unit}".rstrip()


# Topics and sources --------------------------------------------------------------------


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("treaties:topic_detail", slug=self.slug)


class SourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True)


class Source(models.Model):
    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="sources_published"
    )
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True, choices=LANGUAGE_CHOICES)
    archive_url = models.URLField("archived copy", max_length=1000, blank=True)
    accessed_on = models.DateField("date accessed", null=True, blank=True)
    notes = models.TextField(
        blank=True, help_text="e.g. English translation of a Spanish-language report."
    )
    # Title, author and the outlet's names and aliases, written by the database (see
    # treaties/sql/documents.sql).
    search_vector = SearchVectorField(null=True, editable=False)
    # Behind a published statement or event, or corroborating a published event: a draft's
    # source is not public yet. Written by the database (treaties/sql/public_sources.sql) as
    # those records change; whatever Django sends here is replaced.
    public = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "public"])

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="source_search"),  # search page
            # Intake and duplicate warnings: the source with this URL.
            models.Index(fields=["url"], name="source_url"),
            # The editors' list in this order, and its years (treaties/admin_lists.py).
            models.Index(F("published_on").desc(nulls_last=True), "title", name="source_order"),
        ]
        constraints = [
            check("source_language_valid", Q(language="") | Q(language__in=LANGUAGE_CODES)),
            check(
                "source_accessed_after_published",
                Q(accessed_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(accessed_on__gte=F("published_on")),
            ),
        ]

    def __str__(self):
        return Truncator(self.title).chars(80)

    def get_absolute_url(self):
        return address("treaties:source_detail", pk=self.pk)

    def clean(self):
        if self.published_on and self.accessed_on and self.accessed_on < self.published_on:
            raise ValidationError(
                {"accessed_on": "A source cannot be read before it was published."}
            )


# Statements and events ---------------------------------------------------------------


class EnteredFromSource(models.Model):
    """A statement or event, typed in from a source; often on that source's admin page.

    A row entered inline while its source is being added has the unsaved source assigned
    and no source id yet; it counts as having a source, both in clean() and in the form's
    validation of the "published needs a source" constraint. The database checks again on
    save, when the id is there.
    """

    class Meta:
        abstract = True

    @property
    def has_source(self):
        return self.source_id is not None or self.source is not None

    def validate_constraints(self, exclude=None):
        if self.source_id is None and self.has_source:
            exclude = {*(exclude or ()), "source"}
        super().validate_constraints(exclude=exclude)


class StatementKind(models.TextChoices):
    DIRECT_QUOTE = "quote", "direct quote"
    PARAPHRASE = "paraphrase", "paraphrase"
    WRITTEN = "written", "written statement"


class Setting(models.TextChoices):
    INTERVIEW = "interview", "interview"
    PRESS_CONFERENCE = "press_conference", "press conference"
    BRIEFING = "briefing", "briefing"
    SPEECH = "speech", "speech or address"
    OFFICIAL_STATEMENT = "official_statement", "official statement"
    SOCIAL_MEDIA = "social_media", "social media"
    OTHER = "other", "other"


# The fields of an actor a page only names and links to (a party's state, a signer, a role's
# organisation, a speaker in who said what), with the kind and country that label it.
ACTOR_LINK_FIELDS = ("id", "name", "slug", "kind", "country")

# The fields a statement card reads (templates/treaties/includes/statement_card.html), of
# the statement, its speaker, its source and the source's outlet: with their keys, some
# twenty columns a row. Whole records are some fifty, timestamps and search documents
# among them, and a list of 25 cards took a fifth longer to load.
CARD_FIELDS = (
    "speaker", "text", "kind", "date", "date_precision", "date_approximate", "slug",
    "setting", "setting_detail", "source",
    "speaker__name", "speaker__slug",
    "source__url", "source__outlet__name", "source__outlet__slug",
)  # fmt: skip


class StatementQuerySet(PublishableQuerySet):
    def by_actor(self, actor):
        return self.filter(speaker=actor)

    def about_treaty(self, treaty):
        return self.filter(treaties=treaty)

    def chronological(self):
        return self.order_by("date", "id")

    def mentioning(self, actor):
        return self.filter(mentions=actor)

    def in_year(self, year):
        return self.filter(date__year=year)

    def in_context_of(self, record, *, limit, days=3):
        """Others from the same source or the same days, the same days first (see in_context):
        the "in context" list of a permalink."""
        others = self.exclude(pk=record.pk) if isinstance(record, Statement) else self
        return in_context(others, record, days, limit)

    def with_display_relations(self):
        """What a statement card shows: speaker, outlet, and what the speaker was on the day
        (`role_on_the_day`, a name). A page that lists treaties or mentions prefetches them
        itself; one that shows a role's parts, speaker_roles() (see speaker_role)."""
        return self.select_related("speaker", "source__outlet").annotate(
            role_on_the_day=role_on_the_day()
        )

    def for_cards(self):
        """with_display_relations(), with only what a statement card reads."""
        return self.with_display_relations().only(*CARD_FIELDS)


class Statement(EnteredFromSource, models.Model):
    speaker = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    text = models.TextField("words as published")
    original_text = models.TextField("original-language words", blank=True)
    original_language = models.CharField(max_length=10, blank=True, choices=LANGUAGE_CHOICES)
    kind = models.CharField(
        max_length=10, choices=StatementKind, default=StatementKind.DIRECT_QUOTE
    )
    date = models.DateField(help_text="For a vaguer date, the first day of its month or year.")
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    date_approximate = models.BooleanField(default=False, help_text="Shown as 'c.'")
    setting = models.CharField(max_length=20, choices=Setting, blank=True)
    setting_detail = models.CharField(
        "where and how",
        max_length=300,
        blank=True,
        help_text="e.g. interview with Vladimir Solovyov on Rossiya-1",
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    source_locator = models.CharField(
        "where in the source", max_length=200, blank=True, help_text="e.g. paragraph 1"
    )
    # Where the words stand in the article text pasted at intake (intake.models.Intake), in
    # characters, so that the surrounding sentences can be shown; empty when typed in by hand.
    passage_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    passage_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    treaties = models.ManyToManyField(Treaty, blank=True, related_name="statements")
    mentions = models.ManyToManyField(
        Actor, blank=True, related_name="mentioned_in", verbose_name="actors mentioned"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    editor_note = models.TextField(
        blank=True, help_text="A clarification, or a known error in the source."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    slug = models.SlugField(
        max_length=80, blank=True, help_text="Decoration in the permalink; the id is what counts."
    )
    # The statement's words, its speaker's names and aliases and the names of its treaties in
    # one indexed document, so that one GIN lookup bounds any search ("zakharova specific
    # contacts"). Written by the database (treaties/sql/summaries.sql), also when an alias is
    # added or a treaty renamed (for thousands of statements, by a worker: refold.sql):
    # whatever Django sends here is replaced.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[treaties, mentions, topics], excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # An actor's statements, newest first (actor page, previous/next links).
            models.Index(fields=["speaker", "date"], name="statement_speaker_date"),
            # Published statements in (date, id) order: home page, timeline pages (keyset).
            models.Index(
                fields=["date", "id"],
                condition=Q(status=Status.PUBLISHED),
                name="statement_published_date",
            ),
            # One speaker's published statements in (date, id) order: actor page, who said what.
            models.Index(
                fields=["speaker", "date", "id"],
                condition=Q(status=Status.PUBLISHED),
                name="statement_published_speaker",
            ),
            # The editors' list, newest first, of every statement and of the drafts alone
            # (treaties/admin_lists.py).
            models.Index(fields=["date", "id"], name="statement_date"),
            models.Index(
                fields=["date", "id"], condition=Q(status=Status.DRAFT), name="statement_draft_date"
            ),
            # Its filters, so that a value few statements have is found without walking the
            # date index past all the others (0.7 s at 1,000,000): the settings, each in date
            # order, and the statements that are not what most are (a direct quote, dated to
            # the day), which a partial index holds alone.
            models.Index(fields=["setting", "date", "id"], name="statement_setting_date"),
            models.Index(
                fields=["date", "id"],
                condition=~Q(kind=StatementKind.DIRECT_QUOTE),
                name="statement_unquoted_date",
            ),
            models.Index(
                fields=["date", "id"],
                condition=~Q(date_precision=DatePrecision.DAY),
                name="statement_inexact_date",
            ),
            # Search page: full text over the words, original words, setting and note.
            GinIndex(fields=["search_vector"], name="statement_search"),
        ]
        constraints = [
            check("statement_kind_valid", in_choices("kind", StatementKind)),
            check("statement_status_valid", in_choices("status", Status)),
            check("statement_setting_valid", Q(setting="") | in_choices("setting", Setting)),
            check("statement_precision_valid", in_choices("date_precision", DatePrecision)),
            check(
                "statement_date_matches_precision", precision_condition("date", "date_precision")
            ),
            check(
                "statement_language_valid",
                Q(original_language="") | Q(original_language__in=LANGUAGE_CODES),
            ),
            check(
                "statement_published_has_source_and_speaker",
                Q(status=Status.DRAFT) | Q(source__isnull=False, speaker__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.speaker or 'Unknown speaker'}: “{Truncator(self.text).words(12)}”"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(Truncator(self.text).words(8, truncate=""))[:80].strip("-")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("treaties:statement_detail", pk=self.pk, slug=self.slug or "-")

    def clean(self):
        errors = {}
        if self.status == Status.PUBLISHED:
            if self.speaker_id is None:
                errors["speaker"] = "A published statement needs a speaker."
            if not self.has_source:
                errors["source"] = "A published statement needs a source."
        if self.original_text and not self.original_language:
            errors["original_language"] = "Say which language the original words are in."
        errors.update(date_precision_errors(self.date, self.date_precision, "date"))
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def display_date(self):
        return format_date(self.date, self.date_precision, self.date_approximate)

    @property
    def iso_date(self):
        return format_iso(self.date, self.date_precision)

    @property
    def speaker_role(self):
        """The speaker's Role on the day, from prefetched roles (speaker_roles())."""
        return self.speaker.role_on(self.date) if self.speaker else None


class EventKind(models.TextChoices):
    SIGNING = "signing", "signing"
    ENTRY_INTO_FORCE = "entry_into_force", "entry into force"
    EXTENSION = "extension", "extension"
    SUSPENSION = "suspension", "suspension"
    WITHDRAWAL = "withdrawal", "withdrawal"
    EXPIRY = "expiry", "expiry"
    MEETING = "meeting", "meeting"
    TALKS = "talks", "talks"
    INSPECTION = "inspection", "inspection"
    REPORT = "report", "report"
    EXERCISE = "exercise", "military exercise"
    MILITARY_ACTION = "military_action", "military action"
    ORDER = "order", "order or decree"
    OTHER = "other", "other"


class EventQuerySet(PublishableQuerySet):
    def about_treaty(self, treaty):
        return self.filter(treaties=treaty)

    def involving(self, actor):
        return self.filter(actors=actor)

    def chronological(self):
        return self.order_by("date", "id")

    def in_context_of(self, record, *, limit, days=3):
        """Others from the same source or the same days: see StatementQuerySet.in_context_of."""
        others = self.exclude(pk=record.pk) if isinstance(record, Event) else self
        return in_context(others, record, days, limit)

    def with_display_relations(self):
        """What an event card shows; the event's own page prefetches its treaties and actors."""
        return self.select_related("source__outlet")


class Event(EnteredFromSource, models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=EventKind)
    date = models.DateField(help_text="For a vaguer date, the first day of its month or year.")
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    date_approximate = models.BooleanField(default=False)
    end_date = models.DateField(null=True, blank=True, help_text="Where the event spans days.")
    end_precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    location = models.CharField(max_length=200, blank=True)
    treaties = models.ManyToManyField(Treaty, blank=True, related_name="events")
    actors = models.ManyToManyField(Actor, blank=True, related_name="events")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text="The source this event was entered from.",
    )
    source_locator = models.CharField("where in the source", max_length=200, blank=True)
    other_sources = models.ManyToManyField(Source, blank=True, related_name="corroborated_events")
    editor_note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # Title, description and place, the names and aliases of the actors involved and the
    # names of its treaties, written by the database (see treaties/sql/documents.sql).
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[treaties, actors, other_sources], excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Published events in date order (timeline, treaty pages).
            models.Index(fields=["status", "date"], name="event_status_date"),
            # Search page: full text over the title, description, place, actors and treaties.
            GinIndex(fields=["search_vector"], name="event_search"),
        ]
        constraints = [
            check("event_kind_valid", in_choices("kind", EventKind)),
            check("event_status_valid", in_choices("status", Status)),
            check("event_precision_valid", in_choices("date_precision", DatePrecision)),
            check("event_end_precision_valid", in_choices("end_precision", DatePrecision)),
            check("event_date_matches_precision", precision_condition("date", "date_precision")),
            check("event_end_matches_precision", precision_condition("end_date", "end_precision")),
            check("event_dates_in_order", Q(end_date__isnull=True) | Q(end_date__gte=F("date"))),
            check("event_published_has_source", Q(status=Status.DRAFT) | Q(source__isnull=False)),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("treaties:event_detail", slug=self.slug)

    def clean(self):
        errors = {}
        if self.date and self.end_date and self.end_date < self.date:
            errors["end_date"] = "An event cannot end before it begins."
        if self.status == Status.PUBLISHED and not self.has_source:
            errors["source"] = "A published event needs a source."
        errors.update(date_precision_errors(self.date, self.date_precision, "date"))
        errors.update(date_precision_errors(self.end_date, self.end_precision, "end_date"))
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def display_date(self):
        start = format_date(self.date, self.date_precision, self.date_approximate)
        if self.end_date and self.end_date != self.date:
            return f"{start} – {format_date(self.end_date, self.end_precision)}"
        return start

    @property
    def iso_date(self):
        return format_iso(self.date, self.date_precision)


def date_precision_errors(date, precision, field):
    """Form errors for a date that claims more precision than it has (mid-October as the 13th)."""
    if date is None:
        return {}
    if precision == DatePrecision.YEAR and (date.month, date.day) != (1, 1):
        return {field: "For a year-precise date, enter 1 January of that year."}
    if precision not in (DatePrecision.DAY, DatePrecision.YEAR) and date.day != 1:
        return {field: "For a month-precise date, enter the first day of that month."}
    return {}


# Summaries kept by the database ---------------------------------------------------------
#
# Written only by triggers (treaties/sql/summaries.sql) in the same transaction as the change
# to a statement or its links, so they are always current; pages read a few rows of them
# instead of counting or grouping a million statements. The SQL function
# rebuild_statement_summaries() recomputes both from scratch (generate_data calls it after a
# bulk load with the triggers off).


def _key(value) -> int:
    """A tally key: a record's id (or an expression of one, such as OuterRef("pk")), or 0 for
    "all"."""
    if value is None:
        return 0
    if isinstance(value, int) or hasattr(value, "resolve_expression"):
        return value
    return value.pk


TALLY_COUNT = PreparedQuery("tally_count", "tally_count.sql")


class StatementTallyQuerySet(models.QuerySet):
    def of(self, *, speaker=None, treaty=None, topic=None, year=None):
        """The one row for these keys (records or ids); None means "all"."""
        return self.filter(
            speaker_id=_key(speaker), treaty_id=_key(treaty), topic_id=_key(topic), year=year or 0
        )

    def count_of(self, *, speaker=None, treaty=None, topic=None, year=None) -> int:
        """Published statements for these keys (see of()), from one indexed row, whatever this
        queryset's filters. A prepared query (treaties/prepared.py): asked on most pages, where
        the ORM's SQL for it cost more than the database's reading of it."""
        keys = [_key(speaker), _key(treaty), _key(topic), year or 0]
        rows = TALLY_COUNT.execute(self.db, *(int(key) for key in keys))
        return rows[0][0] if rows else 0

    def speakers(self, *, treaty=None, topic=None):
        """Speakers on a treaty and/or topic, most statements first, then the latest."""
        return self.filter(
            treaty_id=_key(treaty), topic_id=_key(topic), year=0, speaker_id__gt=0
        ).order_by("-statements", "-latest", "speaker_id")


class SpeakerSummary(NamedTuple):
    """What an actor page counts and offers, from a few dozen rows of StatementTally read with
    the actor (treaties/actor_page.py): the speaker's published statements in all, about each
    treaty, and in each year."""

    # Statements by (treaty id, year), 0 meaning all: (t, 0), (0, y) and (0, 0) only.
    statements: dict

    @property
    def treaty_ids(self) -> set[int]:
        return {treaty for treaty, year in self.statements if treaty}

    @property
    def years(self) -> list[int]:
        """Newest first."""
        return sorted((year for treaty, year in self.statements if year), reverse=True)

    def count(self, *, treaty=None, year=None) -> int | None:
        """Statements about treaty, or in year, or both (None: not among these rows)."""
        if treaty and year:
            return None
        return self.statements.get((_key(treaty), year or 0), 0)


class StatementTally(models.Model):
    """How many published statements, and the latest date, for one combination of speaker,
    treaty, topic and year; 0 in a key means "all" ((0, t, 0, 0) is everything said about
    treaty t). Rows exist for (speaker | all) x (treaty | all) x (topic | all) and
    (speaker | all) x (treaty | all) x year. The keys are plain ids, not foreign keys, so that
    0 can stand for "all" and every lookup is an equality an index serves."""

    speaker_id = models.BigIntegerField()
    treaty_id = models.BigIntegerField()
    topic_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    statements = models.PositiveIntegerField()
    latest = models.DateField()

    objects = StatementTallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["speaker_id", "treaty_id", "topic_id", "year"], name="tally_unique_keys"
            ),
        ]
        indexes = [
            # Who said what and the treaty page: the most frequent speakers on a treaty/topic.
            models.Index(
                "treaty_id",
                "topic_id",
                "year",
                F("statements").desc(),
                F("latest").desc(),
                "speaker_id",
                name="tally_speakers",
            ),
        ]

    def __str__(self):
        return f"{self.statements} statements"


class TreatyStatement(models.Model):
    """A published statement about a treaty, with its date and speaker copied in, so that a
    treaty's statements (and one speaker's on it) come in date order from one index."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint("treaty", "statement", name="treaty_statement_unique"),
        ]
        indexes = [
            # A treaty's timeline, treaty page, recent sources (keyset on date, statement).
            models.Index(fields=["treaty", "date", "statement"], name="treaty_statement_date"),
            # One speaker's statements about a treaty: who said what, filtered timelines.
            models.Index(
                fields=["treaty", "speaker", "date", "statement"], name="treaty_speaker_date"
            ),
        ]

    def __str__(self):
        return f"{self.treaty_id}: {self.statement_id}"


class Refold(models.Model):
    """A speaker or a treaty whose statements' search documents still hold a name or an alias
    that has since changed: more statements than one transaction should fold again while an
    editor waits (treaties/sql/refold.sql), so `manage.py run_worker` folds them again
    in batches, the newest first (treaties/refolds.py). Fewer are folded again at once."""

    speaker = models.ForeignKey(Actor, null=True, on_delete=models.CASCADE, related_name="+")
    treaty = models.ForeignKey(Treaty, null=True, on_delete=models.CASCADE, related_name="+")
    # The last statement folded again: the batches' keyset, (date, id) for a speaker, the
    # statement's id for a treaty; none before the first batch.
    after_date = models.DateField(null=True)
    after_id = models.BigIntegerField(null=True)
    queued_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            # One job each, which a further change starts again (ON CONFLICT in refold.sql).
            models.UniqueConstraint(fields=["speaker"], name="refold_one_per_speaker"),
            models.UniqueConstraint(fields=["treaty"], name="refold_one_per_treaty"),
            models.CheckConstraint(
                condition=Q(speaker__isnull=True) ^ Q(treaty__isnull=True),
                name="refold_speaker_or_treaty",
            ),
        ]

    def __str__(self):
        return (
            f"refold speaker {self.speaker_id}"
            if self.speaker_id
            else f"refold treaty {self.treaty_id}"
        )


# Merges -------------------------------------------------------------------------------------
#
# Written by treaties/merges.py: an editor merges a duplicate (the loser) into the record that
# stays (the winner). The loser's row is deleted, but everything needed to bring it back is
# kept here, and its old address keeps working as a 301 to the winner's.


class MergeQuerySet(models.QuerySet):
    def in_effect(self):
        """Merges not undone: the ones whose old addresses redirect."""
        return self.filter(undone_at__isnull=True)

    def winner_of(self, **loser):
        """The record a merged one (found by its old slug, URL or id) now lives on as, or None:
        the target of its old address's redirect. One indexed lookup."""
        merge = self.in_effect().filter(**loser).select_related("winner").order_by("-id").first()
        return merge.winner if merge else None


class Merge(models.Model):
    loser_id = models.BigIntegerField(help_text="The merged record's id; an undo restores it.")
    loser_name = models.CharField(max_length=500)
    # The loser as it was, then the rows of its that were deleted because the winner had the
    # same already (an alias, a party to the same treaty): django.core.serializers' JSON.
    deleted = models.JSONField(default=list, blank=True)
    # Which rows moved to the winner, as {"app_label.model.field": [ids]}, and the rows the
    # merge added (the loser's name as an alias), as {"app_label.model": [ids]}.
    moved = models.JSONField(default=dict, blank=True)
    added = models.JSONField(default=dict, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"{self.loser_name} → {self.winner}"

    @property
    def is_undone(self):
        return self.undone_at is not None


class ActorMerge(Merge):
    winner = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="merged_in")
    loser_slug = models.SlugField(max_length=200)

    class Meta(Merge.Meta):
        indexes = [
            # The actor page: a merged actor's old address answers a 301 to the winner's.
            models.Index(
                fields=["loser_slug"],
                condition=Q(undone_at__isnull=True),
                name="actormerge_loser_slug",
            ),
            # The API: a merged actor's id answers a 301 to the winner's record.
            models.Index(
                fields=["loser_id"],
                condition=Q(undone_at__isnull=True),
                name="actormerge_loser_id",
            ),
        ]


class SourceMerge(Merge):
    winner = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="merged_in")
    loser_url = models.URLField(max_length=1000, blank=True)

    class Meta(Merge.Meta):
        indexes = [
            # Intake and the duplicate warning: a merged source's URL finds the winner.
            models.Index(
                fields=["loser_url"],
                condition=Q(undone_at__isnull=True) & ~Q(loser_url=""),
                name="sourcemerge_loser_url",
            ),
            # The API: a merged source's id answers a 301 to the winner's record.
            models.Index(
                fields=["loser_id"],
                condition=Q(undone_at__isnull=True),
                name="sourcemerge_loser_id",
            ),
        ]


class MergeKind(models.TextChoices):
    ACTOR = "actor"
    SOURCE = "source"


class QueuedMergeQuerySet(models.QuerySet):
    def waiting(self):
        """Not carried out yet (the partial index queuedmerge_waiting), longest-waiting first."""
        return self.filter(finished_at__isnull=True).order_by("requested_at", "id")


class QueuedMerge(models.Model):
    """A merge, or the undo of one, that moves more statements than an editor's request may
    (settings.ROWS_CHANGED_WHILE_WAITING): the admin queues it here, and the worker
    (`manage.py run_worker`) carries it out, the longest-waiting first (treaties/merges.py),
    and writes down how it went."""

    kind = models.CharField(max_length=6, choices=MergeKind)
    # A merge names its two records; an undo, the merge (an ActorMerge or a SourceMerge).
    winner_id = models.BigIntegerField(null=True, blank=True)
    loser_id = models.BigIntegerField(null=True, blank=True)
    undo_id = models.BigIntegerField(null=True, blank=True)
    task = models.CharField(max_length=500, help_text="What was asked for, in words.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # The merge made (or undone), for a link to its page.
    merge_id = models.BigIntegerField(null=True, blank=True)

    objects = QueuedMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            check("queuedmerge_kind_valid", in_choices("kind", MergeKind)),
            check(
                "queuedmerge_merge_or_undo",
                Q(undo_id__isnull=True, winner_id__isnull=False, loser_id__isnull=False)
                | Q(undo_id__isnull=False, winner_id__isnull=True, loser_id__isnull=True),
            ),
        ]
        indexes = [
            # The worker's next job, and the check that the same is not queued twice.
            models.Index(
                fields=["requested_at"],
                condition=Q(finished_at__isnull=True),
                name="queuedmerge_waiting",
            ),
        ]

    def __str__(self):
        return self.task

    @property
    def state(self) -> str:
        if self.finished_at is None:
            return "waiting"
        return "done" if self.succeeded else "failed"
