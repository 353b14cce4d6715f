"""The rules that turn an article's text into proposals for the review screen.

Rules and dictionaries only (data/*.json), no model and no network, so that every proposal
can be explained: each carries a `reason` the review screen shows ("speaker: 'she' after the
quotation, carried over from Bonnie Jenkins in the previous sentence").

- Quotations of four words or more are direct quotes. Their speaker is the name or the
  pronoun next to a speech cue after the quotation ("…,” Zajárova stressed), or before it
  ("Ryabkov said: “…”"); a pronoun or a role noun ("the diplomat") is the first person named
  in the previous sentence.
- Shorter quotations are quoted words inside a sentence: with a named subject and a reporting
  verb ("considered this wish “a whim”") the sentence is a paraphrase; otherwise they are
  scare quotes and no statement.
- A sentence whose named subject has a reporting verb followed by "that" is a paraphrase;
  when the subject is a media outlet it is a report (an event) instead.
- The date is the first date expression in the sentence outside the quotation; failing that,
  the date of the speaker's last statement; failing that, the last date in the paragraph, or,
  for a paraphrase answering someone else's statement, that statement's month, marked "c.".
- Other dated sentences are proposed as events.
"""

import dataclasses
import datetime
import json
import re
from pathlib import Path

from django.utils.text import Truncator

from treaties.dates import DatePrecision
from treaties.models import ActorKind, EventKind, Setting, StatementKind, Topic, Treaty

from .dates import Resolved, find_dates
from .names import Known, Mention, NameIndex
from .text import Sentence, fold, paragraphs, quotes, sentences, words

DATA = Path(__file__).parent / "data"
CUES = json.loads((DATA / "speech_cues.json").read_text())
TOPIC_WORDS = json.loads((DATA / "topics.json").read_text())
EVENT_KINDS = json.loads((DATA / "events.json").read_text())["kinds"]
SETTINGS = [
    ("press conference", Setting.PRESS_CONFERENCE),
    ("interview", Setting.INTERVIEW),
    ("briefing", Setting.BRIEFING),
    ("address", Setting.SPEECH),
    ("speech", Setting.SPEECH),
    ("statement", Setting.OFFICIAL_STATEMENT),
    ("on x", Setting.SOCIAL_MEDIA),
    ("on telegram", Setting.SOCIAL_MEDIA),
]


def _alternation(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


QUOTE_VERB = re.compile(rf"\b(?:{_alternation(CUES['quote_verbs'])})\b")
REPORTED_VERB = re.compile(rf"\b(?:{_alternation(CUES['reported_verbs'])})\b")
MEDIA_VERB = re.compile(rf"\b(?:{_alternation(CUES['reporting_media_verbs'])})\b")
ACCORDING_TO = re.compile(rf"\b(?:{_alternation(CUES['according_to'])})\b")
POINTER = re.compile(rf"\b(?:{_alternation(CUES['role_nouns'] + CUES['pronouns'])})\b")
THAT = re.compile(r"\bthat\b")
WITHOUT_THAT = set(CUES["verbs_without_that"])
NOT_SUBJECT_AFTER = set(CUES["not_subject_after"])
SHORT_QUOTE = CUES["short_quote_words"]
DETERMINERS = {"the", "a", "an"}


@dataclasses.dataclass(frozen=True)
class When:
    date: datetime.date
    precision: str
    approximate: bool
    expression: str = ""

    @classmethod
    def of(cls, resolved: Resolved) -> "When":
        return cls(resolved.date, resolved.precision, resolved.approximate, resolved.expression)

    def coarsened(self) -> "When":
        """The month of this date, marked approximate: for an answer to it given no date."""
        return When(self.date.replace(day=1), DatePrecision.MONTH, True, "")


@dataclasses.dataclass
class StatementProposal:
    start: int
    end: int
    text: str
    kind: str
    when: When
    speaker: Known | None
    new_speaker: str = ""
    paragraph: int = 0  # as an editor counts them; 0 for the title or page furniture
    ordinal: int = 0  # among all the text's blocks
    setting: str = ""
    treaties: list[int] = dataclasses.field(default_factory=list)
    topics: list[int] = dataclasses.field(default_factory=list)
    mentions: list[int] = dataclasses.field(default_factory=list)
    reason: str = ""


@dataclasses.dataclass
class EventProposal:
    start: int
    end: int
    title: str
    kind: str
    when: When
    end_when: When | None = None
    paragraph: int = 0
    actors: list[int] = dataclasses.field(default_factory=list)
    treaties: list[int] = dataclasses.field(default_factory=list)
    reason: str = ""


@dataclasses.dataclass
class Extraction:
    title: str
    statements: list[StatementProposal]
    events: list[EventProposal]
    new_actors: list[str]


class Lexicon:
    """What the record already knows: actors' names, treaties' names, topics' keywords."""

    def __init__(self, names: NameIndex, treaties: list[tuple[int, str]], topics: dict):
        self.names = names
        self.treaties = treaties  # (treaty id, a name as written)
        self.topics = topics  # topic id -> keywords

    @classmethod
    def from_database(cls) -> "Lexicon":
        treaties = []
        for pk, short_name, name in Treaty.objects.values_list("pk", "short_name", "name"):
            for spelling in {short_name, name, re.sub(r"(?i)\s+treaty$", "", short_name)}:
                treaties.append((pk, spelling))
            treaties += [(pk, acronym) for acronym in re.findall(r"\(([A-Z]{2,6})\)", name)]
        topics = {
            pk: [*TOPIC_WORDS.get(slug, ()), fold(name)]
            for pk, slug, name in Topic.objects.values_list("pk", "slug", "name")
        }
        return cls(NameIndex.from_database(), treaties, topics)

    def treaties_in(self, text: str) -> list[int]:
        folded = fold(text)
        found = []
        for pk, spelling in self.treaties:
            if len(spelling) <= 4 and spelling.isupper():
                hit = re.search(rf"\b{re.escape(spelling)}\b", text)
            else:
                hit = re.search(rf"\b{re.escape(fold(spelling))}\b", folded)
            if hit and pk not in found:
                found.append(pk)
        return found

    def topics_in(self, text: str) -> list[int]:
        folded = fold(text)
        found = []
        for pk, keywords in self.topics.items():
            for keyword in keywords:
                stem = re.escape(fold(keyword).rstrip("*"))
                pattern = rf"\b{stem}\w*" if keyword.endswith("*") else rf"\b{stem}\b"
                if re.search(pattern, folded):
                    found.append(pk)
                    break
        return found


def extract(text: str, article_date: datetime.date, lexicon: Lexicon) -> Extraction:
    return _Extractor(text, article_date, lexicon).run()


class _Extractor:
    def __init__(self, text, article_date, lexicon):
        self.text = text
        self.folded = fold(text)
        self.today = article_date
        self.lexicon = lexicon
        self.statements: list[StatementProposal] = []
        self.events: list[EventProposal] = []
        self.new_actors: list[str] = []
        self.context: dict[int, When] = {}  # speaker id -> date of their last words
        self.quoted: list[tuple[int, int]] = []
        self.mentions: list[Mention] = []

    def run(self) -> Extraction:
        blocks = paragraphs(self.text)
        title = ""
        if blocks and self._looks_like_title(*blocks[0]):
            title = self.text[blocks[0][0] : blocks[0][1]].strip()
        for start, end in blocks:
            self.quoted += [(q.start, q.end) for q in quotes(self.text, start, end)]
        self.numbers = self._paragraph_numbers(blocks, bool(title))
        self.mentions = self.lexicon.names.mentions(self.text)
        previous = None
        for sentence in sentences(self.text):
            if title and sentence.paragraph == 1:
                continue
            if previous is not None and previous.paragraph != sentence.paragraph:
                self.paragraph_dates: list[When] = []
            if previous is None:
                self.paragraph_dates = []
            self.sentence(sentence, previous)
            previous = sentence
        return Extraction(title, self.statements, self.events, self.new_actors)

    def _paragraph_numbers(self, blocks, has_title) -> dict[int, int]:
        """Paragraphs as an editor counts them ("paragraph 1" is the first of the body): not
        the title, nor a line of page furniture ("3 minutes, 46 seconds Read")."""
        numbers, counter = {}, 0
        for ordinal, (start, end) in enumerate(blocks, start=1):
            block = self.text[start:end].strip()
            furniture = len(block.split()) < 10 and not block.endswith((".", "!", "?", "”", '"'))
            if (has_title and ordinal == 1) or furniture:
                continue
            counter += 1
            numbers[ordinal] = counter
        return numbers

    def _looks_like_title(self, start, end) -> bool:
        line = self.text[start:end].strip()
        return "\n" not in line and len(line) < 250 and not line.endswith((".", ":"))

    # One sentence -----------------------------------------------------------------------

    def sentence(self, sentence: Sentence, previous: Sentence | None):
        inside = [(a, b) for a, b in self.quoted if sentence.start <= a and b <= sentence.end + 1]
        long = [(a, b) for a, b in inside if self._is_long(a, b)]
        dates = [
            d
            for d in find_dates(self.text, self.today, sentence.start, sentence.end)
            if not any(a <= d.start < b for a, b in inside)
        ]
        used_dates = []
        if long:
            for a, b in long:
                self.quote(sentence, previous, a, b, dates)
            used_dates = dates[:1]
        else:
            used_dates = self.reported(sentence, previous, inside, dates)
        self.dated_events(sentence, [d for d in dates if d not in used_dates])
        self.paragraph_dates += [When.of(d) for d in dates]

    def _is_long(self, a, b) -> bool:
        words_inside = len(self.text[a:b].split())
        return words_inside >= SHORT_QUOTE or bool(re.search(r"[.!?;]\s", self.text[a:b]))

    def _outside(self, start, end):
        return [
            m
            for m in self.mentions
            if start <= m.start and m.end <= end and not self._in_quote(m.start)
        ]

    def _in_quote(self, position) -> bool:
        return any(a <= position < b for a, b in self.quoted)

    # Direct quotes ----------------------------------------------------------------------

    def quote(self, sentence, previous, a, b, dates):
        speaker, new_name, how = self.quote_speaker(sentence, previous, a, b)
        when, date_how = self.quote_date(speaker, dates)
        words_ = self.text[a:b]
        stripped = words_.rstrip(" ,;:")
        end = a + len(stripped)
        self.add_statement(
            sentence,
            a,
            end,
            stripped,
            StatementKind.DIRECT_QUOTE,
            when,
            speaker,
            new_name,
            f"Quotation. Speaker: {how}. Date: {date_how}.",
        )

    def quote_speaker(self, sentence, previous, a, b):
        after_start = b + 1
        folded_after = self.folded[after_start : sentence.end]
        verb = QUOTE_VERB.search(folded_after)
        if verb:
            verb_start = after_start + verb.start()
            verb_end = after_start + verb.end()
            before_verb = self._outside(after_start, verb_start)
            if before_verb:
                return before_verb[-1].actor, "", f"“{self._span(before_verb[-1])}” {verb.group()}"
            pointer = POINTER.search(self.folded, after_start, verb_start)
            if pointer:
                return self.carry_over(sentence, previous, a, pointer.group(), verb.group())
            after_verb = self._outside(verb_end, min(sentence.end, verb_end + 40))
            if after_verb:
                return after_verb[0].actor, "", f"{verb.group()} “{self._span(after_verb[0])}”"
            pointer = POINTER.match(self.folded, verb_end + 1)
            if pointer:
                return self.carry_over(sentence, previous, a, pointer.group(), verb.group())
            name = self._unknown_name(after_start, min(sentence.end, verb_end + 40))
            if name:
                return None, name, f"“{name}” {verb.group()}: not in the record yet"
        before = self.folded[sentence.start : a]
        verb = QUOTE_VERB.search(before) or ACCORDING_TO.search(before)
        if verb:
            subject = self.subject_before(sentence.start, sentence.start + verb.start())
            if subject:
                return subject.actor, "", f"“{self._span(subject)}” {verb.group()} before it"
            after_cue = self._outside(sentence.start + verb.end(), a)
            if after_cue:
                return after_cue[0].actor, "", f"{verb.group()} “{self._span(after_cue[0])}”"
        return self.carry_over(sentence, previous, a, "", "")

    def carry_over(self, sentence, previous, a, pointer, verb):
        """The person a pronoun or role noun points back to."""
        cue = f"“{pointer} {verb}”".replace("“ ", "“").replace(" ”", "”") if pointer else "no cue"
        candidates = []
        if previous is not None and previous.paragraph == sentence.paragraph:
            candidates = [m for m in self._outside(previous.start, previous.end) if m.is_person]
        if candidates:
            return (
                candidates[0].actor,
                "",
                f"{cue}, carried over from {candidates[0].actor.name} in the previous sentence",
            )
        people = [
            m for m in self.mentions if m.end <= a and m.is_person and not self._in_quote(m.start)
        ]
        if people:
            return (
                people[-1].actor,
                "",
                f"{cue}: the last person named before it, {people[-1].actor.name}",
            )
        return None, "", f"{cue}: nobody named before it"

    def quote_date(self, speaker, dates):
        if dates:
            return When.of(dates[0]), f"“{dates[0].expression}”"
        if speaker and speaker.actor_id in self.context:
            return self.context[speaker.actor_id], f"as {speaker.name}'s words just before"
        if self.paragraph_dates:
            when = self.paragraph_dates[-1]
            return when, f"the last date in the paragraph, “{when.expression}”"
        return self.article_day(), "none given: the article's date, marked “c.”"

    def article_day(self) -> When:
        return When(self.today, DatePrecision.DAY, True)

    # Reported speech ------------------------------------------------------------------

    def reported(self, sentence, previous, inside, dates):
        """A paraphrase or a media report; returns the dates it used."""
        segment = self.folded[sentence.start : sentence.end]
        according = ACCORDING_TO.search(segment)
        if according:
            cue_end = sentence.start + according.end()
            named = self._outside(cue_end, min(sentence.end, cue_end + 40))
            if named and not self.folded[cue_end : named[0].start].strip(" ,").count(" ") > 2:
                return self.paraphrase(sentence, named[0].actor, dates, inside, "according to")
        for verb in REPORTED_VERB.finditer(segment):
            verb_start = sentence.start + verb.start()
            if self._in_quote(verb_start):
                continue
            rest = segment[verb.end() :]
            needs_that = verb.group() not in WITHOUT_THAT and not inside
            if needs_that and not THAT.search(rest[:120]):
                continue
            subject = self.subject_before(sentence.start, verb_start)
            if subject is None:
                pointer = re.search(
                    rf"(?:{POINTER.pattern})\s*$", self.folded[sentence.start : verb_start]
                )
                if not pointer:
                    continue
                actor, _, how = self.carry_over(
                    sentence, previous, verb_start, pointer.group().strip(), verb.group()
                )
                if actor is None:
                    continue
                return self.paraphrase(sentence, actor, dates, inside, how)
            return self.paraphrase(
                sentence, subject.actor, dates, inside, f"“{self._span(subject)}” {verb.group()}"
            )
        for verb in MEDIA_VERB.finditer(segment):
            subject = self.subject_before(sentence.start, sentence.start + verb.start())
            if subject and subject.actor.kind == ActorKind.MEDIA:
                return self.report(sentence, subject, verb.group(), dates)
        return []

    def subject_before(self, start, verb_start) -> Mention | None:
        """The last actor named before the verb that is not the object of a preposition."""
        for mention in reversed(self._outside(start, verb_start)):
            before = [w[2].lower() for w in words(self.text, start, mention.start)]
            while before and before[-1] in DETERMINERS:
                before.pop()
            between = self.text[mention.end : verb_start]
            if before and before[-1] in NOT_SUBJECT_AFTER:
                continue
            if re.search(r"[.;:]", between) or len(between.split()) > 14:
                return None
            return mention
        return None

    def paraphrase(self, sentence, speaker: Known, dates, inside, how):
        if speaker.kind == ActorKind.MEDIA:
            return []
        if dates:
            when, date_how = When.of(dates[0]), f"“{dates[0].expression}”"
        else:
            when, date_how = self.paraphrase_date(sentence, speaker)
        text = self.text[sentence.start : sentence.end].strip()
        self.add_statement(
            sentence,
            sentence.start,
            sentence.start + len(text),
            text,
            StatementKind.PARAPHRASE,
            when,
            speaker,
            "",
            f"Reported speech. Speaker: {how}. Date: {date_how}.",
        )
        return dates[:1]

    def paraphrase_date(self, sentence, speaker):
        earlier = [s for s in self.statements if s.ordinal == sentence.paragraph]
        if earlier:
            last = earlier[-1]
            if last.speaker and last.speaker.actor_id == speaker.actor_id:
                return last.when, "as the words before it"
            answered = last.speaker.name if last.speaker else "the words before it"
            return (
                last.when.coarsened(),
                f"none given; it answers {answered}, so their month, marked “c.”",
            )
        if speaker.actor_id in self.context:
            return self.context[speaker.actor_id], f"as {speaker.name}'s words before"
        return self.article_day(), "none given: the article's date, marked “c.”"

    def report(self, sentence, subject, verb, dates):
        if not dates:
            return []
        when = When.of(dates[0])
        self.events.append(
            EventProposal(
                sentence.start,
                sentence.end,
                f"{subject.actor.name} reports: {self._title(sentence.start, sentence.end)}",
                EventKind.REPORT,
                when,
                paragraph=self.numbers.get(sentence.paragraph, 0),
                actors=self._actor_ids(sentence.start, sentence.end),
                treaties=self.lexicon.treaties_in(self.text[sentence.start : sentence.end]),
                reason=f"“{self._span(subject)}” {verb} “{dates[0].expression}”: a media report.",
            )
        )
        return dates[:1]

    # Events ---------------------------------------------------------------------------

    def dated_events(self, sentence, dates):
        i = 0
        while i < len(dates):
            first, last = dates[i], dates[i]
            # "at the end of this month or at the beginning of December": one event, a span.
            if i + 1 < len(dates) and re.fullmatch(
                r"\s*(?:or|and|to|-|–)\s*", self.text[first.end : dates[i + 1].start]
            ):
                last = dates[i + 1]
                i += 1
            i += 1
            window = self.folded[
                max(sentence.start, first.start - 60) : min(sentence.end, last.end + 40)
            ]
            kind = next(
                (k for k, keys in EVENT_KINDS if any(key in window for key in keys)),
                EventKind.OTHER,
            )
            self.events.append(
                EventProposal(
                    sentence.start,
                    sentence.end,
                    self._title(sentence.start, sentence.end),
                    kind,
                    When.of(first),
                    When.of(last) if last is not first else None,
                    paragraph=self.numbers.get(sentence.paragraph, 0),
                    actors=self._actor_ids(sentence.start, sentence.end),
                    treaties=self.lexicon.treaties_in(self.text[sentence.start : sentence.end]),
                    reason=f"A dated sentence: “{first.expression}”"
                    + (f" to “{last.expression}”" if last is not first else "")
                    + f"; kind from its words ({kind}).",
                )
            )

    # Helpers ----------------------------------------------------------------------------

    def add_statement(self, sentence, start, end, text, kind, when, speaker, new_name, reason):
        passage = self.text[sentence.start : sentence.end]
        speaker_id = speaker.actor_id if speaker else None
        if new_name and new_name not in self.new_actors:
            self.new_actors.append(new_name)
        setting = next((s for key, s in SETTINGS if key in fold(passage)), "")
        self.statements.append(
            StatementProposal(
                start=start,
                end=end,
                text=text,
                kind=kind,
                when=when,
                speaker=speaker,
                new_speaker=new_name,
                paragraph=self.numbers.get(sentence.paragraph, 0),
                ordinal=sentence.paragraph,
                setting=setting,
                treaties=self.lexicon.treaties_in(passage),
                topics=self.lexicon.topics_in(passage),
                mentions=[
                    pk
                    for pk in self._actor_ids(sentence.start, sentence.end, quoted=True)
                    if pk != speaker_id
                ],
                reason=reason,
            )
        )
        if speaker_id:
            self.context[speaker_id] = when

    def _actor_ids(self, start, end, quoted=False) -> list[int]:
        ids = []
        for m in self.mentions:
            inside = start <= m.start and m.end <= end
            if inside and (quoted or not self._in_quote(m.start)) and m.actor.actor_id not in ids:
                ids.append(m.actor.actor_id)
        return ids

    def _span(self, mention: Mention) -> str:
        return self.text[mention.start : mention.end]

    def _title(self, start, end) -> str:
        return Truncator(" ".join(self.text[start:end].split())).chars(140)

    def _unknown_name(self, start, end) -> str:
        match = re.search(
            r"\b[A-ZÀ-ÞА-ЯЁ][^\W\d_]+(?:\s+[A-ZÀ-ÞА-ЯЁ][^\W\d_]+){1,3}", self.text[start:end]
        )
        return match.group() if match else ""
