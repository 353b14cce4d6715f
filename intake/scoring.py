"""How well the rules do against statements editors already entered for an article (the
seed's, for the seed article): used by bench/intake.py and tests/test_intake_seed.py.

A proposal finds a known statement when its passage overlaps the statement's words in the
article and it names the same speaker, date and precision ("right"); "right kind" also asks
for the same kind (quote or paraphrase). Recall counts known statements found; precision
counts proposals that found one.
"""

import dataclasses
import re

from .extract import Extraction


@dataclasses.dataclass(frozen=True)
class Known:
    speaker: str  # the actor's name
    text: str
    kind: str
    date: object
    precision: str
    approximate: bool = False


@dataclasses.dataclass
class Score:
    known: int
    proposed: int
    found: int  # known statements with a right proposal
    found_with_kind: int
    right_proposals: int
    misses: list[str]

    @property
    def recall(self) -> float:
        return self.found / self.known if self.known else 0.0

    @property
    def recall_with_kind(self) -> float:
        return self.found_with_kind / self.known if self.known else 0.0

    @property
    def precision(self) -> float:
        return self.right_proposals / self.proposed if self.proposed else 0.0


def span_of(article: str, words: str) -> tuple[int, int] | None:
    """Where a statement's words stand in the article, whitespace and quote marks aside."""
    probe = re.escape(words.strip()[:60]).replace(r"\ ", r"\s+")
    match = re.search(probe, article)
    if not match:
        return None
    return match.start(), match.start() + len(words.strip())


def score(article: str, extraction: Extraction, known: list[Known]) -> Score:
    right_proposals = set()
    found = found_with_kind = 0
    misses = []
    for statement in known:
        span = span_of(article, statement.text)
        hit = hit_with_kind = False
        for i, proposal in enumerate(extraction.statements):
            if span is None or not (proposal.start < span[1] and span[0] < proposal.end):
                continue
            right = (
                proposal.speaker is not None
                and proposal.speaker.name == statement.speaker
                and proposal.when.date == statement.date
                and proposal.when.precision == statement.precision
                and proposal.when.approximate == statement.approximate
            )
            if right:
                right_proposals.add(i)
                hit = True
                hit_with_kind = hit_with_kind or proposal.kind == statement.kind
        found += hit
        found_with_kind += hit_with_kind
        if not hit:
            misses.append(f"{statement.speaker}: {statement.text[:60]}")
    return Score(
        known=len(known),
        proposed=len(extraction.statements),
        found=found,
        found_with_kind=found_with_kind,
        right_proposals=len(right_proposals),
        misses=misses,
    )


def seed_article_key() -> tuple[str, list[Known]]:
    """The seed article's title and its statements as the seed enters them."""
    from treaties.seed import ACTORS, ARTICLE

    names = {actor.slug: actor.name for actor in ACTORS}
    return ARTICLE.title, [
        Known(
            names[s.speaker],
            s.text,
            s.kind,
            s.when.date,
            s.when.precision,
            s.when.approximate,
        )
        for s in ARTICLE.statements
    ]
