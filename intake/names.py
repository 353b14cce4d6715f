"""Finding actors' names in a text through every alias and transliteration.

A name and the text are compared by a "skeleton" (treaties/transliteration.py, shared with
search): folded (accents off, lower case), Cyrillic romanised and common transliteration
variants merged, so that "Zajárova" in a Spanish report finds Maria Zakharova, whose aliases
may not list it.
"""

import dataclasses
import functools
import re

from treaties.models import Actor, ActorAlias, ActorKind
from treaties.transliteration import skeleton

from .text import words

__all__ = ["NameIndex", "skeleton", "unknown_name_near"]

LONGEST_NAME = 7  # words


@dataclasses.dataclass(frozen=True)
class Known:
    actor_id: int
    name: str
    kind: str


@dataclasses.dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: Known

    @property
    def is_person(self):
        return self.actor.kind == ActorKind.PERSON


class NameIndex:
    """Every spelling of every actor, by skeleton. Actors are a small table (thousands)."""

    def __init__(self, names: list[tuple[int, str, str, str]]):
        # names: (actor id, actor name, kind, a spelling)
        self.keys: dict[str, Known] = {}
        self.exact: dict[str, Known] = {}  # acronyms (US, BCC): matched as written
        surnames: dict[str, set[int]] = {}
        known_by_id = {}
        for actor_id, actor_name, kind, spelling in names:
            known = known_by_id.setdefault(actor_id, Known(actor_id, actor_name, kind))
            if len(spelling) <= 4 and spelling.isupper():
                self.exact[spelling] = known
                continue
            key = skeleton(spelling)
            if key:
                self.keys.setdefault(key, known)
            parts = key.split()
            if kind == ActorKind.PERSON and len(parts) > 1 and len(parts[-1]) > 3:
                surnames.setdefault(parts[-1], set()).add(actor_id)
        # A surname alone names a person when no other person has it.
        for key, ids in surnames.items():
            if len(ids) == 1 and key not in self.keys:
                self.keys[key] = known_by_id[next(iter(ids))]

    @classmethod
    def from_database(cls) -> "NameIndex":
        rows = [(a.pk, a.name, a.kind, a.name) for a in Actor.objects.only("name", "kind")]
        rows += [
            (actor_id, name, kind, spelling)
            for actor_id, name, kind, spelling in ActorAlias.objects.values_list(
                "actor_id", "actor__name", "actor__kind", "name"
            )
        ]
        return cls(rows)

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Names in the span, longest spelling first, each starting with a capital letter."""
        tokens = words(text, start, end)
        found = []
        i = 0
        while i < len(tokens):
            first = tokens[i][2]
            if not first[0].isupper():
                i += 1
                continue
            if first in self.exact:
                found.append(Mention(tokens[i][0], tokens[i][1], self.exact[first]))
                i += 1
                continue
            for n in range(min(LONGEST_NAME, len(tokens) - i), 0, -1):
                span_start, span_end = tokens[i][0], tokens[i + n - 1][1]
                if "\n" in text[span_start:span_end]:
                    continue
                known = self.keys.get(_key(tokens[i : i + n]))
                if known:
                    found.append(Mention(span_start, span_end, known))
                    i += n
                    break
            else:
                i += 1
        return found


@functools.lru_cache(maxsize=4096)
def _skeleton_cached(word: str) -> str:
    return skeleton(word)


def _key(tokens) -> str:
    return " ".join(_skeleton_cached(token[2]) for token in tokens).strip()


CAPITALISED = re.compile(
    r"\b[A-ZÀ-ÞА-ЯЁ][\w’'-]+(?:\s+(?:de|da|von|van|al|bin|la|le)?\s*[A-ZÀ-ÞА-ЯЁ][\w’'-]+){1,3}"
)


def unknown_name_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A capitalised run of two to four words in the span, as a new person's name."""
    match = CAPITALISED.search(text, start, end)
    if not match:
        return None
    return match.start(), match.end()
