"""Geometry for the home page's picture of treaty lifespans.

Each treaty is a lane of horizontal bars on one shared year axis: signed (waiting to enter
into force), in force, suspended, and, for a treaty still in force with a fixed end, the time
left until it is due to expire. Everything is computed here in SVG user units so the template
only places rectangles and text, and the tests can check the numbers.

The picture's size does not grow with the record: it draws at most MAX_LANES treaties, in
lanes that tighten once there are more than ROOMY_UP_TO of them.
"""

import datetime
import functools
import hashlib
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

from .dates import DatePrecision, format_date

WIDTH = 760
PAD_X = 24  # room for the first and last year labels, centred on their ticks
AXIS_HEIGHT = 34
TOP = 26  # room for the "today" label above the lanes
MAX_TICKS = 10
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50)
# What the template writes of each treaty (besides the dates in its bars): its link, name
# and status.
TREATY_FIELDS_DRAWN = ("slug", "short_name", "status")
TEMPLATE = "treaties/includes/lifespans_chart.html"  # the one home.html includes
MAX_LANES = 12  # the home page shows a handful of treaties; the list below it names them all
ROOMY_UP_TO = 6  # more lanes than this are drawn compact


@dataclass(frozen=True)
class LaneShape:
    """The vertical layout of one lane, in user units from the top of the lane."""

    height: float
    label_offset: float  # baseline of the lane's label
    bar_offset: float  # top of the lane's bars
    bar_height: float


ROOMY = LaneShape(height=58, label_offset=20, bar_offset=30, bar_height=16)
COMPACT = LaneShape(height=42, label_offset=16, bar_offset=23, bar_height=12)

# What each phase's stretch is called: (with an end, still running today).
PHASE_WORDS = {
    "signed": (
        "Signed on {start}, not in force until {end}",
        "Signed on {start}, not yet in force",
    ),
    "in_force": ("In force from {start} to {end}", "In force since {start}"),
    "suspended": ("Suspended from {start} to {end}", "Suspended since {start}"),
    "scheduled": ("Due to expire on {end}", "Due to expire on {end}"),
}


@dataclass(frozen=True)
class Bar:
    phase: str  # signed, in_force, suspended or scheduled: also the CSS class suffix
    start: datetime.date
    end: datetime.date
    x: float
    width: float
    y: float
    height: float
    open_ended: bool = False  # still running today: the bar stops at the "today" line

    @property
    def description(self):
        closed, running = PHASE_WORDS[self.phase]
        return (running if self.open_ended else closed).format(
            start=format_date(self.start, DatePrecision.DAY),
            end=format_date(self.end, DatePrecision.DAY),
        )


@dataclass(frozen=True)
class Lane:
    treaty: object
    y: float
    label_y: float
    bars: list[Bar]
    end_x: float | None  # where a treaty that has ended stops, for the end cap
    end_date: datetime.date | None
    shape: LaneShape = ROOMY

    @property
    def cap_y(self):
        return self.y + self.shape.bar_offset - 4

    @property
    def cap_height(self):
        return self.shape.bar_height + 8

    @property
    def summary(self):
        """The lane in words, for a screen reader: 'Signed on …. In force from … to ….'"""
        return " ".join(f"{bar.description}." for bar in self.bars)


@dataclass(frozen=True)
class Tick:
    x: float
    year: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    plot_left: float
    plot_right: float
    axis_y: float
    today: datetime.date
    today_x: float
    ticks: list[Tick]
    lanes: list[Lane] = field(default_factory=list)

    @property
    def grid_top(self):
        return TOP

    @property
    def first_year(self):
        return self.ticks[0].year

    @property
    def last_year(self):
        return self.ticks[-1].year

    @property
    def today_label_y(self):
        return TOP - 10

    @property
    def phases(self):
        """The phases drawn, so the key lists only what the picture shows."""
        return {bar.phase for lane in self.lanes for bar in lane.bars}

    @property
    def has_ends(self):
        return any(lane.end_x is not None for lane in self.lanes)

    @property
    def key(self) -> str:
        """Everything the drawing shows, hashed: the page keeps the rendered SVG under it (a
        dozen lanes take milliseconds to render), and an edited treaty, a new day or a
        deploy that changes how it is drawn makes a new key rather than a stale picture."""
        drawn = [_drawing_code(), (self.width, self.height, self.today, self.today_x, self.ticks)]
        for lane in self.lanes:
            treaty = [getattr(lane.treaty, name) for name in TREATY_FIELDS_DRAWN]
            drawn.append((lane.y, lane.label_y, lane.shape, lane.bars, lane.end_date, *treaty))
        return hashlib.sha256(repr(drawn).encode()).hexdigest()


@functools.cache
def _drawing_code() -> str:
    """The code that turns the data into the picture, hashed once per process: the template,
    this module (its words and sizes), the dates' wording and the models (the status labels).
    A cache such as Redis outlives a deploy; a picture drawn by the old code must not."""
    from django.template.loader import get_template

    from . import dates, models

    sources = [get_template(TEMPLATE).template.source]
    sources += [Path(module.__file__).read_text() for module in (dates, models)]
    sources.append(Path(__file__).read_text())
    return hashlib.sha256("\n".join(sources).encode()).hexdigest()


def _tick_step(first_year: int, last_year: int, max_ticks: int) -> int:
    span = max(last_year - first_year, 1)
    return next((step for step in TICK_STEPS if span / step <= max_ticks), TICK_STEPS[-1])


def _phases(treaty, today):
    """(phase, start, end, open_ended) for each stretch of the treaty's life."""
    start = treaty.signed_on
    end = treaty.ended_on
    stop = end or today
    marks = [("signed", start)]
    if treaty.in_force_on:
        marks.append(("in_force", treaty.in_force_on))
    if treaty.suspended_on:
        marks.append(("suspended", treaty.suspended_on))
    phases = []
    for (phase, begins), following in zip(marks, [*marks[1:], (None, None)], strict=True):
        finishes = following[1] or stop
        if begins > stop:
            break
        if finishes <= begins and following[1] is not None:
            continue  # signed and in force on the same day: no "signed" stretch to draw
        phases.append((phase, begins, min(finishes, stop), following[1] is None and end is None))
    if end is None and treaty.expires_on and treaty.expires_on > today:
        phases.append(("scheduled", today, treaty.expires_on, False))
    return phases


def treaty_lifespans(
    treaties, *, today: datetime.date, width: int = WIDTH, max_ticks: int = MAX_TICKS
) -> Chart | None:
    """The chart for these treaties (the first MAX_LANES with a signing date), or None if none.

    A narrower width (for phones) keeps the text the same size in user units, so it is drawn
    larger on a small screen; fewer ticks keep the year labels apart.
    """
    placed = list(itertools.islice((t for t in treaties if t.signed_on), MAX_LANES))
    if not placed:
        return None
    shape = ROOMY if len(placed) <= ROOMY_UP_TO else COMPACT
    latest = max(
        [today]
        + [t.ended_on for t in placed if t.ended_on]
        + [t.expires_on for t in placed if t.expires_on]
    )
    earliest = min(t.signed_on for t in placed)
    step = _tick_step(earliest.year, latest.year + 1, max_ticks)
    first_year = earliest.year // step * step
    last_year = math.ceil((latest.year + 1) / step) * step
    axis_start = datetime.date(first_year, 1, 1)
    axis_days = (datetime.date(last_year, 1, 1) - axis_start).days
    plot_left, plot_right = PAD_X, width - PAD_X

    def x_of(date):
        return round(plot_left + (date - axis_start).days / axis_days * (plot_right - plot_left), 1)

    lanes = []
    for index, treaty in enumerate(placed):
        top = TOP + index * shape.height
        bars = [
            Bar(
                phase=phase,
                start=begins,
                end=finishes,
                x=x_of(begins),
                # A phase of a few days still shows as a sliver.
                width=max(round(x_of(finishes) - x_of(begins), 1), 1.5),
                y=top + shape.bar_offset,
                height=shape.bar_height,
                open_ended=open_ended,
            )
            for phase, begins, finishes, open_ended in _phases(treaty, today)
        ]
        lanes.append(
            Lane(
                treaty=treaty,
                y=top,
                label_y=top + shape.label_offset,
                bars=bars,
                end_x=x_of(treaty.ended_on) if treaty.ended_on else None,
                end_date=treaty.ended_on,
                shape=shape,
            )
        )
    axis_y = TOP + len(placed) * shape.height + 4
    ticks = [
        Tick(x=x_of(datetime.date(year, 1, 1)), year=year)
        for year in range(first_year, last_year + 1, step)
    ]
    return Chart(
        width=width,
        height=axis_y + AXIS_HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        today=today,
        today_x=x_of(today),
        ticks=ticks,
        lanes=lanes,
    )
