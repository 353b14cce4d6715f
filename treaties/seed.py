"""The seed data: every fact of the first source article, checked against reference sources.

The data comes first, as plain dataclasses an editor can read and correct; load_seed_data()
at the end turns it into rows. The article is kept as published: where it is wrong or vague,
its words stay and an editor's note says what is known.

Loading never overwrites or brings back what editors changed. A treaty, actor or topic is
created only if no row has ever had its slug, and a source (with its statements and events)
only if no source has ever had its title. "Ever" is read from the edit history, so a record
an editor deleted or renamed stays deleted or renamed however often the command runs.
"""

import dataclasses
import datetime
from collections import Counter

from django.db import models, transaction

from .dates import DatePrecision
from .models import (
    Actor,
    ActorAlias,
    ActorKind,
    Event,
    EventKind,
    Role,
    Setting,
    Source,
    Statement,
    StatementKind,
    Status,
    Topic,
    Treaty,
    TreatyKind,
    TreatyLimit,
    TreatyParty,
    TreatySigner,
    TreatyStatus,
)

# Recorded in the history of every row the seed creates, so editors can tell seeded rows
# from their own.
CHANGE_REASON = "Loaded from the seed data"


# Dates as precise as the record is ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class When:
    date: datetime.date
    precision: str = DatePrecision.DAY
    approximate: bool = False


def on(year: int, month: int, day: int) -> When:
    return When(datetime.date(year, month, day))


def in_month(year: int, month: int, *, approximate: bool = False) -> When:
    return When(datetime.date(year, month, 1), DatePrecision.MONTH, approximate)


def mid_month(year: int, month: int) -> When:
    return When(datetime.date(year, month, 1), DatePrecision.MID_MONTH)


def in_year(year: int, *, approximate: bool = False) -> When:
    return When(datetime.date(year, 1, 1), DatePrecision.YEAR, approximate)


def day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


# The shapes of the data -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AliasSeed:
    name: str
    language: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True)
class RoleSeed:
    title: str
    organisation: str | None  # an actor's slug
    start: When | None = None
    end: When | None = None


@dataclasses.dataclass(frozen=True)
class ActorSeed:
    slug: str
    name: str
    kind: str
    description: str
    country: str = ""
    wikidata_id: str = ""
    aliases: tuple[AliasSeed, ...] = ()
    roles: tuple[RoleSeed, ...] = ()


@dataclasses.dataclass(frozen=True)
class PartySeed:
    state: str  # an actor's slug
    withdrew_on: datetime.date | None = None
    note: str = ""


@dataclasses.dataclass(frozen=True)
class SignerSeed:
    signer: str  # a person's slug
    on_behalf_of: str  # a state's slug
    signed_on: datetime.date | None = None
    signed_at: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True)
class LimitSeed:
    subject: str
    number: int | None = None
    unit: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True)
class TreatySeed:
    slug: str
    name: str
    short_name: str
    kind: str
    status: str
    status_note: str
    summary: str
    signed_on: datetime.date | None = None
    signed_at: str = ""
    in_force_on: datetime.date | None = None
    suspended_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    official_text_url: str = ""
    wikidata_id: str = ""
    parties: tuple[PartySeed, ...] = ()
    limits: tuple[LimitSeed, ...] = ()
    signers: tuple[SignerSeed, ...] = ()


@dataclasses.dataclass(frozen=True)
class TopicSeed:
    slug: str
    name: str
    description: str


@dataclasses.dataclass(frozen=True)
class StatementSeed:
    speaker: str  # an actor's slug
    text: str
    when: When
    kind: str = StatementKind.DIRECT_QUOTE
    setting: str = ""
    setting_detail: str = ""
    source_locator: str = ""
    original_text: str = ""
    original_language: str = ""
    editor_note: str = ""
    treaties: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class EventSeed:
    slug: str
    title: str
    kind: str
    when: When
    description: str
    end: When | None = None
    location: str = ""
    source_locator: str = ""
    editor_note: str = ""
    treaties: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    other_sources: tuple["SourceSeed", ...] = ()


@dataclasses.dataclass(frozen=True)
class SourceSeed:
    title: str
    outlet: str | None = None  # an actor's slug
    author: str = ""
    url: str = ""
    published_on: datetime.date | None = None
    language: str = "en"
    notes: str = ""
    statements: tuple[StatementSeed, ...] = ()
    events: tuple[EventSeed, ...] = ()


# Topics ---------------------------------------------------------------------------------

TOPICS = [
    TopicSeed(
        "strategic-stability",
        "Strategic stability",
        "The balance between US and Russian strategic nuclear forces, and the limits, counting "
        "rules and dialogue that keep it predictable.",
    ),
    TopicSeed(
        "inspections",
        "Inspections and verification",
        "On-site inspections, data exchanges and other ways of checking that a treaty is kept.",
    ),
    TopicSeed(
        "nuclear-rhetoric",
        "Nuclear rhetoric",
        "Public warnings, threats and signals about the possible use of nuclear weapons.",
    ),
    TopicSeed(
        "us-russia-contacts",
        "US–Russia contacts",
        "Channels of dialogue between Washington and Moscow, official or confidential.",
    ),
    TopicSeed(
        "war-in-ukraine",
        "War in Ukraine",
        "Russia's war against Ukraine and its effects on arms control.",
    ),
]


# Actors ---------------------------------------------------------------------------------

ARTICLE_SPELLING = "Spanish transliteration, as in the seed article"
SPANISH = "Spanish transliteration"

STATES = [
    ActorSeed(
        "russia",
        "Russia",
        ActorKind.STATE,
        "The Russian Federation. Party to New START; continued the Soviet Union's rights and "
        "obligations under the INF Treaty; party to the Open Skies Treaty until its withdrawal "
        "took effect on 18 December 2021.",
        country="RU",
        wikidata_id="Q159",
        aliases=(
            AliasSeed("Russian Federation", "en"),
            AliasSeed("Россия", "ru"),
            AliasSeed("Российская Федерация", "ru"),
        ),
    ),
    ActorSeed(
        "united-states",
        "United States",
        ActorKind.STATE,
        "The United States of America. Party to New START; withdrew from the INF Treaty "
        "(effective 2 August 2019) and the Open Skies Treaty (effective 22 November 2020).",
        country="US",
        wikidata_id="Q30",
        aliases=(
            AliasSeed("United States of America", "en"),
            AliasSeed("USA", "en"),
            AliasSeed("US", "en"),
            AliasSeed("Estados Unidos", "es"),
            AliasSeed("США", "ru"),
        ),
    ),
    ActorSeed(
        "soviet-union",
        "Soviet Union",
        ActorKind.STATE,
        "The Union of Soviet Socialist Republics (1922–1991), which signed the INF Treaty in "
        "1987. Russia continued its treaty rights and obligations.",
        wikidata_id="Q15180",
        aliases=(
            AliasSeed("USSR", "en"),
            AliasSeed("Union of Soviet Socialist Republics", "en"),
            AliasSeed("СССР", "ru"),
        ),
    ),
    ActorSeed(
        "ukraine",
        "Ukraine",
        ActorKind.STATE,
        "Invaded by Russia on 24 February 2022.",
        country="UA",
        wikidata_id="Q212",
        aliases=(AliasSeed("Україна", "uk"), AliasSeed("Украина", "ru")),
    ),
]

BODIES = [
    ActorSeed(
        "russian-mfa",
        "Russian Ministry of Foreign Affairs",
        ActorKind.GOVERNMENT_BODY,
        "Russia's foreign ministry. Its Information and Press Department, headed by Maria "
        "Zakharova, speaks for it.",
        country="RU",
        aliases=(
            AliasSeed("Russian Foreign Ministry", "en", "as in the seed article"),
            AliasSeed("Ministry of Foreign Affairs of the Russian Federation", "en"),
            AliasSeed("МИД России", "ru"),
            AliasSeed("Министерство иностранных дел Российской Федерации", "ru"),
        ),
    ),
    ActorSeed(
        "security-council-of-russia",
        "Security Council of Russia",
        ActorKind.GOVERNMENT_BODY,
        "The Russian president's advisory body on national security, chaired by the "
        "president; its secretary runs it day to day.",
        country="RU",
        aliases=(
            AliasSeed("Russian Security Council", "en", "as in the seed article"),
            AliasSeed("Security Council of the Russian Federation", "en"),
            AliasSeed("Совет безопасности Российской Федерации", "ru"),
        ),
    ),
    ActorSeed(
        "presidential-administration-of-russia",
        "Presidential Administration of Russia",
        ActorKind.GOVERNMENT_BODY,
        "The Russian president's executive office, which employs the president's aides and "
        "publishes the president's official website (kremlin.ru). Often called “the Kremlin”.",
        country="RU",
        aliases=(
            AliasSeed("Kremlin", "en", "metonym, as in the seed article"),
            AliasSeed("Executive Office of the President of the Russian Federation", "en"),
            AliasSeed("Администрация Президента Российской Федерации", "ru"),
        ),
    ),
    ActorSeed(
        "us-national-security-council",
        "US National Security Council",
        ActorKind.GOVERNMENT_BODY,
        "The White House body that advises the US president on national security; its staff "
        "is led by the National Security Advisor.",
        country="US",
        aliases=(
            AliasSeed("National Security Council", "en"),
            AliasSeed("NSC", "en"),
        ),
    ),
    ActorSeed(
        "us-state-department",
        "US Department of State",
        ActorKind.GOVERNMENT_BODY,
        "The US foreign ministry. Its Under Secretary for Arms Control and International "
        "Security oversees the implementation of arms control treaties.",
        country="US",
        aliases=(
            AliasSeed("State Department", "en"),
            AliasSeed("United States Department of State", "en"),
            AliasSeed("Госдепартамент США", "ru"),
        ),
    ),
]

ORGANISATIONS = [
    ActorSeed(
        "new-start-bilateral-consultative-commission",
        "New START Bilateral Consultative Commission",
        ActorKind.ORGANISATION,
        "The body set up by New START in which US and Russian delegations resolved questions "
        "about the treaty's implementation.",
        aliases=(
            AliasSeed("Bilateral Consultative Commission", "en"),
            AliasSeed("BCC", "en"),
            AliasSeed("New Start advisory commission", "en", "as in the seed article"),
            AliasSeed("Двусторонняя консультативная комиссия", "ru"),
        ),
    ),
    ActorSeed(
        "osce",
        "Organization for Security and Co-operation in Europe",
        ActorKind.ORGANISATION,
        "Regional security organisation of European, Central Asian and North American states, "
        "closely associated with the Open Skies Treaty.",
        aliases=(AliasSeed("OSCE", "en"), AliasSeed("ОБСЕ", "ru")),
    ),
    ActorSeed(
        "arms-control-association",
        "Arms Control Association",
        ActorKind.ORGANISATION,
        "US non-governmental organisation that publishes the journal Arms Control Today and "
        "reference pages on arms control treaties.",
        country="US",
        aliases=(AliasSeed("ACA", "en"),),
    ),
]

MEDIA = [
    ActorSeed(
        "washington-post",
        "The Washington Post",
        ActorKind.MEDIA,
        "US daily newspaper.",
        country="US",
        wikidata_id="Q166032",
        aliases=(AliasSeed("Washington Post", "en"),),
    ),
    ActorSeed(
        "kommersant",
        "Kommersant",
        ActorKind.MEDIA,
        "Russian daily business newspaper.",
        country="RU",
        aliases=(AliasSeed("Коммерсантъ", "ru"), AliasSeed("Коммерсант", "ru")),
    ),
    ActorSeed(
        "rossiya-1",
        "Rossiya-1",
        ActorKind.MEDIA,
        "Russian state television channel, part of the state broadcaster VGTRK.",
        country="RU",
        wikidata_id="Q211511",
        aliases=(AliasSeed("Россия-1", "ru"), AliasSeed("Russia-1", "en")),
    ),
    ActorSeed(
        "tass",
        "TASS",
        ActorKind.MEDIA,
        "Russian state news agency.",
        country="RU",
        wikidata_id="Q223799",
        aliases=(AliasSeed("ТАСС", "ru"), AliasSeed("Russian News Agency TASS", "en")),
    ),
    ActorSeed(
        "sputnik",
        "Sputnik",
        ActorKind.MEDIA,
        "Russian state-owned international news agency and website.",
        country="RU",
        aliases=(AliasSeed("Sputnik International", "en"),),
    ),
    ActorSeed(
        "ballotpedia",
        "Ballotpedia",
        ActorKind.MEDIA,
        "US non-profit online encyclopedia of American politics, with a news section.",
        country="US",
        aliases=(AliasSeed("Ballotpedia News", "en"),),
    ),
]

US_PRESIDENT = "President of the United States"
RUSSIAN_PRESIDENT = "President of Russia"

PEOPLE = [
    ActorSeed(
        "maria-zakharova",
        "Maria Zakharova",
        ActorKind.PERSON,
        "Spokeswoman of the Russian Ministry of Foreign Affairs.",
        country="RU",
        aliases=(
            AliasSeed("Мария Захарова", "ru"),
            AliasSeed("Захарова", "ru"),
            AliasSeed("Мария Владимировна Захарова", "ru"),
            AliasSeed("Maria Vladimirovna Zakharova", "en"),
            AliasSeed("Maria Zajárova", "es", ARTICLE_SPELLING),
            AliasSeed("María Zajárova", "es", SPANISH),
            AliasSeed("Zajárova", "es", SPANISH),
            AliasSeed("Maria Sacharowa", "de"),
            AliasSeed("Marija Zacharovová", "cs"),
        ),
        roles=(
            RoleSeed(
                "Director of the Information and Press Department (spokeswoman)",
                "russian-mfa",
                start=in_month(2015, 8),
            ),
        ),
    ),
    ActorSeed(
        "vladimir-solovyov",
        "Vladimir Solovyov",
        ActorKind.PERSON,
        "Russian television presenter of “Evening with Vladimir Solovyov” on Rossiya-1, who "
        "also hosts his own channel, Solovyov Live.",
        country="RU",
        aliases=(
            AliasSeed("Владимир Соловьёв", "ru"),
            AliasSeed("Владимир Соловьев", "ru", "spelt without ё"),
            AliasSeed("Vladimir Soloviov", "es", ARTICLE_SPELLING),
            AliasSeed("Soloviov", "es", SPANISH),
            AliasSeed("Vladimir Soloviev", "fr"),
            AliasSeed("Wladimir Solowjow", "de"),
        ),
        roles=(RoleSeed("Presenter of “Evening with Vladimir Solovyov”", "rossiya-1"),),
    ),
    ActorSeed(
        "jake-sullivan",
        "Jake Sullivan",
        ActorKind.PERSON,
        "US National Security Advisor to President Joe Biden (2021–2025).",
        country="US",
        aliases=(AliasSeed("Jacob Sullivan", "en"), AliasSeed("Джейк Салливан", "ru")),
        roles=(
            RoleSeed(
                "National Security Advisor",
                "us-national-security-council",
                start=on(2021, 1, 20),
                end=on(2025, 1, 20),
            ),
        ),
    ),
    ActorSeed(
        "nikolai-patrushev",
        "Nikolai Patrushev",
        ActorKind.PERSON,
        "Secretary of the Security Council of Russia from 2008 to 2024.",
        country="RU",
        aliases=(
            AliasSeed("Николай Патрушев", "ru"),
            AliasSeed("Nikolay Patrushev", "en"),
            AliasSeed("Nikolai Patrúshev", "es", ARTICLE_SPELLING),
            AliasSeed("Patrúshev", "es", SPANISH),
            AliasSeed("Nikołaj Patruszew", "pl"),
        ),
        roles=(
            RoleSeed(
                "Secretary of the Security Council",
                "security-council-of-russia",
                start=in_month(2008, 5),
                end=in_month(2024, 5),
            ),
        ),
    ),
    ActorSeed(
        "yuri-ushakov",
        "Yuri Ushakov",
        ActorKind.PERSON,
        "Foreign-policy aide to the President of Russia.",
        country="RU",
        aliases=(
            AliasSeed("Юрий Ушаков", "ru"),
            AliasSeed("Yury Ushakov", "en"),
            AliasSeed("Juri Uschakow", "de"),
        ),
        roles=(
            RoleSeed(
                "Aide to the President of Russia (foreign policy)",
                "presidential-administration-of-russia",
                start=in_month(2012, 5),
            ),
        ),
    ),
    ActorSeed(
        "joe-biden",
        "Joe Biden",
        ActorKind.PERSON,
        "President of the United States from 2021 to 2025.",
        country="US",
        wikidata_id="Q6279",
        aliases=(AliasSeed("Joseph R. Biden Jr.", "en"), AliasSeed("Джо Байден", "ru")),
        roles=(RoleSeed(US_PRESIDENT, "united-states", on(2021, 1, 20), on(2025, 1, 20)),),
    ),
    ActorSeed(
        "vladimir-putin",
        "Vladimir Putin",
        ActorKind.PERSON,
        "President of Russia (2000–2008, and again since 2012).",
        country="RU",
        wikidata_id="Q7747",
        aliases=(
            AliasSeed("Владимир Путин", "ru"),
            AliasSeed("Vladimir Poutine", "fr"),
            AliasSeed("Poutine", "fr"),
            AliasSeed("Wladimir Putin", "de"),
            AliasSeed("Vladímir Putin", "es"),
        ),
        roles=(
            RoleSeed(RUSSIAN_PRESIDENT, "russia", on(2000, 5, 7), on(2008, 5, 7)),
            RoleSeed(RUSSIAN_PRESIDENT, "russia", on(2012, 5, 7)),
        ),
    ),
    ActorSeed(
        "bonnie-jenkins",
        "Bonnie Jenkins",
        ActorKind.PERSON,
        "US Under Secretary of State for Arms Control and International Security from 2021 "
        "to 2024.",
        country="US",
        aliases=(AliasSeed("Bonnie D. Jenkins", "en"), AliasSeed("Bonnie Denise Jenkins", "en")),
        roles=(
            RoleSeed(
                "Under Secretary of State for Arms Control and International Security",
                "us-state-department",
                start=in_month(2021, 7),
                end=in_month(2024, 12),
            ),
        ),
    ),
    ActorSeed(
        "sergey-ryabkov",
        "Sergey Ryabkov",
        ActorKind.PERSON,
        "Russian Deputy Minister of Foreign Affairs, responsible for relations with the United "
        "States and for arms control.",
        country="RU",
        aliases=(
            AliasSeed("Сергей Рябков", "ru"),
            AliasSeed("Sergei Ryabkov", "en"),
            AliasSeed("Sergey Riabkov", "es", ARTICLE_SPELLING),
            AliasSeed("Serguéi Riabkov", "es", SPANISH),
            AliasSeed("Riabkov", "es", SPANISH),
        ),
        roles=(RoleSeed("Deputy Minister of Foreign Affairs", "russian-mfa"),),
    ),
    ActorSeed(
        "barack-obama",
        "Barack Obama",
        ActorKind.PERSON,
        "President of the United States from 2009 to 2017; signed New START in 2010.",
        country="US",
        wikidata_id="Q76",
        aliases=(AliasSeed("Барак Обама", "ru"),),
        roles=(RoleSeed(US_PRESIDENT, "united-states", on(2009, 1, 20), on(2017, 1, 20)),),
    ),
    ActorSeed(
        "dmitry-medvedev",
        "Dmitry Medvedev",
        ActorKind.PERSON,
        "President of Russia from 2008 to 2012, who signed New START in 2010; from 2020 Deputy "
        "Chairman of the Security Council of Russia.",
        country="RU",
        wikidata_id="Q23530",
        aliases=(AliasSeed("Дмитрий Медведев", "ru"), AliasSeed("Dmitri Medvedev", "en")),
        roles=(
            RoleSeed(RUSSIAN_PRESIDENT, "russia", on(2008, 5, 7), on(2012, 5, 7)),
            RoleSeed(
                "Deputy Chairman of the Security Council",
                "security-council-of-russia",
                start=in_month(2020, 1),
            ),
        ),
    ),
    ActorSeed(
        "ronald-reagan",
        "Ronald Reagan",
        ActorKind.PERSON,
        "President of the United States from 1981 to 1989; signed the INF Treaty in 1987.",
        country="US",
        wikidata_id="Q9960",
        aliases=(AliasSeed("Рональд Рейган", "ru"),),
        roles=(RoleSeed(US_PRESIDENT, "united-states", on(1981, 1, 20), on(1989, 1, 20)),),
    ),
    ActorSeed(
        "mikhail-gorbachev",
        "Mikhail Gorbachev",
        ActorKind.PERSON,
        "Leader of the Soviet Union from 1985 to 1991; signed the INF Treaty in 1987.",
        wikidata_id="Q30487",
        aliases=(AliasSeed("Михаил Горбачёв", "ru"), AliasSeed("Michail Gorbatschow", "de")),
        roles=(
            RoleSeed(
                "General Secretary of the Communist Party of the Soviet Union",
                "soviet-union",
                on(1985, 3, 11),
                on(1991, 8, 24),
            ),
        ),
    ),
]

# Organisations come first so that roles can point at them.
ACTORS = [*STATES, *BODIES, *ORGANISATIONS, *MEDIA, *PEOPLE]


# Treaties -------------------------------------------------------------------------------

CENTRAL_LIMITS_FROM = "To be met by 5 February 2018, seven years after entry into force."

TREATIES = [
    TreatySeed(
        slug="new-start",
        name="Treaty between the United States of America and the Russian Federation on "
        "Measures for the Further Reduction and Limitation of Strategic Offensive Arms",
        short_name="New START",
        kind=TreatyKind.BILATERAL,
        status=TreatyStatus.EXPIRED,
        status_note="Expired on 5 February 2026, at the end of the single five-year extension "
        "it allowed. Russia had suspended its participation on 21 February 2023, without "
        "withdrawing.",
        summary="Treaty between the United States and Russia limiting their strategic nuclear "
        "forces: deployed intercontinental ballistic missiles (ICBMs), submarine-launched "
        "ballistic missiles (SLBMs) and heavy bombers, the warheads counted for them, and their "
        "launchers. Data exchanges, notifications and on-site inspections verified the limits, "
        "and a Bilateral Consultative Commission (BCC) dealt with questions of implementation. "
        "Inspections were paused in 2020 because of the COVID-19 pandemic and never resumed: "
        "Russia exempted its facilities from them in August 2022, postponed a BCC session "
        "planned for Cairo in November 2022, and suspended its participation in February 2023. "
        "Extended once, in February 2021, for five years, the treaty expired on 5 February "
        "2026.",
        signed_on=day(2010, 4, 8),
        signed_at="Prague",
        in_force_on=day(2011, 2, 5),
        suspended_on=day(2023, 2, 21),
        ended_on=day(2026, 2, 5),
        parties=(PartySeed("united-states"), PartySeed("russia")),
        signers=(
            SignerSeed("barack-obama", "united-states", day(2010, 4, 8), "Prague"),
            SignerSeed("dmitry-medvedev", "russia", day(2010, 4, 8), "Prague"),
        ),
        limits=(
            LimitSeed(
                "deployed strategic warheads",
                1550,
                "warheads",
                "Warheads on deployed ICBMs and SLBMs, each deployed heavy bomber counting as "
                "one. " + CENTRAL_LIMITS_FROM,
            ),
            LimitSeed(
                "deployed ICBMs, deployed SLBMs and deployed heavy bombers",
                700,
                "missiles and bombers",
                CENTRAL_LIMITS_FROM,
            ),
            LimitSeed(
                "deployed and non-deployed ICBM launchers, SLBM launchers and heavy bombers",
                800,
                "launchers and bombers",
                CENTRAL_LIMITS_FROM,
            ),
        ),
    ),
    TreatySeed(
        slug="inf",
        name="Treaty between the United States of America and the Union of Soviet Socialist "
        "Republics on the Elimination of Their Intermediate-Range and Shorter-Range Missiles",
        short_name="INF Treaty",
        kind=TreatyKind.BILATERAL,
        # Terminated, not "withdrawn": the United States withdrew, and the treaty as a whole
        # then ceased to exist, for Russia too. "Withdrawn" would describe a party's act and
        # suggest the treaty lived on for others, as Open Skies does.
        status=TreatyStatus.TERMINATED,
        status_note="Ended on 2 August 2019, when the United States' withdrawal took effect; "
        "the treaty did not survive it. Russia had suspended its own obligations in March "
        "2019.",
        summary="Treaty signed by Ronald Reagan and Mikhail Gorbachev that eliminated a whole "
        "class of weapons: all US and Soviet ground-launched ballistic and cruise missiles with "
        "ranges of 500 to 5,500 km, and their launchers. The eliminations, verified by on-site "
        "inspections, were completed by 1991. After the Soviet Union dissolved, Russia and "
        "other successor states, Ukraine among them, took over its obligations. Accusing Russia "
        "of breaking the treaty with a ground-launched cruise missile, the 9M729 (SSC-8), which "
        "Russia denied, the United States suspended its obligations on 2 February 2019 and "
        "withdrew with effect from 2 August 2019, when the treaty ended.",
        signed_on=day(1987, 12, 8),
        signed_at="Washington",
        in_force_on=day(1988, 6, 1),
        suspended_on=day(2019, 2, 2),
        ended_on=day(2019, 8, 2),
        parties=(
            PartySeed("united-states", day(2019, 8, 2)),
            PartySeed(
                "soviet-union",
                note="Signed and ratified the treaty; dissolved in 1991, its rights and "
                "obligations passing to its successor states.",
            ),
            PartySeed(
                "russia",
                note="Successor state of the Soviet Union, which signed the treaty: Russia "
                "continued its rights and obligations. It suspended its own obligations in "
                "March 2019.",
            ),
        ),
        signers=(
            SignerSeed("ronald-reagan", "united-states", day(1987, 12, 8), "Washington"),
            SignerSeed(
                "mikhail-gorbachev",
                "soviet-union",
                day(1987, 12, 8),
                "Washington",
                note="For the Soviet Union; Russia is its successor state.",
            ),
        ),
        limits=(
            LimitSeed(
                "ground-launched ballistic and cruise missiles with ranges of 500–5,500 km, and "
                "their launchers",
                0,
                "allowed",
                "A ban: intermediate-range (1,000–5,500 km) and shorter-range (500–1,000 km) "
                "missiles were to be eliminated within three years of entry into force. Air- "
                "and sea-launched missiles were not covered.",
            ),
        ),
    ),
    TreatySeed(
        slug="open-skies",
        name="Treaty on Open Skies",
        short_name="Open Skies Treaty",
        kind=TreatyKind.MULTILATERAL,
        status=TreatyStatus.IN_FORCE,
        status_note="In force among the remaining states parties. The United States withdrew "
        "with effect from 22 November 2020, and Russia with effect from 18 December 2021.",
        summary="Multilateral treaty, negotiated between members of NATO and of the former "
        "Warsaw Pact, under which each state party accepts short-notice, unarmed observation "
        "flights over its whole territory by other states parties, with agreed sensors, and "
        "may conduct such flights itself, within annual quotas. It had 34 states parties "
        "before the United States withdrew in 2020 and Russia in 2021; it remains in force "
        "among the others. Only the United States and Russia, whose withdrawals the records "
        "here concern, are entered as parties.",
        signed_on=day(1992, 3, 24),
        signed_at="Helsinki",
        in_force_on=day(2002, 1, 1),
        parties=(
            PartySeed(
                "united-states",
                day(2020, 11, 22),
                note="Signed in Helsinki on 24 March 1992; a party from the treaty's entry "
                "into force on 1 January 2002. Gave notice of withdrawal on 22 May 2020.",
            ),
            PartySeed(
                "russia",
                day(2021, 12, 18),
                note="Signed in Helsinki on 24 March 1992; a party from the treaty's entry "
                "into force on 1 January 2002. Gave notice of withdrawal on 18 June 2021.",
            ),
        ),
        limits=(
            LimitSeed(
                "observation flights each state party must accept (its passive quota)",
                note="Set for each state party by the treaty and reviewed every year; a "
                "state's active quota, the flights it may conduct, cannot exceed its passive "
                "quota.",
            ),
            LimitSeed(
                "sensors on observation aircraft",
                note="Only agreed categories: optical panoramic and framing cameras, video "
                "cameras, infrared line-scanning devices and sideways-looking synthetic "
                "aperture radar, within agreed resolutions.",
            ),
        ),
    ),
]


# Reference sources for facts the article leaves out --------------------------------------

NEW_START_IN_FORCE = SourceSeed(
    title="Exchange of New START Instruments of Ratification",
    outlet="us-state-department",
    author="Hillary Rodham Clinton and Sergey Lavrov",
    url="https://2009-2017.state.gov/secretary/20092013clinton/rm/2011/02/156047.htm",
    published_on=day(2011, 2, 5),
    notes="Transcript of the US Secretary of State's and the Russian Foreign Minister's "
    "remarks at the exchange in Munich, on the State Department's archived website.",
    events=(
        EventSeed(
            "new-start-enters-into-force",
            "New START enters into force",
            EventKind.ENTRY_INTO_FORCE,
            on(2011, 2, 5),
            "US Secretary of State Hillary Clinton and Russian Foreign Minister Sergey Lavrov "
            "exchanged the instruments of ratification at the Munich Security Conference; with "
            "the exchange, the treaty entered into force.",
            location="Munich",
            treaties=("new-start",),
            actors=("united-states", "russia"),
        ),
    ),
)

NEW_START_EXTENSION = SourceSeed(
    title="On the Extension of the New START Treaty with the Russian Federation",
    outlet="us-state-department",
    author="Antony J. Blinken",
    published_on=day(2021, 2, 3),
    notes="Press statement by the US Secretary of State announcing the five-year extension, "
    "which keeps the treaty's limits until 5 February 2026. Its URL is not recorded here.",
    events=(
        EventSeed(
            "new-start-expires",
            "New START expires",
            EventKind.EXPIRY,
            on(2026, 2, 5),
            "The treaty expired at the end of its five-year extension; it allowed only one "
            "extension. The limits on US and Russian strategic forces lapsed with it.",
            editor_note="The source fixes the end date the extension set; the expiry itself "
            "is in the reference facts for the seed article.",
            treaties=("new-start",),
            actors=("united-states", "russia"),
        ),
    ),
)

NEW_START_SUSPENSION = SourceSeed(
    title="Presidential Address to the Federal Assembly",
    outlet="presidential-administration-of-russia",
    author="Vladimir Putin",
    published_on=day(2023, 2, 21),
    notes="The Kremlin's transcript of the president's annual address, in Russian «Послание "
    "Президента Федеральному Собранию». Its URL is not recorded here.",
    events=(
        EventSeed(
            "russia-suspends-new-start",
            "Russia suspends its participation in New START",
            EventKind.SUSPENSION,
            on(2023, 2, 21),
            "Near the end of his address to the Federal Assembly, Vladimir Putin announced that "
            "Russia was suspending its participation in New START, stressing that it was not "
            "withdrawing. He said that before returning to the treaty Russia needed to "
            "understand how the strategic arsenals of France and the United Kingdom would be "
            "taken into account.",
            location="Moscow",
            treaties=("new-start",),
            actors=("vladimir-putin", "russia"),
        ),
    ),
)

INSPECTIONS = SourceSeed(
    title="Russia paused New START inspections ahead of US plan to conduct such probe in days",
    outlet="tass",
    url="https://tass.com/politics/1491611",
    published_on=day(2022, 8, 9),
    notes="Reports Sergey Ryabkov's commentary on the Foreign Ministry's website about "
    "Russia's exemption of its facilities from inspection.",
    events=(
        EventSeed(
            "new-start-inspections-paused",
            "New START on-site inspections paused because of COVID-19",
            EventKind.SUSPENSION,
            in_year(2020),
            "The United States and Russia paused on-site inspections under New START by mutual "
            "agreement because of the COVID-19 pandemic. They were never resumed.",
            editor_note="Given as 2020 only: Ryabkov dates the pause to the beginning of 2020, "
            "other reports to March 2020.",
            treaties=("new-start",),
            actors=("united-states", "russia"),
        ),
        EventSeed(
            "russia-exempts-facilities-from-new-start-inspections",
            "Russia exempts its facilities from New START inspections",
            EventKind.SUSPENSION,
            on(2022, 8, 8),
            "Russia informed the United States through diplomatic channels that it was "
            "temporarily exempting its facilities from inspection under New START. The Foreign "
            "Ministry blamed sanctions that, it said, kept Russian inspectors from travelling to "
            "the United States. Sergey Ryabkov said the next day that a US notice of an "
            "inspection due within days had been the trigger, calling it “an outright "
            "provocation”.",
            treaties=("new-start",),
            actors=("russian-mfa", "russia", "united-states", "sergey-ryabkov"),
        ),
    ),
)

CAIRO_POSTPONED = SourceSeed(
    title="Meeting of Russia-US Commission on START Rescheduled for Later: Russian Foreign "
    "Ministry",
    outlet="sputnik",
    url="https://sputniknews.com/20221128/meeting-of-russia-us-commission-on-start-rescheduled"
    "-for-later-russian-foreign-ministry-1104791750.html",
    published_on=day(2022, 11, 28),
    notes="Quotes the Russian Foreign Ministry: the Bilateral Consultative Commission session "
    "“previously scheduled in Cairo (November 29 – December 6)” would not take place on those "
    "dates. The US State Department said the same day that Russia had postponed it "
    "unilaterally.",
)

INF_DATES = SourceSeed(
    title="Intermediate-Range Nuclear Forces Treaty",
    outlet="arms-control-association",
    url="https://www.armscontrol.org/treaties/intermediate-range-nuclear-forces-treaty",
    notes="Reference page: opened for signature on 8 December 1987, in force from 1 June 1988.",
    events=(
        EventSeed(
            "inf-treaty-signed",
            "INF Treaty signed",
            EventKind.SIGNING,
            on(1987, 12, 8),
            "Ronald Reagan and Mikhail Gorbachev signed the INF Treaty at the White House during "
            "their Washington summit.",
            location="Washington",
            treaties=("inf",),
            actors=("ronald-reagan", "mikhail-gorbachev", "united-states", "soviet-union"),
        ),
        EventSeed(
            "inf-treaty-enters-into-force",
            "INF Treaty enters into force",
            EventKind.ENTRY_INTO_FORCE,
            on(1988, 6, 1),
            "The instruments of ratification were exchanged at the Moscow summit between Ronald "
            "Reagan and Mikhail Gorbachev, and the treaty entered into force.",
            location="Moscow",
            treaties=("inf",),
            actors=("ronald-reagan", "mikhail-gorbachev", "united-states", "soviet-union"),
        ),
    ),
)

INF_SUSPENSION = SourceSeed(
    title="U.S. to suspend INF treaty with Russia",
    outlet="ballotpedia",
    url="https://news.ballotpedia.org/2019/02/02/u-s-to-suspend-inf-treaty-with-russia/",
    published_on=day(2019, 2, 2),
    events=(
        EventSeed(
            "us-suspends-inf-obligations",
            "United States suspends its INF Treaty obligations",
            EventKind.SUSPENSION,
            on(2019, 2, 2),
            "Citing Russia's alleged violation of the treaty, the United States suspended its "
            "obligations and gave six months' notice of withdrawal, announced by Secretary of "
            "State Mike Pompeo and President Donald Trump the day before. Russia suspended its "
            "own obligations in response, by a decree Vladimir Putin signed in March 2019.",
            treaties=("inf",),
            actors=("united-states", "russia"),
        ),
    ),
)

OPEN_SKIES_DATES = SourceSeed(
    title="Signing of Treaty on Open Skies",
    outlet="osce",
    url="https://osce.org/who/timeline/1990s/06",
    notes="Page of the OSCE's timeline: signed in Helsinki on 24 March 1992, in force from 1 "
    "January 2002, 34 states parties at the time of writing.",
    events=(
        EventSeed(
            "open-skies-treaty-signed",
            "Open Skies Treaty signed",
            EventKind.SIGNING,
            on(1992, 3, 24),
            "Members of NATO and of the former Warsaw Pact, the United States and Russia among "
            "them, signed the Treaty on Open Skies.",
            location="Helsinki",
            treaties=("open-skies",),
            actors=("united-states", "russia"),
        ),
        EventSeed(
            "open-skies-treaty-enters-into-force",
            "Open Skies Treaty enters into force",
            EventKind.ENTRY_INTO_FORCE,
            on(2002, 1, 1),
            "The treaty entered into force sixty days after the required number of "
            "ratifications had been deposited.",
            treaties=("open-skies",),
            actors=("united-states", "russia"),
        ),
    ),
)

RUSSIA_LEAVES_OPEN_SKIES = SourceSeed(
    title="Russia to exit Open Skies Treaty on December 18 — statement",
    outlet="tass",
    url="https://tass.com/politics/1304597",
    published_on=day(2021, 6, 18),
    notes="Quotes the Russian Foreign Ministry's statement of 18 June 2021 that Russia's "
    "withdrawal would take effect on 18 December 2021.",
)


# The seed article ------------------------------------------------------------------------

ARTICLE_TITLE = "Russia Acknowledges That It Maintains “Specific Contacts” With The United States"

ZAKHAROVA_INTERVIEW = "interview with Vladimir Solovyov on Solovyov Live"
ZAKHAROVA_CHANNEL_NOTE = (
    "The article names the presenter but not the programme. Govorit Moskva radio reported on "
    "8 November 2022 (“В МИДе напомнили о готовности России к диалогам с США”, "
    "https://govoritmoskva.ru/news/339624/) that she spoke on the air of «Соловьёв Live», "
    "Solovyov's own channel, not on Rossiya-1. She spoke Russian; the English here is a "
    "translation of the Spanish report's translation."
)
JENKINS_TITLE_NOTE = (
    "The article calls her “US Secretary for Arms Control and International Security”; she was "
    "Under Secretary of State for Arms Control and International Security (July 2021 – "
    "December 2024). The date and the “special press conference” are as the article gives them; "
    "its transcript has not been identified here."
)

ARTICLE = SourceSeed(
    title=ARTICLE_TITLE,
    published_on=day(2022, 11, 8),
    language="en",
    notes="""\
English translation of a Spanish-language report; the original outlet, its author and the \
URL are not known to us and are left blank. The text bears no date. It reports Zakharova's \
remarks of “Tuesday” and the Washington Post's report of “last Monday”, which places it on or \
just after Tuesday 8 November 2022, the date entered here.

Its errors and vague points, kept as published and explained in the notes on each statement \
and event:
- Bonnie Jenkins is called “US Secretary for Arms Control and International Security”; she was \
Under Secretary of State.
- Trident II missiles are called “intercontinental ballistic missiles”; they are \
submarine-launched ballistic missiles (SLBMs).
- “B-52 submarine launchers” runs together two US conversions Russia disputes: Trident II SLBM \
launchers and B-52H heavy bombers.
- The Washington Post is credited with revealing Jake Sullivan's contacts; the Wall Street \
Journal reported them first, on 6 November 2022. Sullivan's title was National Security \
Advisor, not “Chief National Security Adviser”.
- The INF and Open Skies treaties were not both “abandoned by both parties years before” the \
2021 extension of New START: the INF Treaty ended when the United States withdrew in 2019, and \
Russia's withdrawal from Open Skies took effect on 18 December 2021, after the extension.
- The exercise of 26 October 2022 is called “a massive attack”; it rehearsed a massive nuclear \
strike in response to an enemy one.
- The bracket “[including nuclear]” in Putin's words of 21 September 2022 is the report's gloss, \
not his words.
- Ryabkov's “absolute provocation” is presented as a reply to Jenkins' remarks of 25 August \
2022; it matches his comment of 9 August 2022 on a planned US inspection.
- The “New Start advisory commission” is the treaty's Bilateral Consultative Commission; \
New START's formal name is not “the Strategic Arms Reduction Treaty”, which was its 1991 \
predecessor.
- Zakharova's interview is placed on no channel; it was on Solovyov Live.
- Typing slips: “Vladimir Putin. for the foreign policy”, “September 21Vladimir Putin”.""",
    statements=(
        StatementSeed(
            speaker="maria-zakharova",
            text="We maintain, let’s put it that way, specific contacts with the United States "
            "on those issues that require their participation. We are open to any type of "
            "dialogue that is beneficial for both, that represents mutual interest",
            when=on(2022, 11, 8),
            setting=Setting.INTERVIEW,
            setting_detail=ZAKHAROVA_INTERVIEW,
            source_locator="paragraph 1",
            original_language="ru",
            editor_note=ZAKHAROVA_CHANNEL_NOTE
            + " Govorit Moskva quotes the second sentence as «Мы открыты к любого рода "
            "диалогам взаимовыгодным, представляющим обоюдный интерес» and reports the first as "
            "Moscow and Washington being in «точечных контактах» (literally “pinpoint "
            "contacts”; TASS's English service gave “targeted contact”).",
            mentions=("vladimir-solovyov", "united-states"),
            topics=("us-russia-contacts",),
        ),
        StatementSeed(
            speaker="maria-zakharova",
            text="This has nothing to do with the concept of full-fledged relationships",
            when=on(2022, 11, 8),
            setting=Setting.INTERVIEW,
            setting_detail=ZAKHAROVA_INTERVIEW,
            source_locator="paragraph 2",
            original_text="не имеют отношения к понятию полноформатных отношений",
            original_language="ru",
            editor_note=ZAKHAROVA_CHANNEL_NOTE
            + " The Russian words are as Govorit Moskva quotes them; “this” refers to the "
            "contacts with the United States.",
            mentions=("united-states",),
            topics=("us-russia-contacts",),
        ),
        StatementSeed(
            speaker="vladimir-putin",
            text="In the face of a threat to the territorial integrity of our country, we will "
            "use all means at our disposal [including nuclear] to protect Russia and our "
            "people; this is not a bluff",
            when=on(2022, 9, 21),
            setting=Setting.SPEECH,
            setting_detail="televised address announcing a partial mobilisation",
            source_locator="paragraph 5",
            original_language="ru",
            editor_note="“[including nuclear]” is the report's insertion, not Putin's words. In "
            "the address he accused the West of “nuclear blackmail” and said Russia also had "
            "various means of destruction; this sentence itself speaks of “all means” (Reuters "
            "rendered it: “If the territorial integrity of our country is threatened, we use "
            "all available means to protect our people - this is not a bluff”).",
            topics=("nuclear-rhetoric", "war-in-ukraine"),
        ),
        StatementSeed(
            speaker="russian-mfa",
            text="One of Russia’s concerns is the deployment of Trident II intercontinental "
            "ballistic missiles. The Russian Foreign Ministry published a statement in "
            "mid-October denouncing its inability to confirm whether Washington included some "
            "B-52 submarine launchers and strategic aircraft in its nuclear arsenal, and also "
            "criticizing the “arbitrary reclassification” of some missile silos.",
            when=mid_month(2022, 10),
            # The article's narration of the statement, not its words: a paraphrase, in which
            # only "arbitrary reclassification" is quoted.
            kind=StatementKind.PARAPHRASE,
            setting=Setting.OFFICIAL_STATEMENT,
            setting_detail="Foreign Ministry statement",
            source_locator="paragraph 7",
            original_language="ru",
            editor_note="Trident II (D5) missiles are submarine-launched ballistic missiles "
            "(SLBMs), not intercontinental ballistic missiles (ICBMs) in the treaty's terms, "
            "though their range is intercontinental. “B-52 submarine launchers” is garbled: "
            "Russia's long-standing complaint concerns two separate US conversions it says it "
            "cannot confirm, of 56 Trident II SLBM launchers and of 41 B-52H heavy bombers, "
            "which the United States no longer counts; the “missile silos” are four ICBM silos "
            "the United States re-designated as “training silos”, a category the treaty does "
            "not provide for. The statement is probably the ministry's release of Friday 14 "
            "October 2022 on the aggregate numbers exchanged in September (reported by Sputnik, "
            "“Russia and US Exchanged Data on Number of Strategic Offensive Weapons”); since "
            "that is not certain, the date keeps the article's precision.",
            treaties=("new-start",),
            mentions=("united-states",),
            topics=("strategic-stability", "inspections"),
        ),
        StatementSeed(
            speaker="bonnie-jenkins",
            text="The US Secretary for Arms Control and International Security, Bonnie Jenkins, "
            "stated at a special press conference on August 25 that, despite the lack of "
            "dialogue, her country wanted to send a mission to Russia.",
            when=on(2022, 8, 25),
            kind=StatementKind.PARAPHRASE,
            setting=Setting.PRESS_CONFERENCE,
            setting_detail="special press conference",
            source_locator="paragraph 8",
            original_language="en",
            editor_note=JENKINS_TITLE_NOTE + " The “mission” is an inspection team under New "
            "START.",
            treaties=("new-start",),
            mentions=("russia",),
            topics=("inspections", "us-russia-contacts"),
        ),
        StatementSeed(
            speaker="bonnie-jenkins",
            text="We are trying to see how to make it possible. We know there is some pushback "
            "from Russia, but we are in the process of trying to figure out how we can take it "
            "forward",
            when=on(2022, 8, 25),
            setting=Setting.PRESS_CONFERENCE,
            setting_detail="special press conference",
            source_locator="paragraph 8",
            original_language="en",
            editor_note=JENKINS_TITLE_NOTE + " She spoke English; these words went through the "
            "Spanish report's translation and back, so they may not be hers exactly.",
            treaties=("new-start",),
            mentions=("russia",),
            topics=("inspections",),
        ),
        StatementSeed(
            speaker="sergey-ryabkov",
            text="The Russian Deputy Foreign Minister, Sergey Riabkov, considered this wish “a "
            "whim” and “an absolute provocation” with the confrontation in Ukraine in the "
            "background.",
            when=in_month(2022, 8, approximate=True),
            kind=StatementKind.PARAPHRASE,
            source_locator="paragraph 8",
            original_language="ru",
            editor_note="The article gives no date and presents this as a reply to the wish "
            "Jenkins expressed on 25 August 2022. “An absolute provocation” matches Ryabkov's "
            "commentary on the Foreign Ministry's website on 9 August 2022 (TASS: “an outright "
            "provocation”), about a US notice of an inspection due within days, which led "
            "Russia to exempt its facilities from inspection on 8 August: earlier than "
            "Jenkins' remarks, and about a planned inspection rather than her wish. Where "
            "“a whim” comes from has not been found. Hence “c. August 2022”.",
            treaties=("new-start",),
            mentions=("united-states",),
            topics=("inspections", "war-in-ukraine"),
        ),
    ),
    events=(
        EventSeed(
            "washington-post-reports-sullivan-contacts",
            "The Washington Post reports Jake Sullivan's contacts with Ushakov and Patrushev",
            EventKind.REPORT,
            on(2022, 11, 7),
            "According to the article, the Washington Post revealed that Jake Sullivan, Joe "
            "Biden's National Security Advisor, had spoken in recent months with Nikolai "
            "Patrushev and Yuri Ushakov; its sources said the aim was not to negotiate peace in "
            "Ukraine but to avoid a major military escalation between the two countries.",
            source_locator="paragraph 2",
            editor_note="“Last Monday” in the article is 7 November 2022. The Wall Street "
            "Journal had reported the contacts first, on Sunday 6 November 2022; the article "
            "credits only the Washington Post, whose report has not been identified here.",
            actors=("washington-post", "jake-sullivan", "yuri-ushakov", "nikolai-patrushev"),
        ),
        EventSeed(
            "sullivan-contacts-with-ushakov-and-patrushev",
            "Jake Sullivan's confidential contacts with Yuri Ushakov and Nikolai Patrushev",
            EventKind.TALKS,
            in_year(2022, approximate=True),
            "The US National Security Advisor spoke with the Russian president's foreign-policy "
            "aide and with the Secretary of the Security Council of Russia, to avoid a major "
            "military escalation rather than to negotiate peace in Ukraine. The Wall Street "
            "Journal's report of the same contacts said they also served to warn Moscow against "
            "using nuclear or other weapons of mass destruction.",
            source_locator="paragraph 2",
            editor_note="The article says only “in recent months” before November 2022; no "
            "dates are known, so the event is dated c. 2022.",
            actors=(
                "jake-sullivan",
                "yuri-ushakov",
                "nikolai-patrushev",
                "us-national-security-council",
                "security-council-of-russia",
            ),
        ),
        EventSeed(
            "kommersant-reports-planned-new-start-commission-meeting",
            "Kommersant reports a planned meeting of the New START commission",
            EventKind.REPORT,
            on(2022, 11, 8),
            "Kommersant reported that the New START Bilateral Consultative Commission was "
            "considering meeting at the end of November or the beginning of December 2022 in a "
            "country in the Middle East: the first session since the full-scale invasion of "
            "Ukraine and, according to the article, the first outside Geneva, since Russia "
            "wanted a neutral venue and Switzerland had joined the sanctions against it.",
            source_locator="paragraph 4",
            editor_note="The article calls the commission “the New Start advisory commission”.",
            treaties=("new-start",),
            actors=("kommersant", "new-start-bilateral-consultative-commission"),
        ),
        EventSeed(
            "new-start-commission-session-in-cairo-postponed",
            "New START commission session planned in Cairo, postponed by Russia",
            EventKind.MEETING,
            on(2022, 11, 29),
            "A session of the Bilateral Consultative Commission, the first in person since the "
            "pandemic, was set for Cairo from 29 November to 6 December 2022 to discuss, among "
            "other things, the resumption of inspections. On 28 November Russia postponed it; "
            "the US State Department said Russia had done so unilaterally. It did not take "
            "place.",
            end=on(2022, 12, 6),
            location="Cairo",
            source_locator="paragraphs 3–4",
            editor_note="The article reports only a meeting “at the end of this month or at "
            "the beginning of December in a country in the Middle East”. Cairo, the dates and "
            "the postponement come from the reference facts for the article, confirmed by the "
            "Russian Foreign Ministry's statement of 28 November 2022.",
            treaties=("new-start",),
            actors=("new-start-bilateral-consultative-commission", "russia", "united-states"),
            other_sources=(CAIRO_POSTPONED,),
        ),
        EventSeed(
            "russia-announces-partial-mobilisation",
            "Russia announces a partial mobilisation",
            EventKind.ORDER,
            on(2022, 9, 21),
            "In a televised address Vladimir Putin announced a “partial” mobilisation of "
            "reservists, by a decree signed the same day, and warned that Russia would use "
            "“all means” to defend its territorial integrity. Defence Minister Sergei Shoigu "
            "said 300,000 reservists would be called up.",
            location="Moscow",
            source_locator="paragraph 5",
            editor_note="The article speaks of “the mobilization of hundreds of thousands of "
            "citizens”.",
            actors=("vladimir-putin", "russia"),
        ),
        EventSeed(
            "russia-invades-ukraine",
            "Russia begins its full-scale invasion of Ukraine",
            EventKind.MILITARY_ACTION,
            on(2022, 2, 24),
            "Vladimir Putin announced what he called a “special military operation” early in "
            "the morning, and Russian forces invaded Ukraine.",
            source_locator="paragraph 4",
            actors=("vladimir-putin", "russia", "ukraine"),
        ),
        EventSeed(
            "putin-orders-deterrence-forces-on-special-combat-duty",
            "Putin orders Russia's deterrence forces on special combat duty",
            EventKind.ORDER,
            on(2022, 2, 27),
            "At a meeting with Defence Minister Sergei Shoigu and the Chief of the General "
            "Staff, Valery Gerasimov, Vladimir Putin ordered the Russian army's deterrence "
            "forces moved to a “special regime of combat duty”, citing “aggressive statements” "
            "by leading NATO countries and Western sanctions.",
            location="Moscow",
            source_locator="paragraph 5",
            editor_note="The article says the forces were “activated ‘in special combat "
            "mode’”; the order's words were «особый режим несения боевого дежурства», a special "
            "regime of combat duty.",
            actors=("vladimir-putin", "russia"),
        ),
        EventSeed(
            "russia-strategic-deterrence-exercise-october-2022",
            "Russian strategic deterrence forces exercise",
            EventKind.EXERCISE,
            on(2022, 10, 26),
            "Vladimir Putin oversaw an exercise of Russia's land, sea and air strategic "
            "deterrence forces, with practice launches of ballistic and cruise missiles. Defence "
            "Minister Sergei Shoigu said it rehearsed “a massive nuclear strike” by strategic "
            "offensive forces in response to an enemy nuclear strike. The Pentagon said Russia "
            "had notified the United States in advance, as its arms control commitments "
            "require.",
            source_locator="paragraph 5",
            editor_note="The article says that “a few weeks ago, they carried out ‘a massive "
            "attack’ after notifying Washington with very little time of the military "
            "exercise”. It was an exercise that rehearsed a massive strike, not an attack; "
            "“with very little time” is the article's claim.",
            actors=("vladimir-putin", "russia"),
        ),
        EventSeed(
            "new-start-signed",
            "New START signed",
            EventKind.SIGNING,
            on(2010, 4, 8),
            "Barack Obama and Dmitry Medvedev signed New START.",
            location="Prague",
            source_locator="paragraph 6",
            editor_note="The article gives the year and the signatories; the day and the place "
            "are from the reference facts for the article.",
            treaties=("new-start",),
            actors=("barack-obama", "dmitry-medvedev", "united-states", "russia"),
        ),
        EventSeed(
            "new-start-extended",
            "New START extended to 5 February 2026",
            EventKind.EXTENSION,
            on(2021, 2, 3),
            "The United States and Russia extended New START for five years, to 5 February "
            "2026, by an exchange of diplomatic notes that took effect on 3 February 2021, two "
            "days before the treaty was due to expire. It was the only extension the treaty "
            "allowed.",
            source_locator="paragraph 6",
            editor_note="The article says only “in 2021 it was extended for another five "
            "years”; the day is from the US Secretary of State's statement.",
            treaties=("new-start",),
            actors=("united-states", "russia"),
            other_sources=(NEW_START_EXTENSION,),
        ),
        EventSeed(
            "us-withdrawal-from-inf-treaty-takes-effect",
            "US withdrawal from the INF Treaty takes effect; the treaty ends",
            EventKind.WITHDRAWAL,
            on(2019, 8, 2),
            "Six months after its notice, the United States' withdrawal took effect and the "
            "INF Treaty ended.",
            source_locator="paragraph 6",
            editor_note="The article says the INF Treaty was “abandoned by both parties”: the "
            "United States withdrew, and Russia, which had suspended its own obligations in "
            "March 2019, did not. The article calls it “the treaty for the elimination of "
            "medium and short-range missiles”, rendering the Russian and Spanish names; in "
            "English they are intermediate-range and shorter-range missiles.",
            treaties=("inf",),
            actors=("united-states", "russia"),
        ),
        EventSeed(
            "us-withdrawal-from-open-skies-takes-effect",
            "US withdrawal from the Open Skies Treaty takes effect",
            EventKind.WITHDRAWAL,
            on(2020, 11, 22),
            "Six months after giving notice on 22 May 2020, the United States ceased to be a "
            "state party to the Open Skies Treaty, accusing Russia of violating it.",
            source_locator="paragraph 6",
            editor_note="The article does not date the withdrawal; the date is from the "
            "reference facts for the article.",
            treaties=("open-skies",),
            actors=("united-states",),
        ),
        EventSeed(
            "russian-withdrawal-from-open-skies-takes-effect",
            "Russian withdrawal from the Open Skies Treaty takes effect",
            EventKind.WITHDRAWAL,
            on(2021, 12, 18),
            "Six months after its notice of 18 June 2021, Russia ceased to be a state party to "
            "the Open Skies Treaty, blaming the US withdrawal.",
            source_locator="paragraph 6",
            editor_note="The article says the treaty was abandoned by both parties “years "
            "before” the 2021 extension of New START; Russia's withdrawal took effect ten "
            "months after the extension.",
            treaties=("open-skies",),
            actors=("russia",),
            other_sources=(RUSSIA_LEAVES_OPEN_SKIES,),
        ),
    ),
)

# Referenced sources first: the article's events cite some of them as corroboration.
SOURCES = [
    NEW_START_IN_FORCE,
    NEW_START_EXTENSION,
    NEW_START_SUSPENSION,
    INSPECTIONS,
    CAIRO_POSTPONED,
    INF_DATES,
    INF_SUSPENSION,
    OPEN_SKIES_DATES,
    RUSSIA_LEAVES_OPEN_SKIES,
    ARTICLE,
]


# Loading ----------------------------------------------------------------------------------


@transaction.atomic
def load_seed_data() -> Counter:
    """Create what has never existed; return how many rows of each model were created."""
    loader = _Loader()
    loader.load_topics()
    loader.load_actors()
    loader.load_treaties()
    loader.load_signers()
    for seed in SOURCES:
        loader.load_source(seed)
    return loader.created


# In the order of the summary line.
REPORTED_MODELS = [
    Topic,
    Actor,
    ActorAlias,
    Role,
    Treaty,
    TreatyParty,
    TreatySigner,
    TreatyLimit,
    Source,
    Statement,
    Event,
]


def describe(created: Counter) -> str:
    """One line for the terminal: what the last run created."""
    if not created:
        return "Seed data: nothing to create (everything is there, or editors removed it)."
    counts = ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model in REPORTED_MODELS
        if (count := created[model])
    )
    return f"Seed data: created {counts}."


def _never_existed(model, **lookup) -> bool:
    """No row matches now, and none ever did: the history remembers rows that editors have
    deleted or renamed, and the seed must not bring them back."""
    return not (model.objects.filter(**lookup).exists() or model.history.filter(**lookup).exists())


def _fields(seed, *nested: str) -> dict:
    """A seed's own field values, without its nested rows."""
    return {f.name: getattr(seed, f.name) for f in dataclasses.fields(seed) if f.name not in nested}


def _dated(when: When | None, date_field: str, precision_field: str) -> dict:
    return {date_field: when.date, precision_field: when.precision} if when else {}


def _moment(when: When) -> dict:
    """The date fields of a statement or an event."""
    return {**_dated(when, "date", "date_precision"), "date_approximate": when.approximate}


class _Loader:
    def __init__(self):
        self.created = Counter()

    def create(self, model: type[models.Model], **fields) -> models.Model:
        # Not full_clean(): the database's constraints hold on save, and tests/test_seed.py
        # runs every seeded row through the editors' validation once, not at every set-up.
        obj = model(**fields)
        obj._change_reason = CHANGE_REASON
        obj.save()
        self.created[model] += 1
        return obj

    def by_slug(self, model) -> dict:
        return model.objects.in_bulk(field_name="slug")

    def load_topics(self):
        for seed in TOPICS:
            if _never_existed(Topic, slug=seed.slug) and _never_existed(Topic, name=seed.name):
                self.create(Topic, **_fields(seed))

    def load_actors(self):
        new = [seed for seed in ACTORS if _never_existed(Actor, slug=seed.slug)]
        for seed in new:
            actor = self.create(Actor, **_fields(seed, "aliases", "roles"))
            for alias in seed.aliases:
                self.create(ActorAlias, actor=actor, **_fields(alias))
        # Roles once every new actor exists, since they point at organisations.
        actors = self.by_slug(Actor)
        for seed in new:
            for role in seed.roles:
                self.create(
                    Role,
                    actor=actors[seed.slug],
                    title=role.title,
                    organisation=actors.get(role.organisation),
                    **_dated(role.start, "start_date", "start_precision"),
                    **_dated(role.end, "end_date", "end_precision"),
                )

    def load_treaties(self):
        actors = self.by_slug(Actor)
        for seed in TREATIES:
            if not _never_existed(Treaty, slug=seed.slug):
                continue
            treaty = self.create(Treaty, **_fields(seed, "parties", "limits", "signers"))
            for party in seed.parties:
                if party.state in actors:  # unless editors deleted the state
                    self.create(
                        TreatyParty,
                        treaty=treaty,
                        state=actors[party.state],
                        withdrew_on=party.withdrew_on,
                        note=party.note,
                    )
            for position, limit in enumerate(seed.limits):
                self.create(TreatyLimit, treaty=treaty, position=position, **_fields(limit))

    def load_signers(self):
        """Signers also for treaties loaded before signers were recorded: each one whose row
        never existed (one an editor deleted stays deleted), if the treaty and actors do."""
        actors, treaties = self.by_slug(Actor), self.by_slug(Treaty)
        for seed in TREATIES:
            treaty = treaties.get(seed.slug)
            for signer in seed.signers:
                person = actors.get(signer.signer)
                if treaty is None or person is None:
                    continue
                if _never_existed(TreatySigner, treaty=treaty, signer=person):
                    self.create(
                        TreatySigner,
                        treaty=treaty,
                        signer=person,
                        on_behalf_of=actors.get(signer.on_behalf_of),
                        signed_on=signer.signed_on,
                        signed_at=signer.signed_at,
                        note=signer.note,
                    )

    def load_source(self, seed: SourceSeed):
        """The source with all its statements and events, or nothing."""
        if not _never_existed(Source, title=seed.title):
            return
        actors, treaties = self.by_slug(Actor), self.by_slug(Treaty)
        topics = self.by_slug(Topic)
        with transaction.atomic():
            source = self.create(
                Source,
                outlet=actors.get(seed.outlet),
                **_fields(seed, "outlet", "statements", "events"),
            )
            for statement in seed.statements:
                speaker = actors.get(statement.speaker)
                row = self.create(
                    Statement,
                    source=source,
                    speaker=speaker,
                    # A speaker editors deleted leaves the words as a draft to be reattributed.
                    status=Status.PUBLISHED if speaker else Status.DRAFT,
                    **_moment(statement.when),
                    **_fields(statement, "speaker", "when", "treaties", "mentions", "topics"),
                )
                row.treaties.set(_pick(treaties, statement.treaties))
                row.mentions.set(_pick(actors, statement.mentions))
                row.topics.set(_pick(topics, statement.topics))
            for event in seed.events:
                if _never_existed(Event, slug=event.slug):
                    self.load_event(event, source, actors, treaties)

    def load_event(self, seed: EventSeed, source, actors, treaties):
        event = self.create(
            Event,
            source=source,
            status=Status.PUBLISHED,
            **_moment(seed.when),
            **_dated(seed.end, "end_date", "end_precision"),
            **_fields(seed, "when", "end", "treaties", "actors", "other_sources"),
        )
        event.treaties.set(_pick(treaties, seed.treaties))
        event.actors.set(_pick(actors, seed.actors))
        event.other_sources.set(
            Source.objects.filter(title__in=[other.title for other in seed.other_sources])
        )


def _pick(rows_by_slug: dict, slugs) -> list:
    """The rows for these slugs that still exist (editors may have deleted some)."""
    return [rows_by_slug[slug] for slug in slugs if slug in rows_by_slug]
