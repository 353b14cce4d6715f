"""A permalink's statement and everything its page shows beside it, read in one query.

The permalink is the page the rest of the web links to, and the one the issue asks most of:
500 requests a second on two cores, 4 ms of CPU a request with its template. Through the ORM
it took seven queries, and making their SQL cost more than the database's work on them:
about 0.3 ms of Python a query, 1.4 ms for the union of the previous and next statements.
Here the SQL is written once (sql/permalink.sql), its column lists filled in from the models
when this module is imported, and a row of it becomes the model instances the page and its
helpers (citations, JSON-LD, corrections) already know. A column the query leaves out is
deferred on its instance, so a template that asks for it still gets it, with a query.

The query is a prepared statement, made on each database connection the first time it is
asked for there: PostgreSQL took 0.8-1.5 ms to plan it and 0.3 ms to run it. A prepared
statement lasts as long as its connection (CONN_MAX_AGE), through rollbacks, and is made
again where it was dropped or a migration changed a column it reads; a connection
pooler in front of PostgreSQL must keep a client on one server session (PgBouncer's session
mode: its transaction mode carries protocol-level prepared statements, not SQL's PREPARE).
"""

import dataclasses
import weakref
from pathlib import Path

from django.db import DatabaseError, connections, router

from .corrections import HISTORY_ROWS
from .models import Actor, Role, Source, Statement, Topic, Treaty


def _fields(model, names=None):
    """The model's columns in the query: every one but a search document, or names."""
    return [
        field
        for field in model._meta.concrete_fields
        if (field.attname in names if names else field.attname != "search_vector")
    ]


# What a previous or next link shows (and the model's order needs).
NEIGHBOUR = _fields(Statement, ("id", "slug", "text", "date", "date_precision", "date_approximate"))


# (part, its model, its fields) in the order of the query's columns; a part is its alias there.
PARTS = [
    ("statement", Statement, _fields(Statement)),
    ("speaker", Actor, _fields(Actor)),
    ("source", Source, _fields(Source)),
    ("outlet", Actor, _fields(Actor)),
    ("role", Role, _fields(Role)),
    ("organisation", Actor, _fields(Actor)),
    ("previous", Statement, NEIGHBOUR),
    ("next", Statement, NEIGHBOUR),
]
PREPARE = (
    (Path(__file__).resolve().parent / "sql" / "permalink.sql")
    .read_text()
    .format(
        **{part: ", ".join(f'{part}."{f.column}"' for f in fields) for part, _, fields in PARTS},
        neighbour=", ".join(f'"{field.column}"' for field in NEIGHBOUR),
        history_rows=HISTORY_ROWS,
    )
)
# SQLSTATEs: "prepared statement does not exist", "cached plan must not change result type".
MISSING, OUTDATED = "26000", "0A000"
# The connections (psycopg's, one a database session) on which it has been prepared.
_prepared_on = weakref.WeakSet()


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
    # The values written in, checked above: EXECUTE takes no bound parameters.
    execute = f"EXECUTE permalink ({int(pk)}, {'true' if drafts else 'false'})"
    with connection.cursor() as cursor:
        if connection.connection not in _prepared_on:
            _prepare(cursor, connection)
        try:
            cursor.execute(execute)
        except DatabaseError as error:
            # Prepared before a migration changed a table it reads, or dropped since (DISCARD
            # ALL): made again, once, where the failure has not spoilt a transaction.
            state = getattr(error.__cause__, "sqlstate", None)
            if state not in (MISSING, OUTDATED) or connection.in_atomic_block:
                raise
            if state == OUTDATED:
                cursor.execute("DEALLOCATE permalink")
            _prepare(cursor, connection)
            cursor.execute(execute)
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    found = {
        part: _instance(alias, model, fields, [next(values) for _ in fields])
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
        treaties=_instances(alias, Treaty, treaties),
        mentions=_instances(alias, Actor, mentions),
        topics=_instances(alias, Topic, topics),
        corrected=corrected,
    )


def _prepare(cursor, connection):
    cursor.execute(PREPARE)
    _prepared_on.add(connection.connection)


def _instance(alias, model, fields, values):
    """The model instance of a joined row's columns, or None for a row that was not there."""
    if values[0] is None:  # the id: every part starts with it
        return None
    return model.from_db(alias, [field.attname for field in fields], values)


def _instances(alias, model, rows):
    """Model instances of a json_agg of objects (NULL when there are none), each with the
    same few of the model's fields (the others deferred), taken in the model's order."""
    if not rows:
        return []
    names = [field.attname for field in model._meta.concrete_fields if field.attname in rows[0]]
    return [model.from_db(alias, names, [row[name] for name in names]) for row in rows]
