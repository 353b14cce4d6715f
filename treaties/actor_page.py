"""An actor page's record, read in one prepared query.

Through the ORM an actor page's record took five queries: the actor, its other spellings,
its roles with their organisations, the treaties it is party to, and its summary rows (what
it said in all, about each treaty, in each year). Here they are SQL written once
(sql/actor_facts.sql) and prepared once a connection (treaties/prepared.py).
"""

import dataclasses

from django.db import router

from .models import (
    ACTOR_LINK_FIELDS,
    Actor,
    ActorAlias,
    Role,
    SpeakerSummary,
    Treaty,
    TreatyParty,
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

ACTOR = fields_of(Actor)
ORGANISATION = fields_of(Actor, ACTOR_LINK_FIELDS)
# What the page shows of a treaty it is party to: a link.
TREATY = fields_of(Treaty, ("id", "name", "short_name", "slug"))
ALIAS, ROLE, PARTY = fields_of(ActorAlias), fields_of(Role), fields_of(TreatyParty)

FACTS = PreparedQuery(
    "actor_facts",
    "actor_facts.sql",
    actor=columns("actor", ACTOR),
    alias_object=json_object("alias", ALIAS),
    role_object=json_object("role", ROLE),
    organisation_object=json_object("organisation", ORGANISATION),
    party_object=json_object("party", PARTY),
    treaty_object=json_object("treaty", TREATY),
)


@dataclasses.dataclass
class ActorRecord:
    # Its aliases and roles (their organisations set) as actor.aliases.all() and
    # actor.roles.all() give them without a query.
    actor: Actor
    parties: list[TreatyParty]  # the treaties it is party to (set), by name
    said: SpeakerSummary


def read_actor(slug: str) -> ActorRecord | None:
    """The actor of slug and what its page shows of it, or None."""
    alias = router.db_for_read(Actor)
    rows = FACTS.execute(alias, slug)
    if not rows:
        return None
    values = iter(rows[0])
    actor = instance(alias, Actor, ACTOR, [next(values) for _ in ACTOR])
    aliases, roles, parties, said = values
    prefetched(actor, "aliases", instances(alias, ActorAlias, aliases, ALIAS))
    prefetched(
        actor, "roles", joined(alias, roles, (Role, ROLE), organisation=(Actor, ORGANISATION))
    )
    return ActorRecord(
        actor=actor,
        parties=joined(alias, parties, (TreatyParty, PARTY), treaty=(Treaty, TREATY)),
        said=SpeakerSummary({(treaty, year): n for treaty, year, n in said or ()}),
    )
