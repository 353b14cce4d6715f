"""The database expressions full-text search is built from, shared by the models (stored
search vectors, name indexes) and by the search querysets in treaties/search.py.

Everything here must be IMMUTABLE in PostgreSQL's sense, because it is stored in generated
columns and indexed: to_tsvector() with an explicit text search configuration is, and
unaccent() is not (its dictionary can change), so names go through an immutable wrapper
created by migration 0004.
"""

import functools
import operator

from django.contrib.postgres.search import SearchVector
from django.db.models import Func, TextField
from django.db.models.functions import Lower

# The text search configuration made by migration 0002: the "simple" parser and dictionary
# behind unaccent, no stemming, so that names in any language match as written.
CONFIG = "armscontrol"


def document(*weighted_fields: tuple[str, str]):
    """A weighted tsvector over fields: document(("title", "A"), ("description", "B"))."""
    vectors = [
        SearchVector(field, weight=weight, config=CONFIG) for field, weight in weighted_fields
    ]
    return functools.reduce(operator.add, vectors)


class ImmutableUnaccent(Func):
    """public.immutable_unaccent(text): unaccent() pinned to its dictionary, so indexable."""

    function = "public.immutable_unaccent"
    output_field = TextField()


def folded(expression):
    """A name folded for matching: lower case, accents removed ("Zajárova" -> "zajarova")."""
    return Lower(ImmutableUnaccent(expression))
