"""A permalink's statement and everything its page shows beside it, read in one query.

The permalink is the page the rest of the web links to, and the one the issue asks most of:
500 requests a second on two cores, 4 ms of CPU a request with its template. Through the ORM
it took seven queries, and making their SQL cost more than the database's work on them:
about 0.3 ms of Python a query, 1.4 ms for the union of the previous and next statements.
Here the SQL is written once (sql/permalink.sql), its column lists filled in from the models
when this module is imported, and a row of it becomes the model instances the page and its
helpers (citations, JSON-LD, corrections) already know. A column the query leaves out is
deferred on its instance, so a template that asks for it still gets it, with a query.

The query is prepared once on each database connection (treaties/prepared.py): PostgreSQL
took 0.8-1.5 ms to plan it and 0.3 ms to run it.
"""

import dataclasses

from django.db import connections, router

from .corrections import HISTORY_ROWS
from .models import Actor, Role, Source, Statement, Topic, Treaty
from .prepared import PreparedQuery, columns, fields_of, instance, instances

# What a previous or next link shows (and the model's order needs).
NEIGHBOUR = fields_of(
    Statement, ("id", "slug", "text", "date", "date_precision", "date_approximate")
)


# (part, its model, its fields) in the order of the query's columns; a part is its alias there.
PARTS = [
    ("statement", Statement, fields_of(Statement)),
    ("speaker", Actor, fields_of(Actor)),
    ("source", Source, fields_of(Source)),
    ("outlet", Actor, fields_of(Actor)),
    ("role", Role, fields_of(Role)),
    ("organisation", Actor, fields_of(Actor)),
    ("previous", Statement, NEIGHBOUR),
    ("next", Statement, NEIGHBOUR),
]
QUERY = PreparedQuery(
    "permalink",
    "permalink.sql",
    **{part: columns(part, fields) for part, _, fields in PARTS},
    neighbour=", ".join(f'"{field.column}"' for field in NEIGHBOUR),
    history_rows=HISTORY_ROWS,
)


@dataclasses.dataclass
class Permalink:
    # The statement, its speaker, source and the source's outlet set on it.
    statement: Statement
    role: Role | None  # the speaker's on the statement's day, its organisation set
    previous: Statement | None  # by the same speaker, published, in (date, id) order
    next: Statement | None
    treaties: list[Treaty]
    mentions: list[Actor]
    topics: list[Topic]
    # Saved again after it was published: its corrections are worth reading.
    corrected: bool


def read_permalink(pk, *, drafts: bool) -> Permalink | None:
    """The published statement pk (or any, with drafts), or None."""
    alias = router.db_for_read(Statement)
    connection = connections[alias]
    lowest, highest = connection.ops.integer_field_range(Statement._meta.pk.get_internal_type())
    if not lowest <= pk <= highest:  # no row has it, and the database would refuse to look
        return None
    rows = QUERY.execute(alias, int(pk), bool(drafts))
    if not rows:
        return None
    values = iter(rows[0])
    found = {
        part: instance(alias, model, fields, [next(values) for _ in fields])
        for part, model, fields in PARTS
    }
    treaties, mentions, topics, corrected = values
    statement, source, role = found["statement"], found["source"], found["role"]
    statement.speaker = found["speaker"]
    statement.source = source
    if source is not None:
        source.outlet = found["outlet"]
    if role is not None:
        role.actor = statement.speaker
        role.organisation = found["organisation"]
    return Permalink(
        statement=statement,
        role=role,
        previous=found["previous"],
        next=found["next"],
        treaties=instances(alias, Treaty, treaties),
        mentions=instances(alias, Actor, mentions),
        topics=instances(alias, Topic, topics),
        corrected=corrected,
    )
