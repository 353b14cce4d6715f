"""The skeleton of a name: one spelling for all the ways a Russian name is written in Latin
letters, so that "Patruschew" (German), "Patrouchev" (French), "Patrúshev" (Spanish),
"Patruszew" (Polish) and "Патрушев" all become "patruchov".

Why a skeleton before the trigram match, rather than a lower similarity threshold. Trigram
similarity counts shared three-letter runs; transliterations of one name differ in just the
letters that make those runs ("sch"/"sh"/"ch", "w"/"v", "j"/"i"/"kh", "ou"/"u"), so a German
spelling shares too few trigrams with the English one to pass the threshold, and lowering the
threshold until it does also lets unrelated names in (and ranks them above the right one).
Folding each spelling system's rules first makes the variants equal or one letter apart,
which the ordinary threshold accepts and ranks first; editors need not type each spelling as
an alias. The rules are deliberately lossy (ш and ч both become "ch", "-ev" and "-ov" endings
meet, as Горбачёв is "Gorbachev" and "Gorbachov"): the skeleton only proposes candidates
that trigram similarity then ranks, and is never shown.

The rules are data (data/transliteration.json), used twice from this one definition:
- in Python, by skeleton(): intake finds names in a pasted article (intake/names.py);
- in PostgreSQL, by public.name_skeleton(), an IMMUTABLE SQL function generated from the
  same tables by function_sql() and created by a migration, so that the skeletons of every
  name and alias sit in trigram indexes (expression indexes: rows written by COPY, the
  admin or a merge are covered alike) and search compares them with the query's.
test_names.py checks that the function in the database is the one these tables make, and
that both give the same skeleton for every spelling on its list.
"""

import json
import re
import unicodedata
from pathlib import Path

from django.db.models import Func, TextField

TABLES = json.loads((Path(__file__).parent / "data" / "transliteration.json").read_text())
FUNCTION = "public.name_skeleton"


def skeleton(name: str) -> str:
    text = name.lower()
    text = "".join(TABLES["letters"].get(char, char) for char in text)
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    text = unicodedata.normalize("NFC", text)  # й and ё come back whole after NFKD
    for old, new in TABLES["cyrillic_pairs"]:
        text = text.replace(old, new)
    text = "".join(TABLES["cyrillic"].get(char, char) for char in text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = f" {' '.join(text.split())} "
    for pattern, replacement in TABLES["latin"]:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"(.)\1+", r"\1", text)  # Patrusshev, Dmitrii
    return " ".join(text.split())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def function_sql() -> str:
    """CREATE FUNCTION public.name_skeleton(text): skeleton() in SQL, step for step.

    lower(), then unaccent() in place of NFKD (it also spells out ł and ß, which the
    'letters' table does for Python), then the same replacements and regular expressions.
    """
    expression = "lower($1)"
    replacements = [*TABLES["letters"].items()]
    for old, new in replacements:
        expression = f"replace({expression}, {_literal(old)}, {_literal(new)})"
    expression = f"public.immutable_unaccent({expression})"
    for old, new in [*TABLES["cyrillic_pairs"], *TABLES["cyrillic"].items()]:
        expression = f"replace({expression}, {_literal(old)}, {_literal(new)})"
    expression = f"regexp_replace({expression}, '[^a-z0-9 ]+', ' ', 'g')"
    expression = f"' ' || btrim(regexp_replace({expression}, ' +', ' ', 'g')) || ' '"
    for pattern, replacement in TABLES["latin"]:
        expression = (
            f"regexp_replace({expression}, {_literal(pattern)}, {_literal(replacement)}, 'g')"
        )
    expression = f"regexp_replace({expression}, '(.)\\1+', '\\1', 'g')"
    expression = f"btrim(regexp_replace({expression}, ' +', ' ', 'g'))"
    return (
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(text) RETURNS text\n"
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT\n"
        f"RETURN {expression};"
    )


class NameSkeleton(Func):
    """public.name_skeleton(text) in a query or an index (see function_sql())."""

    function = FUNCTION
    output_field = TextField()
