"""Statement cards by id, in one prepared query: what every list of statements shows.

The timeline, a treaty page, an actor page and who said what each take a page of ids from
an index and then the cards' columns for those ids (CARD_FIELDS, with the speaker's role on
the day). Through the ORM, making that query's SQL cost 0.4 ms of Python a list, more than
the database's work on it; here it is made once a process (treaties/prepared.py).
"""

from django.db import router

from .models import CARD_FIELDS, Actor, Source, Statement
from .prepared import PreparedQuery, columns, fields_of, instance


def _card_fields(model, path=""):
    """The model's fields a card reads at path (CARD_FIELDS's names start with it), and its id."""
    names = {"id"}
    for name in CARD_FIELDS:
        if name.startswith(path):
            names.add(model._meta.get_field(name.removeprefix(path).split("__")[0]).attname)
    return fields_of(model, names)


# (part, its model, its fields) in the order of the query's columns; a part is its alias there.
PARTS = [
    ("statement", Statement, _card_fields(Statement)),
    ("speaker", Actor, _card_fields(Actor, "speaker__")),
    ("source", Source, _card_fields(Source, "source__")),
    ("outlet", Actor, _card_fields(Actor, "source__outlet__")),
]
QUERY = PreparedQuery(
    "statement_cards",
    "statement_cards.sql",
    **{part: columns(part, fields) for part, _, fields in PARTS},
)


def statement_cards(ids) -> dict[int, Statement]:
    """The statements of ids (published or not) as cards, by id: speaker, source and outlet
    set on them, and role_on_the_day, the name of the speaker's role on the statement's day."""
    if not ids:
        return {}
    alias = router.db_for_read(Statement)
    cards = {}
    for row in QUERY.execute(alias, [int(pk) for pk in ids]):
        values = iter(row)
        statement, speaker, source, outlet = (
            instance(alias, model, fields, [next(values) for _ in fields])
            for _, model, fields in PARTS
        )
        (statement.role_on_the_day,) = values
        statement.speaker = speaker
        statement.source = source
        if source is not None:
            source.outlet = outlet
        cards[statement.pk] = statement
    return cards
