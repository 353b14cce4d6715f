from django.db import models
from django.db.models.functions import Now


class FedIndex(models.Model):
    """An OpenSearch index that this database feeds. While one is on record, the triggers
    of sql/queue.sql queue changes; without one (PostgreSQL's own search) they do nothing."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Once everything queued for it when it was set up has been sent: until then searches
    # are answered by PostgreSQL, not by a half-loaded index.
    ready = models.BooleanField(default=False)

    def __str__(self):
        return self.name


class Queued(models.Model):
    """A record whose search document changed since OpenSearch last took it. Written by the
    database's triggers; read and deleted by indexing.send_queued()."""

    class Kind(models.TextChoices):
        STATEMENT = "statement"
        SOURCE = "source"

    kind = models.CharField(max_length=20, choices=Kind)
    record_id = models.BigIntegerField()
    queued_at = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"{self.kind} {self.record_id}"


class Refused(models.Model):
    """A record whose document OpenSearch refused for a reason that sending it again will not
    change (the record's own 4xx, such as a mapping error): set aside here with the reason,
    off the queue, so that the changes behind it are not held up. The record's next change
    queues it again, and `opensearch_index --retry-refused` queues every one set aside."""

    kind = models.CharField(max_length=20, choices=Queued.Kind)
    record_id = models.BigIntegerField()
    reason = models.TextField()
    refused_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="refused_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.record_id}: {self.reason}"
