"""Splitting an article into paragraphs, sentences and quotations, keeping character offsets.

Every span is (start, end) into the pasted text, so that what the review screen shows and
what a draft keeps point at the same characters.
"""

import dataclasses
import re
import unicodedata

# Quotation marks: opening mark -> the marks that may close it.
PAIRS = {"“": "”", "„": "“”", "«": "»", "‹": "›", "”": "”", '"': '"'}
# Single marks open only inside a quotation: at the top level ’ is an apostrophe (let’s).
NESTED_PAIRS = {"‘": "’", "‚": "‘’", "'": "'"}

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "jr", "sr", "prof", "no"}
SENTENCE_END = re.compile(r"[.!?]+[”\"»’)]*\s+(?=[“\"«„(‘'\w])")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclasses.dataclass(frozen=True)
class Quote:
    start: int  # the first character inside the marks
    end: int  # just after the last character inside the marks
    text: str


@dataclasses.dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # 1-based, as an editor counts


def fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        stripped = "".join(c for c in base if not unicodedata.combining(c))
        out.append(stripped[:1].lower() if len(stripped) >= 1 else char.lower())
    return "".join(out)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty blocks separated by blank lines (or single line breaks)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]+)*", text)]


def quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Top-level quotations between start and end; nested ones stay inside their outer one.

    A quotation left open at the end of the span is dropped: it may be an inch mark or a
    typo, and guessing where it ends would make up words.
    """
    end = len(text) if end is None else end
    found = []
    stack: list[tuple[str, int]] = []
    for i in range(start, end):
        char = text[i]
        if stack:
            opener, _ = stack[-1]
            closers = PAIRS.get(opener) or NESTED_PAIRS.get(opener, "")
            is_apostrophe = char in "’'" and i + 1 < end and text[i + 1].isalpha()
            if char in closers and not is_apostrophe:
                _, opened_at = stack.pop()
                if not stack:
                    found.append(Quote(opened_at, i, text[opened_at:i]))
                continue
            opens_nested = char in NESTED_PAIRS and (i == start or not text[i - 1].isalpha())
            if opens_nested or char in "“„«‹":
                stack.append((char, i + 1))
            continue
        if char in PAIRS:
            # ” also opens in texts that use it on both sides, but never before a space.
            if char == "”" and (i + 1 >= end or text[i + 1].isspace()):
                continue
            stack.append((char, i + 1))
    return found


def sentences(text: str) -> list[Sentence]:
    """Sentences, never split inside a quotation (a quote of two sentences is one passage)."""
    result = []
    for number, (p_start, p_end) in enumerate(paragraphs(text), start=1):
        inside = [(q.start, q.end) for q in quotes(text, p_start, p_end)]
        begin = p_start
        for match in SENTENCE_END.finditer(text, p_start, p_end):
            cut = match.start()
            following = text[match.end()]
            if following.isalpha() and not following.isupper():  # "Putin. for the": a slip
                continue
            if any(q_start <= cut < q_end for q_start, q_end in inside):
                continue
            words = WORD.findall(text[begin : cut + 1])
            if words and words[-1].lower() in ABBREVIATIONS:
                continue
            if words and len(words[-1]) == 1 and words[-1].isupper():  # an initial: "R."
                continue
            stop = match.end() - len(match.group()) + len(match.group().rstrip())
            result.append(Sentence(begin, stop, number))
            begin = match.end()
        if begin < p_end and text[begin:p_end].strip():
            result.append(Sentence(begin, p_end, number))
    return result


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, word) for the words of a span: letters, with inner hyphens."""
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end)]
