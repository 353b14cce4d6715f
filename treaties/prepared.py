"""SQL written once and prepared once on each database connection, for the busiest pages.

Through the ORM, making a query's SQL costs more Python than the database spends running it:
0.4 ms for a card list by ids, 1.6 ms for a treaty's recent sources (a union of two limited
subqueries), against 0.1-0.3 ms of Python for the same SQL through a cursor. PostgreSQL, in
turn, can take longer to plan a many-join query than to run it. A query here is an SQL
PREPARE, made on a connection the first time it is asked for there and EXECUTEd by name after
that: its SQL is made once a process, and planned once a connection where PostgreSQL keeps
its generic plan. (It keeps planning each EXECUTE where a generic plan would cost more, as
with a LIMIT given as a parameter; a value known at import, such as a page size, is written
into the SQL instead.)

A prepared statement lasts as long as its connection (CONN_MAX_AGE), through rollbacks; it is
made again where it was dropped (DISCARD ALL) or a migration changed a column it reads. A
connection pooler in front of PostgreSQL must keep a client on one server session (PgBouncer's
session mode: its transaction mode carries protocol-level prepared statements, not SQL's).

Column lists come from the models (columns()), and rows become model instances the templates
already know (instance(), instances()): a column a query leaves out is deferred on its
instance, so a template that asks for it still gets it, with a query.
"""

import weakref
from pathlib import Path

from django.db import DatabaseError, connections
from psycopg import sql

SQL_FOLDER = Path(__file__).resolve().parent / "sql"
# SQLSTATEs: "prepared statement does not exist", "cached plan must not change result type",
# "prepared statement already exists".
MISSING, OUTDATED, EXISTS = "26000", "0A000", "42P05"
# Every name in use: two queries of one name would each EXECUTE the other's statement.
_names = set()


class PreparedQuery:
    """sql/<file>, a PREPARE of a statement called name ({name} there), its column lists and
    other parts filled in by format."""

    def __init__(self, name: str, file: str, **lists):
        if name in _names:
            raise ValueError(f"There is already a prepared query called {name}.")
        _names.add(name)
        self.name = name
        self.statement = (SQL_FOLDER / file).read_text().format(name=name, **lists)
        if f"PREPARE {name} (" not in self.statement:
            raise ValueError(f"{file} does not PREPARE {{name}} (...).")
        # The connections (psycopg's, one a database session) it has been prepared on.
        self.prepared_on = weakref.WeakSet()

    def execute(self, alias: str, *values):
        """The rows of EXECUTE name (values) on the database alias.

        The values are written into the EXECUTE as literals (an int, a bool, a str, a list of
        ints for an array), quoted by psycopg: EXECUTE takes no bound parameters, so that
        server-side binding would break it.
        """
        connection = connections[alias]
        with connection.cursor() as cursor:
            raw = connection.connection
            arguments = ", ".join(sql.Literal(value).as_string(raw) for value in values)
            execute = f"EXECUTE {self.name} ({arguments})"
            if raw not in self.prepared_on:
                self._prepare(cursor, raw)
            try:
                cursor.execute(execute)
            except DatabaseError as error:
                # Prepared before a migration changed a table it reads, or dropped since:
                # made again, once, where the failure has not spoilt a transaction.
                state = getattr(error.__cause__, "sqlstate", None)
                if state not in (MISSING, OUTDATED) or connection.in_atomic_block:
                    raise
                if state == OUTDATED:
                    cursor.execute(f"DEALLOCATE {self.name}")
                self._prepare(cursor, raw)
                cursor.execute(execute)
            return cursor.fetchall()

    def _prepare(self, cursor, raw):
        try:
            cursor.execute(self.statement)
        except DatabaseError as error:
            # Prepared on this session already, by a request whose bookkeeping was lost: it
            # is there to EXECUTE (only outside a transaction, which the error would spoil).
            if getattr(error.__cause__, "sqlstate", None) != EXISTS or cursor.db.in_atomic_block:
                raise
        self.prepared_on.add(raw)


def fields_of(model, names=None):
    """The model's concrete fields in a query: every one but a search document, or names."""
    return [
        field
        for field in model._meta.concrete_fields
        if (field.attname in names if names else field.attname != "search_vector")
    ]


def columns(alias: str, fields) -> str:
    """The fields' columns of the table aliased alias, for a SELECT list."""
    return ", ".join(f'{alias}."{field.column}"' for field in fields)


def json_object(alias: str, fields) -> str:
    """A json_build_object of the fields' columns of alias, keyed by column (see instances)."""
    pairs = ", ".join(f"'{field.column}', {alias}.\"{field.column}\"" for field in fields)
    return f"json_build_object({pairs})"


# Fields whose values JSON carries as text: made their type by the field. (No decimal: a JSON
# number would come through a float.)
NOT_JSON = {"DateField", "DateTimeField", "TimeField", "UUIDField"}


def instance(alias, model, fields, values):
    """The model instance of a joined row's columns, or None for a row that was not there."""
    if values[0] is None:  # the id: every list of fields starts with it
        return None
    return model.from_db(alias, [field.attname for field in fields], values)


def instances(alias, model, objects, fields=None):
    """Model instances of a json_agg of json_objects (NULL when there are none), each with the
    same fields (the others deferred), taken in the model's order; None for an object of a
    row that was not there (its id null: a LEFT JOIN's).

    JSON has no dates: a date is made one by its field (to_python); text, numbers and booleans
    are JSON's own. fields, when given, name those of each object's keys to read."""
    if not objects:
        return []
    if fields is None:
        fields = [field for field in model._meta.concrete_fields if field.column in objects[0]]
    names = [field.attname for field in fields]
    converted = [
        (field.column, field.to_python if field.get_internal_type() in NOT_JSON else None)
        for field in fields
    ]
    key = fields[0].column
    return [
        None
        if row[key] is None
        else model.from_db(
            alias,
            names,
            [convert(row[column]) if convert else row[column] for column, convert in converted],
        )
        for row in objects
    ]


def joined(alias, rows, part, **related):
    """Model instances of a json_agg of json_build_arrays of json_objects: of the first object
    in each, part (model, fields), with the next ones set as its related fields, each named
    with its (model, fields) in the order of the array."""
    rows = rows or []
    model, fields = part
    found = instances(alias, model, [row[0] for row in rows], fields)
    for index, (name, (model, fields)) in enumerate(related.items(), start=1):
        for record, other in zip(
            found, instances(alias, model, [row[index] for row in rows], fields), strict=True
        ):
            setattr(record, name, other)
    return found


def prefetched(record, name, objects):
    """Sets objects as record's reverse relation name, each of them pointing back to it, as
    prefetch_related() leaves them: the related manager's all() is the list, without a query."""
    manager = getattr(record, name)
    for found in objects:
        setattr(found, manager.field.name, record)
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    record.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
