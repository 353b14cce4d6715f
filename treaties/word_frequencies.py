"""How common each word is among statements, from PostgreSQL's own statistics of their search
documents: what lets a search of several words take its matches from the index by its rarest
words alone (see search.statements).

ANALYZE (run by autovacuum after enough changes) keeps the most common words of a tsvector
column with the share of rows holding each (pg_stats.most_common_elems); any other word is
rarer than the rarest of those. Nothing is counted per request: the figures are read at most
every REFRESH_SECONDS per process, and a wrong guess costs time, never a result (a search that
asked the index for a last word whole, and found too few, asks again for its prefix).
"""

import datetime
import math
import string
import time
import unicodedata
from dataclasses import dataclass, field

from django.db import connections, router

from . import recent_index
from .models import Statement

REFRESH_SECONDS = 600
# The index is asked for the rarest words until they are expected together in at most this
# many statements; the other words are then checked on those rows alone.
INDEXED_MATCHES = 1000
# Words together in more statements than this are common: walking the date index from the
# newest statement and checking each row finds the candidates within a few thousand rows
# (300 / 0.05 = 6,000), which beats a bitmap of every match of so common a word. A common last
# word is left a prefix for the same reason.
WHOLE_SHARE = 0.05
# A search's newest candidates are looked for among this many of the newest statements: twice
# what words in WHOLE_SHARE of statements need, so that words common overall but rare of late
# (their matches years back) cost a bounded walk before the index is asked after all; for
# rarer words, the bitmap of these statements' dates that the words' bitmap is ANDed with
# (1 ms at 1,000,000 statements).
NEWEST_WALKED = 12_000
# What a search's candidate query costs PostgreSQL, per statement the figure applies to,
# measured at 1,000,000 statements: an entry of the GIN index read (25 ns), a row put in the
# bitmap that the index gives (100 ns: "nuclear", 225,000 rows, 21 ms; "nuclear & arms",
# 103,000 rows of 689,000 entries, 27 ms), a row read and checked for the other words (5 us).
ENTRY_READ, ROW_GIVEN, ROW_CHECKED = 25e-9, 100e-9, 5e-6

# With the date from which the NEWEST_WALKED newest published statements run, read from the
# (date, id) index with the figures rather than on each search (statements added since only
# widen the walk a little), and the cutoff of the recent statements' index (recent_index.py).
STATISTICS_SQL = f"""
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples,
    (SELECT date FROM treaties_statement WHERE status = 'published'
     ORDER BY date DESC, id DESC OFFSET %s LIMIT 1),
    ({recent_index.CUTOFF_SQL})
FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
    AND c.relnamespace = to_regnamespace(s.schemaname)
WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'search_vector'
"""


@dataclass(frozen=True)
class Frequencies:
    shares: dict[str, float] = field(default_factory=dict)  # the most common words
    rarer: float = 0.0  # every other word is in fewer than this share of statements
    rows: float = 0.0  # statements, as the planner estimates them
    # The NEWEST_WALKED newest published statements are dated from this day on; None when
    # there are fewer.
    newest_since: datetime.date | None = None
    # The recent statements' index holds those dated from this day on; None without one.
    recent_since: datetime.date | None = None

    def of(self, word: str) -> float:
        return self.shares.get(word, self.rarer)

    def of_prefix(self, prefix: str) -> float:
        """The share of statements holding a word that begins with prefix, as the shares of
        the words known to begin with it add up ("contact" begins "contacts"), at most 1;
        without one, that of a word the statistics do not know."""
        known = sum(share for word, share in self.shares.items() if word.startswith(prefix))
        return min(known, 1.0) or self.rarer

    def indexed_words(
        self, whole_words: list[str], last: str | None = None, wanted: int = 300
    ) -> list[str] | None:
        """The fewest of whole_words, rarest first, expected together in at most
        INDEXED_MATCHES statements (as if words were independent). Failing that, those the
        statistics do not know, each in fewer than `rarer` of statements (a name, a
        misspelling), whose entries bound the rows to check: left to be checked on the rows
        that a common word gives, such a word may be in none of them, and the whole index is
        walked ("treaty lebedew t": 4 s at 1,000,000 statements). Failing that, when the
        last word, a prefix, is common (in more than WHOLE_SHARE of statements), the rarest
        of them that cost least to read and check for wanted matches (cheapest_walk): the
        entries of a common word's prefix cost the most to read ("contacts:*", 87 ms at
        1,000,000 statements), and one in twenty of the rows the others give holds it at
        least, so the candidates turn up within a few thousand rows. None when none holds,
        or without statistics. wanted is the search's CANDIDATES."""
        if not self.rows:
            return None
        if chosen := self._rarest_together(whole_words):
            return chosen
        if unknown := self.unknown(whole_words):
            return unknown
        # Only a word the statistics know (see below).
        known = [word for word in whole_words if word in self.shares]
        if known and last and self.of_prefix(last) > WHOLE_SHARE:
            return self.cheapest_walk(known, last, wanted)
        return None

    def unknown(self, words: list[str], *, as_prefixes: bool = False) -> list[str]:
        """Those of words the statistics do not know, as words or, as_prefixes, as the
        beginnings of words: each in fewer than `rarer` of statements. Only words that
        surely make a lexeme (makes_a_lexeme); none without statistics."""
        if not self.rows:
            return []
        if as_prefixes:
            return [w for w in words if self.of_prefix(w) <= self.rarer and makes_a_lexeme(w)]
        return [w for w in words if w not in self.shares and makes_a_lexeme(w)]

    def cheapest_walk(self, known: list[str], last: str | None, wanted: int) -> list[str]:
        """Of the known words, the rarest few whose rows cost least to have the index give
        and to check for the others and the last word, a prefix (None: known holds every
        word, whole), until wanted are found. Another word asked of the index costs its
        entries, and pays when it narrows the rows given and checked: for "nuclear arms
        control", "nuclear" alone gave 225,000 rows and took 57-68 ms, with "arms" 103,000
        and 42 ms."""

        def checked(chosen: list[str]) -> float:
            others = math.prod(self.of(word) for word in known if word not in chosen)
            passing = others * (self.of_prefix(last) if last is not None else 1.0)
            return min(math.prod(map(self.of, chosen)), wanted / self.rows / passing)

        return self._cheapest(known, checked)

    def cheapest_newest(self, terms: list[str]) -> list[str]:
        """Of terms, all known and the last taken whole, the rarest few to ask the index for
        the newest statements' matches: their rows are ANDed with the newest NEWEST_WALKED
        statements' dates, and those left are checked for the other words. At 1,000,000
        statements: "zakharova specific contacts", "specific" alone 17.8 ms, with
        "contacts" 7.6; "nuclear arms control", "control" alone 20.7 ms, with "nuclear"
        13.3; but "strategic stability", "stability" alone 4.6 ms, with "strategic" 8.3."""
        newest = min(NEWEST_WALKED / self.rows, 1.0)
        return self._cheapest(terms, lambda chosen: math.prod(map(self.of, chosen)) * newest)

    def _cheapest(self, words: list[str], checked) -> list[str]:
        """The rarest few of words whose entries and rows cost least: an entry of the index
        read, a row put in the bitmap it gives, and checked(chosen), the share of statements
        whose rows are then read and checked."""
        rarest_first = sorted(words, key=self.of)

        def cost(chosen: list[str]) -> float:
            given = math.prod(map(self.of, chosen))
            read = sum(map(self.of, chosen)) * ENTRY_READ + given * ROW_GIVEN
            return self.rows * (read + checked(chosen) * ROW_CHECKED)

        return min((rarest_first[:n] for n in range(1, len(words) + 1)), key=cost)

    def _rarest_together(self, whole_words: list[str]) -> list[str] | None:
        """The fewest of whole_words, rarest first, expected together in at most
        INDEXED_MATCHES statements."""
        expected, chosen = self.rows, []
        for word in sorted(whole_words, key=self.of):
            chosen.append(word)
            expected *= self.of(word)
            # At least one word the statistics know: a word they do not may be one that
            # PostgreSQL's parser makes nothing of ("²"), and a query of only such words
            # would match nothing, where among others it is left out.
            if expected <= INDEXED_MATCHES and any(word in self.shares for word in chosen):
                return chosen
        return None

    def fill_recent(self, terms: list[str], wanted: int) -> bool:
        """Whether the recent statements' index (recent_index.py) is to be asked first for
        the newest matches: there is one, and the words, each known to the statistics, are
        expected together (as if independent) in wanted statements at least, so that the
        whole index would give as many. With fewer, or with a word the statistics do not
        know (a name, a misspelling, in fewer than `rarer` of statements), the whole index
        likely gives every match in one query, which a first one here would only delay."""
        return bool(self.recent_since) and self._known_together(terms) >= wanted

    def _known_together(self, terms: list[str], among: float | None = None) -> float:
        """How many of among statements (all, by default) are expected to hold every word (as
        if words were independent) when the statistics know each; 0 when they do not know
        one (rarer than `rarer`, by how much they cannot say), or without statistics."""
        if not self.rows or any(word not in self.shares for word in terms):
            return 0.0
        return (self.rows if among is None else among) * math.prod(
            self.shares[word] for word in terms
        )

    def common(self, terms: list[str]) -> bool:
        """Whether the words are expected together (as if independent) in more than
        WHOLE_SHARE of statements: their newest matches are then as cheap to find as any."""
        return bool(self.rows) and math.prod(map(self.of, terms)) > WHOLE_SHARE

    def fill_newest(self, terms: list[str], wanted: int) -> bool:
        """Whether the words the statistics know are expected together in wanted of the
        newest NEWEST_WALKED statements: then those statements' matches are asked for first
        ("Ryabkov", in 2.8% of statements), and the index's others only if they fall short."""
        return self._known_together(terms, among=min(self.rows, NEWEST_WALKED)) >= wanted

    def enough_whole(self, terms: list[str], wanted: int) -> bool:
        """Whether the words, the last one whole too, are expected in wanted statements at
        least three times over: then the index can first be asked for the last word whole,
        not for the range of entries its prefix spans, two to three times the cost of the
        word alone ("Ryabkov": 13 ms against 7 at 1,000,000 statements; "control", in 11% of
        statements, 15 ms against 48). A last word common by itself counts too, unless the
        words together are common: those find their newest matches by walking the date
        index (search.statements), which serves a common prefix better. Only for words the
        statistics know."""
        return not self.common(terms) and self._known_together(terms) >= 3 * wanted


def makes_a_lexeme(word: str) -> bool:
    """Whether PostgreSQL's parser surely makes a lexeme of word, which the statistics may not
    know: it holds a letter, of any script, or an ASCII digit. Of other characters it may make
    nothing ("²", "①"), and a query of such words alone would match nothing."""
    return any(unicodedata.category(c).startswith("L") or c in string.digits for c in word)


_read = {"at": -math.inf, "frequencies": Frequencies()}


def statement_words() -> Frequencies:
    """The statements' word frequencies, as the last ANALYZE found them (none before one)."""
    if time.monotonic() - _read["at"] > REFRESH_SECONDS:
        _read["frequencies"] = _statistics()
        _read["at"] = time.monotonic()
    return _read["frequencies"]


def _statistics() -> Frequencies:
    with connections[router.db_for_read(Statement)].cursor() as cursor:
        cursor.execute(STATISTICS_SQL, [NEWEST_WALKED, Statement._meta.db_table])
        row = cursor.fetchone()
    if not row or not row[0]:
        return Frequencies()
    words, shares, rows, newest_since, recent_since = row
    # The shares of the words, then two or three figures about them all (least, most, and
    # for arrays the share of empty ones).
    shares = dict(zip(words, shares[: len(words)], strict=True))
    return Frequencies(
        shares,
        rarer=min(shares.values()),
        rows=max(rows, 0.0),
        newest_since=newest_since,
        recent_since=recent_since,
    )
