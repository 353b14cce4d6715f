"""Template helpers for the public pages."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..dates import DatePrecision, format_date, format_iso
from ..models import LANGUAGE_CHOICES

register = template.Library()

# The characters that could end a <script> element or open a comment inside one, escaped as
# JSON allows, so a quote containing "</script>" stays data (the same set json_script escapes).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A <script type="application/ld+json">: json_script cannot do this (it always writes
    type="application/json"). A data block is not run, so it needs no CSP nonce, and the
    page stays the same bytes for every reader (see base.html)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


# Language codes to their English names, as the models' choices give them.
_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


@register.filter
def language_name(code):
    """The English name of a language code ("ru" -> "Russian"), as get_language_display()
    gives it, without the dict of a hundred languages that builds at every call (some 40 µs;
    a treaty page lists 20 sources)."""
    return _LANGUAGE_NAMES.get(code, code)


@register.filter
def grouped(count):
    """A count as English writes it, its thousands grouped ("364,006", not "364006"): what
    |floatformat:"g" writes, without its trip through Decimal and the locale's formats."""
    return f"{count:,}" if isinstance(count, int) else count


@register.filter
def time_tag(day):
    """<time datetime="2022-11-08">8 November 2022</time> for a date: what |date:'Y-m-d' and
    |date:"j F Y" write, without their trip through the format and translation settings,
    some 25 µs a date (the home page shows some fifty dates, a treaty page forty)."""
    if day is None:
        return ""
    iso, text = format_iso(day, DatePrecision.DAY), format_date(day, DatePrecision.DAY)
    return format_html('<time datetime="{}">{}</time>', iso, text)


@register.filter
def thousands(number):
    """1550 -> "1,550": a limit reads as the treaty text writes it."""
    return f"{number:,}" if isinstance(number, int) else number
