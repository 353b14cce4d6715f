"""The searches that OpenSearch answers: the statements and the sources a search's words
match, best first, at most CANDIDATES of each, as ids for treaties/search.py to load."""

import logging
import math
import time

from opensearchpy.exceptions import OpenSearchException

from treaties.search import CANDIDATES, EngineUnavailable

from .client import opensearch
from .indexing import index_name, ready

logger = logging.getLogger(__name__)

# How much a word found in each part of a record counts, as PostgreSQL's weights A to D do in
# its documents (treaties/sql/summaries.sql, documents.sql): every word must be found
# somewhere in the record ("all"), and where it is found ranks it.
STATEMENT_FIELDS = {"text": 4, "original_text": 2, "names": 2, "context": 1, "note": 0.5}
SOURCE_FIELDS = {"title": 4, "author": 2, "outlet": 1}


def matching(terms: list[str], fields: dict[str, float], *, every_word_a_prefix=False) -> dict:
    """Every word in the record, the last as a prefix (it may still be being typed), or every
    word a prefix, as PostgreSQL's search asks of each kind; ranked by where they are found."""
    words = " ".join(terms)
    must = [
        {"match_bool_prefix": {"all": {"query": phrase, "operator": "and"}}}
        for phrase in (terms if every_word_a_prefix else [words])
    ]
    return {
        "bool": {
            "must": must,
            "should": [
                {"match": {field: {"query": words, "boost": boost}}}
                for field, boost in fields.items()
            ],
        }
    }


# After OpenSearch failed to answer, searches go to PostgreSQL for this long without asking
# it again: while it is down or hung, a search costs nothing more, rather than two timeouts.
PAUSE_AFTER_FAILURE_SECONDS = 30


class OpenSearchEngine:
    """The engine named by settings.SEARCH_ENGINE when SEARCH_ENGINE=opensearch (one a
    process, kept by treaties/search.py)."""

    def __init__(self):
        self.failed_at = -math.inf

    def statement_candidates(self, terms: list[str]) -> list[int]:
        return self._ids("statements", matching(terms, STATEMENT_FIELDS), date="date")

    def source_candidates(self, terms: list[str]) -> list[int]:
        # PostgreSQL matches every word of a source search as a prefix (search.sources).
        query = matching(terms, SOURCE_FIELDS, every_word_a_prefix=True)
        query["bool"]["filter"] = [{"term": {"public": True}}]
        return self._ids("sources", query, date="published_on")

    def _ids(self, kind: str, query: dict, *, date: str) -> list[int]:
        """The ids of the best CANDIDATES matches, best first, the newest first among equals
        (OpenSearch ranks every match, and keeps only the best in memory while it does)."""
        body = {
            "query": query,
            "size": CANDIDATES,
            "_source": False,
            "track_total_hits": False,
            "sort": ["_score", {date: {"order": "desc", "missing": "_last"}}],
        }
        name = index_name(kind)
        if time.monotonic() - self.failed_at < PAUSE_AFTER_FAILURE_SECONDS:
            raise EngineUnavailable("OpenSearch failed to answer a moment ago")
        if not ready(name):
            raise EngineUnavailable(f"{name} is still being loaded")
        try:
            found = opensearch().search(index=name, body=body)
        except OpenSearchException as error:
            self.failed_at = time.monotonic()
            logger.warning("OpenSearch did not answer a search of %s: %s", kind, error)
            raise EngineUnavailable(str(error)) from error
        return [int(hit["_id"]) for hit in found["hits"]["hits"]]
