"""How a statement travels: the "cite this" text and the schema.org data behind link previews."""

from django.conf import settings

from .dates import DatePrecision, format_date
from .models import ActorKind, StatementKind


def setting_phrase(statement):
    """Where and how it was said, in words: the editor's detail, else the setting's name."""
    return statement.setting_detail or statement.get_setting_display()


def citation_text(statement, *, url, accessed):
    """A Chicago-style note: Speaker, “words,” setting, date. In Source. Record, URL, accessed.

    A paraphrase is not put in quotation marks: they would claim the speaker's exact words.
    """
    speaker = statement.speaker.name if statement.speaker else "Unknown speaker"
    if statement.kind == StatementKind.PARAPHRASE:
        said = f"{speaker}, as paraphrased: {statement.text.strip().rstrip('.')}"
    else:
        said = f"{speaker}, “{statement.text.strip().rstrip(',')},”"
    parts = [said]
    if setting := setting_phrase(statement):
        parts.append(f"{setting},")
    parts.append(f"{statement.display_date}.")
    source = statement.source
    if source:
        in_source = [
            f"In {source.author}," if source.author else "In",
            f"“{source.title.strip()},”",
        ]
        if source.outlet:
            in_source.append(f"{source.outlet.name},")
        if source.published_on:
            in_source.append(f"{format_date(source.published_on, DatePrecision.DAY)},")
        parts.append(" ".join(in_source).rstrip(",") + ".")
    parts.append(
        f"{settings.SITE_NAME}, {url}, accessed {format_date(accessed, DatePrecision.DAY)}."
    )
    return " ".join(parts)


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
