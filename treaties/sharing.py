"""How a statement travels: the schema.org data and the share card behind link previews.

The "Cite" text and downloads are in citations.py.
"""

import functools
import hashlib
import io

import fontpkg
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from .models import ActorKind, StatementKind


def setting_phrase(statement):
    """Where and how it was said, in words: the editor's detail, else the setting's name."""
    return statement.setting_detail or statement.get_setting_display()


def _agent(actor):
    return {
        "@type": "Person" if actor.kind == ActorKind.PERSON else "Organization",
        "name": actor.name,
    }


def quotation_json_ld(statement, *, url, treaties):
    """schema.org Quotation for search engines and link previews (built as a dict, serialised
    with script-safe escaping by the json_ld template tag)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": statement.text,
        "url": url,
        "dateCreated": statement.iso_date,
        "inLanguage": statement.source.language if statement.source else "",
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME},
    }
    if statement.speaker:
        data["spokenByCharacter"] = _agent(statement.speaker)
        data["creator"] = _agent(statement.speaker)
    if statement.original_text:
        data["translationOfWork"] = {
            "@type": "Quotation",
            "text": statement.original_text,
            "inLanguage": statement.original_language,
        }
    if source := statement.source:
        citation = {"@type": "CreativeWork", "name": source.title}
        if source.url:
            citation["url"] = source.url
        if source.published_on:
            citation["datePublished"] = source.published_on.isoformat()
        if source.outlet:
            citation["publisher"] = _agent(source.outlet)
        if source.author:
            citation["author"] = {"@type": "Person", "name": source.author}
        data["citation"] = citation
    if treaties:
        data["about"] = [
            {"@type": "Legislation", "name": treaty.name, "alternateName": treaty.short_name}
            for treaty in treaties
        ]
    return {key: value for key, value in data.items() if value not in ("", None)}


# Share card ----------------------------------------------------------------------------------
# A 1200×630 PNG (the size Facebook, LinkedIn, Mastodon and X crop least) with the words, who
# said them, in which role, when, and the site's name. Noto Sans comes from a PyPI package
# (fontpkg-noto-sans, in the run group) so that every machine draws the same Latin and
# Cyrillic glyphs without a network or a system font.

CARD_SIZE = (1200, 630)
CARD_VERSION = "2"  # part of the ETag: bump it when the drawing changes
CARD_MARGIN = 72
CARD_COLOURS = {"paper": "#fcfbf8", "ink": "#1c2024", "muted": "#5a636d", "accent": "#1d4f7a"}
QUOTE_SIZES = range(60, 25, -4)  # the largest size at which the words fit wins
QUOTE_BOX = (CARD_SIZE[0] - 2 * CARD_MARGIN, 330)  # width, height for the words


@functools.cache
def card_font(size: int, weight: str = "Regular") -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(fontpkg.path("Noto Sans")), size)
    font.set_variation_by_name(weight)
    return font


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of whole words no wider than width (a word wider than a line is cut).

    Each word is measured once and a line's width is the sum of its words and spaces: a
    thousand-character quote wraps at ten sizes in milliseconds.
    """
    space = font.getlength(" ")
    lines, line, line_width = [], [], 0.0
    for word in text.split():
        word_width = font.getlength(word)
        while word_width > width:  # a very long token: cut it where it overflows
            cut = max(1, int(len(word) * width / word_width) - 1)
            if line:
                lines.append(" ".join(line))
                line, line_width = [], 0.0
            lines.append(word[:cut])
            word = word[cut:]
            word_width = font.getlength(word)
        added = word_width + (space if line else 0)
        if line and line_width + added > width:
            lines.append(" ".join(line))
            line, line_width = [word], word_width
        else:
            line.append(word)
            line_width += added
    if line:
        lines.append(" ".join(line))
    return lines


def fit_quote(text: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The words at the largest size that fits the box; at the smallest, the lines that fit,
    the last ending in an ellipsis. The sizes are bisected: a smaller size never needs more
    height, so four wraps find the size instead of ten."""
    width, height = QUOTE_BOX
    sizes = sorted(QUOTE_SIZES)
    low, high, best = 0, len(sizes) - 1, None
    while low <= high:
        middle = (low + high) // 2
        font = card_font(sizes[middle])
        lines = wrap(text, font, width)
        if len(lines) * _line_height(font) <= height:
            best, low = (font, lines), middle + 1
        else:
            high = middle - 1
    if best:
        return best
    font = card_font(sizes[0])
    lines = wrap(text, font, width)
    shown = lines[: max(1, height // _line_height(font))]
    ending = "…”" if text.startswith("“") else "…"  # a cut quote still closes its quote
    last = shown[-1]
    while last and font.getlength(last + ending) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    shown[-1] = last.rstrip(" ,;:.") + ending
    return font, shown


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * 1.3)


def card_lines(statement, role) -> dict:
    """What the card says, as text: also what its ETag is made of."""
    text = " ".join(statement.text.split())
    if statement.kind != StatementKind.PARAPHRASE:
        text = f"“{text}”"
    speaker = statement.speaker.name if statement.speaker else "Unknown speaker"
    return {
        "quote": text,
        "speaker": speaker,
        "role": str(role) if role else "",
        "date": statement.display_date,
        "site": settings.SITE_NAME,
    }


def card_etag(lines: dict) -> str:
    digest = hashlib.sha256(repr((CARD_VERSION, sorted(lines.items()))).encode())
    return f'"{digest.hexdigest()[:32]}"'


def share_card_png(lines: dict) -> bytes:
    image = Image.new("RGB", CARD_SIZE, CARD_COLOURS["paper"])
    draw = ImageDraw.Draw(image)
    width, height = CARD_SIZE
    draw.rectangle((0, 0, width, 12), fill=CARD_COLOURS["accent"])
    font, quote_lines = fit_quote(lines["quote"])
    y = CARD_MARGIN
    for line in quote_lines:
        draw.text((CARD_MARGIN, y), line, font=font, fill=CARD_COLOURS["ink"])
        y += _line_height(font)
    y = max(y + 24, CARD_MARGIN + QUOTE_BOX[1] + 24)
    draw.line((CARD_MARGIN, y, CARD_MARGIN + 96, y), fill=CARD_COLOURS["accent"], width=4)
    y += 24
    name_font = card_font(36, "Bold")
    draw.text(
        (CARD_MARGIN, y),
        _fitted(lines["speaker"], name_font),
        font=name_font,
        fill=CARD_COLOURS["ink"],
    )
    y += 50
    small = card_font(26)
    if lines["role"]:
        draw.text(
            (CARD_MARGIN, y), _fitted(lines["role"], small), font=small, fill=CARD_COLOURS["muted"]
        )
    # The last line: the date on the left, the site's name on the right.
    baseline = height - CARD_MARGIN + 20
    draw.text(
        (CARD_MARGIN, baseline), lines["date"], font=small, fill=CARD_COLOURS["ink"], anchor="ls"
    )
    site_font = card_font(26, "SemiBold")
    draw.text(
        (width - CARD_MARGIN, baseline),
        lines["site"],
        font=site_font,
        fill=CARD_COLOURS["accent"],
        anchor="rs",
    )
    out = io.BytesIO()
    image.save(out, "PNG")  # optimize=True: 4% smaller, six times slower
    return out.getvalue()


def _fitted(text: str, font: ImageFont.FreeTypeFont) -> str:
    """One line no wider than the card, cut with an ellipsis."""
    width = CARD_SIZE[0] - 2 * CARD_MARGIN
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
