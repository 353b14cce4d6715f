"""The published record as plain data: one dict per treaty, actor, source, statement or event.

The API returns these (validated against api/schemas.py) and `export_dataset` writes them as
JSON Lines, so both carry the same fields. `absolute` turns a site path into the URL to
publish: the request's own host in the API, the `--base-url` of an export.

Each function expects the rows to come with the relations named in the querysets below
already loaded (`*_for_records()`), so that a page of records costs a fixed number of queries.
A statement's or event's many-to-many relations come as lists (`treaty_list`, ...): a
prefetch into a related manager builds a manager and a queryset per row and relation, which
was a third of a download's time.
"""

from collections.abc import Callable

from django.db.models import Prefetch

from treaties.models import (
    Actor,
    Event,
    Source,
    Statement,
    Topic,
    Treaty,
    TreatyParty,
    speaker_roles,
)

Absolute = Callable[[str], str]

# The version of the record format, written into every export's manifest. Bump the major
# number when a field is removed or changes meaning, the minor one when a field is added.
FORMAT_VERSION = "1.1"  # 1.1: topics have a permalink; a source's is its page


# Querysets ------------------------------------------------------------------------------------


def treaties_for_records():
    return Treaty.objects.defer("search_vector").prefetch_related(
        "limits", Prefetch("treatyparty_set", TreatyParty.objects.select_related("state"))
    )


def actors_for_records():
    return Actor.objects.prefetch_related("aliases", speaker_roles("roles"))


def sources_for_records():
    # Those behind a published statement or event: a draft's source is not public yet.
    return Source.objects.public().defer("search_vector").select_related("outlet")


def statements_for_records():
    return (
        Statement.objects.published()
        .select_related("speaker", "source")
        .prefetch_related(
            Prefetch("treaties", Treaty.objects.defer("search_vector"), to_attr="treaty_list"),
            Prefetch("topics", to_attr="topic_list"),
            Prefetch("mentions", to_attr="mention_list"),
            speaker_roles(),
        )
        .defer("search_vector", "source__search_vector")
    )


def events_for_records():
    return (
        Event.objects.published()
        .select_related("source")
        .prefetch_related(
            Prefetch("treaties", Treaty.objects.defer("search_vector"), to_attr="treaty_list"),
            Prefetch("actors", to_attr="actor_list"),
            Prefetch(
                "other_sources", Source.objects.defer("search_vector"), to_attr="other_source_list"
            ),
        )
        .defer("search_vector", "source__search_vector")
    )


def topics_for_records():
    return Topic.objects.all()


# Small references to other records -------------------------------------------------------------


def iso(value):
    return value.isoformat() if value is not None else None


def actor_ref(actor: Actor | None, absolute: Absolute):
    if actor is None:
        return None
    return {
        "id": actor.pk,
        "slug": actor.slug,
        "name": actor.name,
        "permalink": absolute(actor.get_absolute_url()),
    }


def treaty_ref(treaty: Treaty, absolute: Absolute):
    return {
        "id": treaty.pk,
        "slug": treaty.slug,
        "short_name": treaty.short_name,
        "permalink": absolute(treaty.get_absolute_url()),
    }


def source_ref(source: Source | None, absolute: Absolute):
    if source is None:
        return None
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "archive_url": source.archive_url,
        "permalink": absolute(source.get_absolute_url()),
    }


def topic_record(topic: Topic, absolute: Absolute):
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "name": topic.name,
        "permalink": absolute(topic.get_absolute_url()),
    }


# Records ------------------------------------------------------------------------------------------


def treaty_record(treaty: Treaty, absolute: Absolute):
    return {
        "id": treaty.pk,
        "slug": treaty.slug,
        "permalink": absolute(treaty.get_absolute_url()),
        "short_name": treaty.short_name,
        "name": treaty.name,
        "kind": treaty.kind,
        "status": treaty.status,
        "status_note": treaty.status_note,
        "summary": treaty.summary,
        "signed_on": iso(treaty.signed_on),
        "signed_at": treaty.signed_at,
        "in_force_on": iso(treaty.in_force_on),
        "suspended_on": iso(treaty.suspended_on),
        "ended_on": iso(treaty.ended_on),
        "expires_on": iso(treaty.expires_on),
        "official_text_url": treaty.official_text_url,
        "wikidata_id": treaty.wikidata_id,
        "parties": [
            {"state": actor_ref(party.state, absolute), "withdrew_on": iso(party.withdrew_on)}
            for party in treaty.treatyparty_set.all()
        ],
        "limits": [
            {
                "subject": limit.subject,
                "number": limit.number,
                "unit": limit.unit,
                "note": limit.note,
            }
            for limit in treaty.limits.all()
        ],
        "updated_at": iso(treaty.updated_at),
    }


def actor_record(actor: Actor, absolute: Absolute):
    return {
        "id": actor.pk,
        "slug": actor.slug,
        "permalink": absolute(actor.get_absolute_url()),
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "description": actor.description,
        "wikidata_id": actor.wikidata_id,
        "aliases": [
            {"name": alias.name, "language": alias.language, "note": alias.note}
            for alias in actor.aliases.all()
        ],
        "roles": [
            {
                "title": role.title,
                "organisation": actor_ref(role.organisation, absolute),
                "start_date": iso(role.start_date),
                "start_precision": role.start_precision,
                "end_date": iso(role.end_date),
                "end_precision": role.end_precision,
            }
            for role in actor.roles.all()
        ],
        "updated_at": iso(actor.updated_at),
    }


def source_record(source: Source, absolute: Absolute):
    return {
        "id": source.pk,
        "permalink": absolute(source.get_absolute_url()),
        "title": source.title,
        "outlet": actor_ref(source.outlet, absolute),
        "author": source.author,
        "url": source.url,
        "published_on": iso(source.published_on),
        "language": source.language,
        "archive_url": source.archive_url,
        "accessed_on": iso(source.accessed_on),
        "notes": source.notes,
        "updated_at": iso(source.updated_at),
    }


def statement_record(statement: Statement, absolute: Absolute):
    role = statement.speaker_role
    return {
        "id": statement.pk,
        "permalink": absolute(statement.get_absolute_url()),
        "speaker": actor_ref(statement.speaker, absolute),
        "speaker_role": str(role) if role else "",
        "kind": statement.kind,
        "text": statement.text,
        "original_text": statement.original_text,
        "original_language": statement.original_language,
        "date": iso(statement.date),
        "date_precision": statement.date_precision,
        "date_approximate": statement.date_approximate,
        "display_date": statement.display_date,
        "setting": statement.setting,
        "setting_detail": statement.setting_detail,
        "source": source_ref(statement.source, absolute),
        "source_locator": statement.source_locator,
        "treaties": [treaty_ref(treaty, absolute) for treaty in statement.treaty_list],
        "topics": [topic_record(topic, absolute) for topic in statement.topic_list],
        "mentions": [actor_ref(actor, absolute) for actor in statement.mention_list],
        "editor_note": statement.editor_note,
        "created_at": iso(statement.created_at),
        "updated_at": iso(statement.updated_at),
    }


def event_record(event: Event, absolute: Absolute):
    return {
        "id": event.pk,
        "slug": event.slug,
        "permalink": absolute(event.get_absolute_url()),
        "title": event.title,
        "description": event.description,
        "kind": event.kind,
        "date": iso(event.date),
        "date_precision": event.date_precision,
        "date_approximate": event.date_approximate,
        "end_date": iso(event.end_date),
        "end_precision": event.end_precision,
        "display_date": event.display_date,
        "location": event.location,
        "treaties": [treaty_ref(treaty, absolute) for treaty in event.treaty_list],
        "actors": [actor_ref(actor, absolute) for actor in event.actor_list],
        "source": source_ref(event.source, absolute),
        "source_locator": event.source_locator,
        "other_sources": [source_ref(source, absolute) for source in event.other_source_list],
        "editor_note": event.editor_note,
        "created_at": iso(event.created_at),
        "updated_at": iso(event.updated_at),
    }
