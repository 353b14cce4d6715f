"""An article pasted in, and what the rules proposed from it, until the editor decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator

from treaties.models import LANGUAGE_CHOICES, Actor, Event, Source, Statement


class Intake(models.Model):
    """One pasted article: its text (kept, so that a statement's offsets point into it), the
    source details the editor gave, and the source it became or matched."""

    title = models.CharField(max_length=500)
    text = models.TextField()
    url = models.URLField("URL", max_length=1000, blank=True)
    outlet = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField()
    language = models.CharField(max_length=10, blank=True, choices=LANGUAGE_CHOICES)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        help_text="The source the article became, or the existing one it matched.",
    )
    matched_existing = models.BooleanField(
        default=False, help_text="The source existed already (same URL or title)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    extraction_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "article intake"
        indexes = [
            # The statement page's surrounding sentences: the intake a source came from.
            models.Index(fields=["source", "-created_at"], name="intake_source_latest"),
        ]

    def __str__(self):
        return Truncator(self.title).chars(80)

    def get_absolute_url(self):
        return reverse("admin:intake_intake_change", args=[self.pk])


class ProposalKind(models.TextChoices):
    STATEMENT = "statement", "statement"
    EVENT = "event", "event"
    ACTOR = "actor", "new actor"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "to review"
    ACCEPTED = "accepted", "accepted as a draft"
    REJECTED = "rejected", "rejected"


class Proposal(models.Model):
    """What the rules found at one place in the text, with the values they propose (data)
    and how they found them (reason); accepting makes a draft row."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=10, choices=ProposalKind)
    status = models.CharField(max_length=10, choices=ProposalStatus, default=ProposalStatus.PENDING)
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    statement = models.ForeignKey(
        Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["intake", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), name="proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.UniqueConstraint("intake", "position", name="proposal_unique_position"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}: {self.summary}"

    @property
    def summary(self) -> str:
        words = self.data.get("text") or self.data.get("title") or self.data.get("name", "")
        return Truncator(words).words(12)

    @property
    def dom_id(self) -> str:
        return f"proposal-{self.pk}"


def surrounding(statement: Statement, sentences: int = 1) -> tuple[str, str, str] | None:
    """The words before a statement's passage, the passage and the words after, from the
    article it was taken from (one sentence either side), or None if typed in by hand."""
    if statement.passage_start is None or statement.source_id is None:
        return None
    intake = (
        Intake.objects.filter(source_id=statement.source_id)
        .only("text")
        .order_by("-created_at")
        .first()
    )
    if intake is None or statement.passage_end > len(intake.text):
        return None
    from .text import sentences as split

    text, start, end = intake.text, statement.passage_start, statement.passage_end
    spans = split(text)
    before = [s for s in spans if s.end <= start][-sentences:]
    after = [s for s in spans if s.start >= end][:sentences]
    head = text[before[0].start : start] if before else text[:start][-300:]
    tail = text[end : after[-1].end] if after else text[end:][:300]
    return head, text[start:end], tail
