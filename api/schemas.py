"""The API's response and filter schemas: what the OpenAPI document describes.

Responses mirror the dicts of api/records.py. Filters are validated here, so a bad value is a
400 with a message naming the parameter (see `bad_request` in api/views.py); slugs and cursors
are restricted to their alphabets, so nothing odd reaches the database.
"""

import datetime

from ninja import Field, Schema
from pydantic import field_validator

from treaties.dates import DatePrecision
from treaties.models import ActorKind, EventKind, StatementKind, TreatyKind, TreatyStatus

SLUG = r"^[-a-zA-Z0-9_]+$"
# A cursor is URL-safe base64 (see api/paging.py).
CURSOR = r"^[-A-Za-z0-9_=]+$"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def choices_pattern(choices) -> str:
    return "^(" + "|".join(choices.values) + ")$"


# Shared pieces ---------------------------------------------------------------------------------


class ActorRef(Schema):
    id: int
    slug: str
    name: str
    permalink: str = Field(description="The actor's page on the site (absolute URL).")


class TreatyRef(Schema):
    id: int
    slug: str
    short_name: str
    permalink: str


class SourceRef(Schema):
    id: int
    title: str
    url: str = Field(description="Where the source was published; may be empty.")
    archive_url: str
    permalink: str = Field(description="The source's page on the site (absolute URL).")


class TopicOut(Schema):
    id: int
    slug: str
    name: str
    permalink: str = Field(description="The topic's page on the site (absolute URL).")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


# Records ----------------------------------------------------------------------------------------


class PartyOut(Schema):
    state: ActorRef
    withdrew_on: datetime.date | None


class LimitOut(Schema):
    subject: str
    number: int | None
    unit: str
    note: str


class TreatyOut(Schema):
    id: int
    slug: str
    permalink: str
    short_name: str
    name: str
    kind: str = Field(description="One of: " + ", ".join(TreatyKind.values))
    status: str = Field(description="One of: " + ", ".join(TreatyStatus.values))
    status_note: str
    summary: str
    signed_on: datetime.date | None
    signed_at: str
    in_force_on: datetime.date | None
    suspended_on: datetime.date | None
    ended_on: datetime.date | None
    expires_on: datetime.date | None
    official_text_url: str
    wikidata_id: str
    parties: list[PartyOut]
    limits: list[LimitOut]
    updated_at: datetime.datetime


class AliasOut(Schema):
    name: str
    language: str
    note: str


class RoleOut(Schema):
    title: str
    organisation: ActorRef | None
    start_date: datetime.date | None
    start_precision: str
    end_date: datetime.date | None
    end_precision: str


class ActorOut(Schema):
    id: int
    slug: str
    permalink: str
    name: str
    kind: str = Field(description="One of: " + ", ".join(ActorKind.values))
    country: str = Field(description="ISO 3166 two-letter code, or empty.")
    description: str
    wikidata_id: str
    aliases: list[AliasOut]
    roles: list[RoleOut]
    updated_at: datetime.datetime


class SourceOut(Schema):
    id: int
    permalink: str
    title: str
    outlet: ActorRef | None
    author: str
    url: str
    published_on: datetime.date | None
    language: str
    archive_url: str
    accessed_on: datetime.date | None
    notes: str
    updated_at: datetime.datetime


class StatementOut(Schema):
    id: int = Field(description="Stable: the permalink is keyed on it.")
    permalink: str
    speaker: ActorRef
    speaker_role: str = Field(description="What the speaker was on the day, if known.")
    kind: str = Field(description="One of: " + ", ".join(StatementKind.values))
    text: str
    original_text: str
    original_language: str
    date: datetime.date = Field(description="The first day of the period for a vaguer date.")
    date_precision: str = Field(description="One of: " + ", ".join(DatePrecision.values))
    date_approximate: bool
    display_date: str
    setting: str
    setting_detail: str
    source: SourceRef
    source_locator: str
    treaties: list[TreatyRef]
    topics: list[TopicOut]
    mentions: list[ActorRef]
    editor_note: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EventOut(Schema):
    id: int
    slug: str
    permalink: str
    title: str
    description: str
    kind: str = Field(description="One of: " + ", ".join(EventKind.values))
    date: datetime.date
    date_precision: str
    date_approximate: bool
    end_date: datetime.date | None
    end_precision: str
    display_date: str
    location: str
    treaties: list[TreatyRef]
    actors: list[ActorRef]
    source: SourceRef
    source_locator: str
    other_sources: list[SourceRef]
    editor_note: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


def page_of(record_schema, name):
    """The schema of one page of a list: its records and where the next page starts."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "next_cursor": str | None,
                "next": str | None,
                "results": list[record_schema],
            },
            "next_cursor": Field(
                description="Pass as ?cursor= for the next page; null on the last page."
            ),
            "next": Field(description="The next page's URL, with the same filters."),
        },
    )


TreatyPage = page_of(TreatyOut, "TreatyPage")
ActorPage = page_of(ActorOut, "ActorPage")
SourcePage = page_of(SourceOut, "SourcePage")
StatementPage = page_of(StatementOut, "StatementPage")
EventPage = page_of(EventOut, "EventPage")


# Filters ------------------------------------------------------------------------------------------


class PageFilters(Schema):
    cursor: str | None = Field(
        None, max_length=200, pattern=CURSOR, description="From the previous page's next_cursor."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Records per page.")


def slug_filter(description: str):
    return Field(None, max_length=200, pattern=SLUG, description=description)


class DatedFilters(PageFilters):
    from_date: datetime.date | None = Field(
        None, alias="from", description="On or after this day (YYYY-MM-DD)."
    )
    to_date: datetime.date | None = Field(
        None, alias="to", description="On or before this day (YYYY-MM-DD)."
    )

    @field_validator("to_date")
    @classmethod
    def dates_in_order(cls, to_date, info):
        from_date = info.data.get("from_date")
        if from_date and to_date and to_date < from_date:
            raise ValueError("“to” is before “from”.")
        return to_date


class TreatyFilters(PageFilters):
    status: str | None = Field(None, pattern=choices_pattern(TreatyStatus))
    kind: str | None = Field(None, pattern=choices_pattern(TreatyKind))


class ActorFilters(PageFilters):
    kind: str | None = Field(None, pattern=choices_pattern(ActorKind))
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO 3166 code, e.g. RU.")


class StatementFilters(DatedFilters):
    treaty: str | None = slug_filter("Statements about the treaty with this slug.")
    speaker: str | None = slug_filter("Statements by the actor with this slug.")
    topic: str | None = slug_filter("Statements on the topic with this slug.")
    kind: str | None = Field(None, pattern=choices_pattern(StatementKind))


class EventFilters(DatedFilters):
    treaty: str | None = slug_filter("Events concerning the treaty with this slug.")
    actor: str | None = slug_filter("Events involving the actor with this slug.")
    kind: str | None = Field(None, pattern=choices_pattern(EventKind))
