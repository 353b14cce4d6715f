"""A treaty page's facts and recent sources, each read in one prepared query.

The treaty page is the fact sheet researchers land on. Through the ORM its facts took four
queries (the treaty, its limits, its parties, its signers), and its recent sources one whose
SQL, a union of two limited subqueries, cost 1.6 ms of Python to make: together some 5 ms of
the page's 20 of CPU. Here each is SQL written once (sql/treaty_facts.sql,
sql/treaty_sources.sql) and prepared once a connection (treaties/prepared.py).
"""

from django.db import router

from .models import (
    ACTOR_LINK_FIELDS,
    Actor,
    Source,
    Treaty,
    TreatyLimit,
    TreatyParty,
    TreatySigner,
)
from .prepared import (
    PreparedQuery,
    columns,
    fields_of,
    instance,
    instances,
    joined,
    json_object,
    prefetched,
)

TREATY = fields_of(Treaty)
SOURCE, OUTLET = fields_of(Source), fields_of(Actor)
NAMED = fields_of(Actor, ACTOR_LINK_FIELDS)
LIMIT, PARTY, SIGNER = fields_of(TreatyLimit), fields_of(TreatyParty), fields_of(TreatySigner)

FACTS = PreparedQuery(
    "treaty_facts",
    "treaty_facts.sql",
    treaty=columns("treaty", TREATY),
    limit_object=json_object("treaty_limit", LIMIT),
    party_object=json_object("party", PARTY),
    state_object=json_object("state", NAMED),
    signer_object=json_object("signer", SIGNER),
    person_object=json_object("person", NAMED),
    behalf_object=json_object("behalf", NAMED),
)
SOURCES_SHOWN = 20
# How far back "recent sources" look: the treaty's latest statements, and its latest events.
RECENT_RECORDS = 200
SOURCES = PreparedQuery(
    "treaty_sources",
    "treaty_sources.sql",
    source=columns("source", SOURCE),
    outlet=columns("outlet", OUTLET),
    recent=RECENT_RECORDS,
    shown=SOURCES_SHOWN,
)


def read_treaty(slug: str) -> Treaty | None:
    """The treaty with its limits, parties (their states set) and signers (their people and
    states set), as treaty.limits.all(), treaty.treatyparty_set.all() and treaty.signers.all()
    give them without a query; None where no treaty has the slug."""
    alias = router.db_for_read(Treaty)
    rows = FACTS.execute(alias, slug)
    if not rows:
        return None
    values = iter(rows[0])
    treaty = instance(alias, Treaty, TREATY, [next(values) for _ in TREATY])
    limits, parties, signers = values
    prefetched(treaty, "limits", instances(alias, TreatyLimit, limits, LIMIT))
    prefetched(
        treaty,
        "treatyparty_set",
        joined(alias, parties, (TreatyParty, PARTY), state=(Actor, NAMED)),
    )
    prefetched(
        treaty,
        "signers",
        joined(
            alias,
            signers,
            (TreatySigner, SIGNER),
            signer=(Actor, NAMED),
            on_behalf_of=(Actor, NAMED),
        ),
    )
    return treaty


def recent_sources(treaty: Treaty) -> list[Source]:
    """The sources of the treaty's latest published statements and events, newest first
    (RECENT_RECORDS of each), with their outlets: the page's SOURCES_SHOWN."""
    alias = router.db_for_read(Source)
    sources = []
    for row in SOURCES.execute(alias, treaty.pk):
        source = instance(alias, Source, SOURCE, row[: len(SOURCE)])
        source.outlet = instance(alias, Actor, OUTLET, row[len(SOURCE) :])
        sources.append(source)
    return sources
