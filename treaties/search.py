"""Search: ranked full text over statements, events, treaties and sources, and fuzzy,
accent-insensitive matching of actor names and every alias.

How a query matches. It is split into words (at most MAX_WORDS), each matched as a prefix, so
that results appear while a word is still being typed and "contact" finds "contacts" (the
`armscontrol` configuration does not stem). Every word must match a record somewhere:

- a statement, in its search document: its own words, its speaker's name and every alias,
  and the names of the treaties it concerns, folded together by the database when any of
  them changes (treaties/sql/summaries.sql; for a speaker or a treaty with thousands of
  statements, by a worker in the minutes after: refold.sql). So "zakharova specific
  contacts" finds her quote, "Zajárova", "Zajarova" and "Захарова" too (accents are
  folded; aliases in any script are in the document), and one GIN lookup answers the whole
  query.
- an event, in its search document, which likewise folds in the names and aliases of the
  actors involved and the names of its treaties (treaties/sql/documents.sql);
- a source, in its title, author and its outlet's names and aliases, folded the same way
  (names in these documents match as written, in any of their spellings on record, but not
  by closeness: a misspelt name finds the actor below, not their events and sources);
- a treaty, in its names or summary.
An actor is listed when every word is close to one of its names or aliases ("maria
zakharova"; trigram word similarity on accent-folded names, or on their transliteration
skeletons, so that "Patruschew" and "Шойгу" find Patrushev and Shoigu with no alias typed:
see treaties/transliteration.py); a word that is close to no one's name ("specific") leaves
the actors out.

Bounded work per query: statements and sources are large tables, so the index gives at most
CANDIDATES matches, which are then ranked; counts above that are shown as "300+". Those are
the newest matches among the newest statements (word_frequencies.NEWEST_WALKED, or the more
that the recent statements' own index holds: treaties/recent_index.py), then as many others
as the index gives first. A search of several common words asks the index only for its
rarest words, when the planner's statistics say they are rare enough together or the last
word is common, and checks the others on those rows (treaties/word_frequencies.py).
Only the page shown gets highlighted excerpts.

The database's full-text search is the default engine. A site that outgrows one PostgreSQL
names another in settings.SEARCH_ENGINE (SEARCH_ENGINE=opensearch: opensearch_backend/),
which answers only what grows with the data, the statements' and sources' ranked candidates
(statement_candidates(terms) and source_candidates(terms), ids); their rows are then loaded
and highlighted here as they are for PostgreSQL's own candidates, and PostgreSQL answers
whenever that engine cannot (EngineUnavailable).
"""

import contextlib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .fulltext import CONFIG, folded
from .models import Actor, ActorAlias, Event, Source, Statement, Treaty
from .transliteration import NameSkeleton
from .word_frequencies import statement_words

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# How many matches of a large table are ranked: the work per query stops there.
CANDIDATES = 300
# A word: letters and digits in any script. Underscores and punctuation separate words, so
# nothing in a word has a meaning in tsquery syntax.
WORD = re.compile(r"[^\W_]+")

# ts_headline marks matches with these private-use characters; the text is HTML-escaped
# first and only then are they turned into <mark> tags (see highlighted()).
START, STOP = "\ue000", "\ue001"
# Quotes up to this many characters are shown whole in the results.
QUOTE_SHOWN_WHOLE = 700


STOPWORDS = frozenset(
    line
    for line in (Path(__file__).parent / "data" / "stopwords.txt").read_text().splitlines()
    if line and not line.startswith("#")
)


def words(query: str) -> list[str]:
    """The distinct words of a query, in order, at most MAX_WORDS of them; words such as "the"
    are left out, unless the query has nothing else."""
    found = list(dict.fromkeys(word.lower() for word in WORD.findall(query)))
    meaningful = [word for word in found if word not in STOPWORDS]
    return (meaningful or found)[:MAX_WORDS]


def raw_query(expression: str) -> SearchQuery:
    """A tsquery written out, one to_tsquery() call however many words. Safe: a word holds
    letters and digits only (see WORD), so nothing in it has a meaning in tsquery syntax, and
    a word that PostgreSQL's parser makes nothing of ("²") is left out of it."""
    return SearchQuery(expression, search_type="raw", config=CONFIG)


def prefix_query(word: str, weights: str = "") -> SearchQuery:
    return raw_query(f"{word}:*{weights}")


def whole_words_query(words: list[str]) -> SearchQuery:
    return raw_query(" & ".join(words))


def any_word_query(terms: list[str]) -> SearchQuery:
    """Matches a document holding any of the words: used for ranking and highlighting."""
    return raw_query(" | ".join(f"{word}:*" for word in terms))


def all_words_query(terms: list[str]) -> SearchQuery:
    return raw_query(" & ".join(f"{word}:*" for word in terms))


def typed_query(terms: list[str], *, last_whole: bool = False) -> SearchQuery:
    """Every word, the last as a prefix (it may still be being typed) unless last_whole, the
    others whole: a whole word is one entry of the GIN index, a prefix a range of them, which
    costs far more when many words are common."""
    last = terms[-1] if last_whole else f"{terms[-1]}:*"
    return whole_words_query([*terms[:-1], last])


@contextlib.contextmanager
def index_lookups():
    """A transaction in which the planner takes matches from the GIN indexes.

    With LIMIT CANDIDATES and a common word, the planner's cheapest-looking plan is a
    sequential scan that stops after CANDIDATES matches, which for a word in 3% of rows
    reads 30,000 of them; the index reads only the matches. More memory keeps the bitmap of
    a common word exact instead of lossy (no recheck of every row on a lossy page).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'")
        yield


# Building blocks: what one word can match -----------------------------------------------


def close_to(word: str) -> set[int]:
    """The actors with a name or an alias close to word, once both are accent-folded ("Zajárova"
    finds "zajarova") or put through their transliteration skeletons ("Patruschew", "Patrouchev"
    and "Патрушев" find Nikolai Patrushev without those spellings on record: see
    treaties/transliteration.py). One query: a union of four lookups, each served by its
    GIN trigram index on names or aliases (an OR between them would read every actor)."""
    lookups = []
    for key in (folded, NameSkeleton):
        target = key(Value(word))
        for model, actor in ((Actor, "pk"), (ActorAlias, "actor_id")):
            close = model.objects.alias(key=key("name")).filter(key__trigram_word_similar=target)
            lookups.append(close.order_by().values_list(actor, flat=True))
    first, *others = lookups
    return set(first.union(*others).order_by())


def _headline(field: str, terms: list[str], **options) -> SearchHeadline:
    return SearchHeadline(
        field, any_word_query(terms), config=CONFIG, start_sel=START, stop_sel=STOP, **options
    )


# Another engine for the large tables ------------------------------------------------------


class EngineUnavailable(Exception):
    """The engine named by settings.SEARCH_ENGINE could not answer: PostgreSQL answers."""


@functools.cache
def _engine(path: str):
    return import_string(path)()


def _from_engine(question: str, terms: list[str], public) -> list[int] | None:
    """The ranked candidates of the engine named by settings.SEARCH_ENGINE, if one is named
    and answers (opensearch_backend/engine.py), less any not among public() (an index is
    seconds behind an edit, more while its feeding is stopped); None when PostgreSQL's search
    is to answer."""
    if not settings.SEARCH_ENGINE:
        return None
    try:
        ranked = getattr(_engine(settings.SEARCH_ENGINE), question)(terms)
    except EngineUnavailable:
        return None
    shown = set(public().filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in shown]


# The result sets, ranked ------------------------------------------------------------------


class Ranked:
    """Records in ranked order, from their ids, loaded a slice at a time: what Paginator and
    the overview read. A slice is one query, plus its prefetches, for the rows shown."""

    def __init__(self, ranked_ids: list[int], count: int, queryset):
        self.ranked_ids, self.size, self.queryset = ranked_ids, count, queryset

    def __len__(self):
        return self.size

    def count(self):
        return self.size

    def __getitem__(self, index: slice) -> list:
        ids = self.ranked_ids[index]
        # In no order: they are put in theirs here (an ORDER BY also costs Django's compiler
        # a hash of every column and annotation selected, a tenth of this query's time).
        found = self.queryset.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def statements(terms: list[str]) -> tuple[Ranked, int]:
    """Published statements matching every word, best first among at most CANDIDATES
    matches (the newest first: _statement_candidates), and how many candidates there are.
    The rows shown come with `headline`, their words with the matches marked."""
    ranked = _from_engine("statement_candidates", terms, Statement.objects.published)
    if ranked is None:
        ranked = _statement_candidates(terms)
    shown = (
        # The search page shows a statement as a card, with its best passage for words.
        Statement.objects.for_cards().annotate(
            # A quote of a few sentences is shown whole; a long one as its best passage.
            headline=Case(
                When(
                    LessThanOrEqual(Length("text"), QUOTE_SHOWN_WHOLE),
                    then=_headline("text", terms, highlight_all=True),
                ),
                default=_headline("text", terms, max_words=50, min_words=25, short_word=2),
            ),
        )
    )
    return Ranked(ranked, len(ranked), shown), len(ranked)


def _statement_candidates(terms: list[str]) -> list[int]:
    """PostgreSQL's answer: the ids of at most CANDIDATES matches, ranked. Those are the
    newest matches among the newest statements (_newest_matching), and if they are fewer than
    CANDIDATES, as many others as the index gives first."""
    # Taken once, with what ranks them: ranking them does not search the index again. In no
    # order (not the model's): an ORDER BY would read and sort every match first...
    found = (
        Statement.objects.published()
        .order_by()
        .annotate(rank=SearchRank(F("search_vector"), any_word_query(terms)))
        .values_list("rank", "date", "pk")
    )
    words = statement_words()
    matching = found.filter(_matching_statements(terms, words))
    # ...except among the newest statements: the other matches come from the index in the
    # order of the table, which is the order they were entered in, so the first of them
    # are the oldest on record, and a word in some thousands of statements would never
    # find one from last week.
    recent = None
    if words.common(terms):
        # Where PostgreSQL walks an index and checks each row rather than read a bitmap of
        # every match ("treaty", "new start"): the date index, from the newest, at the cost
        # of walking whichever index it would take (the speaker's, in id order, where one
        # speaker's oldest quotes would fill the candidates).
        recent = _newest(matching, words.newest_since)
    elif words.fill_newest(terms, CANDIDATES) or words.fill_recent(terms, CANDIDATES):
        # Where the newest statements likely hold enough ("Ryabkov"), or where the whole
        # index would give at least CANDIDATES and the recent statements have an index of
        # their own, whose matches cost what those statements hold: "nuclear arms control"
        # finds its 300 there, in 3 ms, where the whole index took 10-15 ms for each of two
        # queries. Either way, from that index where there is one (_newest_matching).
        recent = _newest_matching(found, terms, words)
    if recent is not None and len(recent) == CANDIDATES:
        return _ranked(recent)
    first = _first_given(found, matching, terms, words)
    if len(first) < CANDIDATES:
        return _ranked(first)  # every match
    if recent is None:
        recent = _newest_matching(found, terms, words)
    taken = {pk for _, _, pk in recent}
    others = [row for row in first if row[2] not in taken]
    return _ranked(recent + others[: CANDIDATES - len(recent)])


def _first_given(found, matching, terms: list[str], words) -> list[tuple]:
    """The first CANDIDATES matches the index gives, in the order of the table."""
    if words.enough_whole(terms, CANDIDATES):
        # The last word whole: reading its prefix's range of the index costs two to three
        # times as much. The index is asked for the words that cost least to read and check
        # for the others: "control" and "nuclear" for "nuclear arms control", and for
        # "ryabkov treaty" not the 843,000 entries of "treaty". Kept only when it fills the
        # candidates; short of that, the prefix is read after all.
        asked = words.cheapest_walk(terms, None, CANDIDATES)
        every = typed_query(terms, last_whole=True)
        if len(asked) == len(terms):
            matches = Q(search_vector=every)
        else:
            matches = _asked_then_checked(whole_words_query(asked), every)
        whole = list(found.filter(matches)[:CANDIDATES])
        if len(whole) == CANDIDATES:
            return whole
    return list(matching[:CANDIDATES])


def _asked_then_checked(asked: SearchQuery, every: SearchQuery) -> Q:
    """The index asked for some of the words (asked), and every word (every) checked on the
    rows it gives."""
    return Q(search_vector=asked) & Q(Unindexed(F("search_vector"), every))


def _newest(candidates, since) -> list[tuple]:
    """The newest of candidates, dated from since (if known) on."""
    if since:
        candidates = candidates.filter(date__gte=since)
    return list(candidates.order_by("-date", "-pk")[:CANDIDATES])


def _newest_matching(found, terms: list[str], words) -> list[tuple]:
    """The newest matches among the statements that the recent statements' index holds
    (recent_index.py: a bound on its cutoff is what makes the planner take it), or without
    one, among the newest NEWEST_WALKED statements."""
    since = words.recent_since or words.newest_since
    return _newest(found.filter(_matching_newest(terms, words)), since)


def _matching_newest(terms: list[str], words) -> Q:
    """Statements holding every word, for a bitmap that the newest statements' dates bound,
    or that the recent statements' index gives: the index is asked for the rarest words that
    cost least to read and check (words.cheapest_newest: reading the entries of "strategic"
    too, for "strategic stability", costs more than checking the rows that "stability"
    gives, where "nuclear" beside "control" pays), and every word is checked on the rows it
    gives. That is when
    words.enough_whole() says the last word may be asked for whole; otherwise the index is
    asked for the rarest word alone, a last word as a prefix. (A rarest word that the
    statistics do not know may be one that PostgreSQL's parser makes nothing of, "²", and
    match nothing here: the candidates are then the index's others alone.)"""
    if words.enough_whole(terms, CANDIDATES):
        indexed = whole_words_query(words.cheapest_newest(terms))
    else:
        *whole, last = terms
        shares = {word: words.of(word) for word in whole} | {last: words.of_prefix(last)}
        rarest = min(shares, key=shares.get)
        indexed = prefix_query(rarest) if rarest == last else whole_words_query([rarest])
    if len(terms) == 1:
        return Q(search_vector=indexed)
    return _asked_then_checked(indexed, typed_query(terms))


def _ranked(candidates: list[tuple]) -> list[int]:
    """The ids of candidates (rank, date, id), best first, then the newest (the model's
    order)."""
    return [pk for _, _, pk in sorted(candidates, reverse=True)]


class Unindexed(Func):
    """document @@ query written as the function it stands for, which no index serves: words
    checked on the rows that the index gave for other words."""

    function = "ts_match_vq"
    output_field = BooleanField()


def _matching_statements(terms: list[str], words) -> Q:
    """Statements holding every word, the last as a prefix. The GIN index reads every match
    of each word it is given (for ten common words, hundreds of thousands of entries), so
    when some of the whole words are rare enough together, or the last word is so common
    that its rows soon turn up (word_frequencies.py), only those go to the index, and every
    word is checked on the rows it gives."""
    if indexed := words.indexed_words(terms[:-1], terms[-1], CANDIDATES):
        return _asked_then_checked(whole_words_query(indexed), typed_query(terms))
    return Q(search_vector=typed_query(terms))


def matching_every_prefix(terms: list[str]) -> Q:
    """Statements holding a word that begins with each of terms (the search feed's match).
    A word the statistics do not know begins no common word either: when there are some, the
    index is asked for those alone, and the others are checked on the rows they give, for a
    common prefix's range costs the most to read (the feed of "treaty lebedew t": 145 ms at
    1,000,000 statements, 18 ms so)."""
    every = all_words_query(terms)
    rare = statement_words().unknown(terms, as_prefixes=True)
    if not rare or len(rare) == len(terms):
        return Q(search_vector=every)
    return _asked_then_checked(all_words_query(rare), every)


def events(terms: list[str]):
    # The document holds the actors' names and the treaties' too (treaties/sql/documents.sql).
    return (
        Event.objects.published()
        .filter(search_vector=all_words_query(terms))
        .annotate(
            rank=SearchRank(F("search_vector"), any_word_query(terms)),
            title_headline=_headline("title", terms, highlight_all=True),
            headline=_headline("description", terms, max_words=35, min_words=15),
        )
        .defer("search_vector")
        .order_by("-rank", "-date", "-id")
    )


def treaties(terms: list[str]):
    return (
        Treaty.objects.filter(search_vector=all_words_query(terms))
        .annotate(
            rank=SearchRank(F("search_vector"), any_word_query(terms)),
            headline=_headline("summary", terms, max_words=35, min_words=15),
        )
        .defer("search_vector")
        .order_by("-rank", "short_name")
    )


def _shown_sources(sources, terms: list[str]):
    return (
        sources.annotate(title_headline=_headline("title", terms, highlight_all=True))
        .select_related("outlet")
        .defer("search_vector")
    )


def sources(terms: list[str]) -> tuple[object, int | None]:
    """Public sources, best first among the CANDIDATES matches entered last, and how many
    there are when it is known already. PostgreSQL's search is one query: the candidates are
    a LIMITed subquery, so ranking and counting them (Group.first's window) read at most
    CANDIDATES rows; another engine gives the ranked candidates, and their rows are loaded
    as shown."""
    if (ranked := _from_engine("source_candidates", terms, Source.objects.public)) is not None:
        return Ranked(ranked, len(ranked), _shown_sources(Source.objects.all(), terms)), len(ranked)
    # The document holds the outlet's names too (treaties/sql/documents.sql). The newest
    # entered first: the index alone gives matches in the order of the table, the oldest
    # first. There are a twentieth as many sources as statements, so the planner's choice
    # is cheap either way: it walks the primary key backwards for a common word and sorts a
    # rarer word's matches, at most 2.3 ms for any word at 50,000 sources.
    candidates = (
        Source.objects.public()
        .filter(search_vector=all_words_query(terms))
        .order_by("-pk")
        .values("pk")[:CANDIDATES]
    )
    ranked = (
        _shown_sources(Source.objects.filter(pk__in=candidates), terms)
        .annotate(rank=SearchRank(F("search_vector"), any_word_query(terms)))
        .order_by("-rank", F("published_on").desc(nulls_last=True), "title")
    )
    return ranked, None


def _closeness(query: str, name):
    """How close query is to a name, as written (accents folded) or by skeleton: the better."""
    return Greatest(
        TrigramWordSimilarity(folded(Value(query)), folded(name)),
        TrigramWordSimilarity(NameSkeleton(Value(query)), NameSkeleton(name)),
    )


def actors(terms: list[str]):
    """Actors with a name or alias close to every word, as written or transliterated, the
    closest first (the best of its name and aliases).

    The words are looked up one at a time, and the lookups stop at a word close to no one's
    name: most searches ("specific contacts") name no actor, and cost one small query here.
    """
    matching: set[int] = set()
    for n, word in enumerate(terms):
        matching = close_to(word) if n == 0 else matching & close_to(word)
        if not matching:
            break
    query = " ".join(terms)
    best_alias = (
        ActorAlias.objects.filter(actor=OuterRef("pk"))
        .annotate(similarity=_closeness(query, "name"))
        .order_by("-similarity")
        .values("similarity")[:1]
    )
    return (
        Actor.objects.filter(pk__in=matching)
        .annotate(
            similarity=Greatest(
                _closeness(query, "name"),
                Coalesce(Subquery(best_alias), Value(0.0), output_field=FloatField()),
            )
        )
        .prefetch_related("aliases")
        .order_by("-similarity", "name")
    )


@dataclass(frozen=True)
class Group:
    """One kind of result on the search page."""

    key: str
    label: str
    queryset: object
    # Known for statements, whose candidates are taken before they are ranked, and for sources
    # when another engine gave theirs; None for the others, counted by first() or total()
    # when they are read (PostgreSQL's sources by their LIMITed candidates, the small tables
    # by the table).
    known_count: int | None
    overview_size: int  # how many are shown on the "all kinds" page

    def first(self, size: int) -> tuple[list, int]:
        """The best size records and how many match in all. A known count (statements', and
        sources' from another engine) comes with a slice of the ranked candidates; any other
        kind's rows are one query, the count riding along as a window over the matches (their
        table or their candidates bound them)."""
        if self.known_count is not None:
            return list(self.queryset[:size]) if self.known_count else [], self.known_count
        rows = list(self.queryset.annotate(matches=Window(Count("pk")))[:size])
        return rows, rows[0].matches if rows else 0

    def total(self) -> int:
        return self.queryset.count() if self.known_count is None else self.known_count

    def capped(self, count: int) -> bool:
        """Whether count stopped at CANDIDATES (only the large tables are capped)."""
        return self.key in CAPPED_KINDS and count >= CANDIDATES


# The kinds whose matches are taken from the index at most CANDIDATES at a time.
CAPPED_KINDS = {"statements", "sources"}


def groups(terms: list[str]) -> list[Group]:
    """Every kind: statements with their candidates taken (at most CANDIDATES), and sources'
    too when another engine gives them; the others ready to be read (Group.first and
    Group.total count them)."""
    statement_matches, statement_count = statements(terms)
    source_matches, source_count = sources(terms)
    return [
        Group("statements", "Statements", statement_matches, statement_count, 8),
        Group("actors", "Actors", actors(terms), None, 4),
        Group("treaties", "Treaties", treaties(terms), None, 3),
        Group("events", "Events", events(terms), None, 5),
        Group("sources", "Sources", source_matches, source_count, 4),
    ]


# Highlighting -------------------------------------------------------------------------------


def highlighted(headline: str, full_text: str = "") -> str:
    """A ts_headline result as safe HTML: escaped first, then the markers become <mark>.

    Nothing an editor typed (or a searcher) can become markup: only the two private-use
    marker characters, inserted by the database, are turned into tags. With full_text, an
    ellipsis says where the excerpt was cut.
    """
    if not headline:
        return ""
    plain = headline.replace(START, "").replace(STOP, "")
    html = escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
    if full_text:
        text = full_text.strip()
        if plain.strip() and not text.startswith(plain.strip()[:20]):
            html = "… " + html
        if plain.strip() and not text.endswith(plain.strip()[-20:]):
            html += " …"
    return mark_safe(html)  # escaped above; only <mark> tags added


def _fold(character: str) -> str:
    decomposed = unicodedata.normalize("NFKD", character)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def mark_words(text: str, terms: list[str]) -> str:
    """Short text (a name) as safe HTML with words beginning with a search word in <mark>.

    Accent- and case-insensitive like the search itself: "zajarova" marks "Zajárova".
    """
    folded_chars = [_fold(c) for c in text]
    terms = ["".join(_fold(c) for c in word) for word in terms]
    spans = []
    for start in range(len(text)):
        at_word_start = start == 0 or not text[start - 1].isalnum()
        if not at_word_start or not text[start].isalnum():
            continue
        for word in terms:
            end, matched = start, ""
            while end < len(text) and len(matched) < len(word):
                matched += folded_chars[end]
                end += 1
            if matched.startswith(word):
                spans.append((start, end))
                break
    html, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        html.append(escape(text[cursor:start]))
        html.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    html.append(escape(text[cursor:]))
    return mark_safe("".join(html))  # every piece escaped
