"""The geometry of the home page's treaty lifespans (no database: plain treaty objects)."""

import datetime
from types import SimpleNamespace

from treaties import lifespans
from treaties.lifespans import (
    COMPACT,
    MAX_LANES,
    PAD_X,
    ROOMY,
    ROOMY_UP_TO,
    TOP,
    WIDTH,
    treaty_lifespans,
)

TODAY = datetime.date(2026, 11, 28)


def treaty(name, signed, in_force=None, suspended=None, ended=None, expires=None):
    return SimpleNamespace(
        short_name=name,
        signed_on=signed,
        in_force_on=in_force,
        suspended_on=suspended,
        ended_on=ended,
        expires_on=expires,
    )


NEW_START = treaty(
    "New START",
    datetime.date(2010, 4, 8),
    in_force=datetime.date(2011, 2, 5),
    suspended=datetime.date(2023, 2, 21),
    ended=datetime.date(2026, 2, 5),
)
INF = treaty(
    "INF",
    datetime.date(1987, 12, 8),
    in_force=datetime.date(1988, 6, 1),
    ended=datetime.date(2019, 8, 2),
)
OPEN_SKIES = treaty("Open Skies", datetime.date(1992, 3, 24), in_force=datetime.date(2002, 1, 1))


def phases(lane):
    return [(bar.phase, bar.start, bar.end, bar.open_ended) for bar in lane.bars]


def test_no_chart_without_a_dated_treaty():
    assert treaty_lifespans([], today=TODAY) is None
    assert treaty_lifespans([treaty("Undated", None)], today=TODAY) is None


def test_new_start_is_signed_in_force_suspended_and_ended():
    chart = treaty_lifespans([NEW_START], today=TODAY)
    (lane,) = chart.lanes
    assert phases(lane) == [
        ("signed", datetime.date(2010, 4, 8), datetime.date(2011, 2, 5), False),
        ("in_force", datetime.date(2011, 2, 5), datetime.date(2023, 2, 21), False),
        ("suspended", datetime.date(2023, 2, 21), datetime.date(2026, 2, 5), False),
    ]
    signed, in_force, suspended = lane.bars
    # Bars follow one another without gaps or overlaps.
    assert signed.x + signed.width == in_force.x
    assert round(in_force.x + in_force.width, 1) == suspended.x
    assert lane.end_x == round(suspended.x + suspended.width, 1)
    assert lane.end_date == datetime.date(2026, 2, 5)
    assert suspended.description == "Suspended from 21 February 2023 to 5 February 2026"
    assert lane.summary == (
        "Signed on 8 April 2010, not in force until 5 February 2011. "
        "In force from 5 February 2011 to 21 February 2023. "
        "Suspended from 21 February 2023 to 5 February 2026."
    )


def test_a_treaty_still_in_force_runs_to_today_and_is_open_ended():
    chart = treaty_lifespans([OPEN_SKIES], today=TODAY)
    (lane,) = chart.lanes
    assert phases(lane)[-1] == ("in_force", datetime.date(2002, 1, 1), TODAY, True)
    last = lane.bars[-1]
    assert round(last.x + last.width, 1) == chart.today_x
    assert lane.end_x is None
    assert last.description == "In force since 1 January 2002"


def test_a_fixed_expiry_in_the_future_is_drawn_as_time_left():
    extended = treaty(
        "New START in 2021",
        datetime.date(2010, 4, 8),
        in_force=datetime.date(2011, 2, 5),
        expires=datetime.date(2026, 2, 5),
    )
    chart = treaty_lifespans([extended], today=datetime.date(2022, 11, 8))
    (lane,) = chart.lanes
    assert phases(lane)[-1] == (
        "scheduled",
        datetime.date(2022, 11, 8),
        datetime.date(2026, 2, 5),
        False,
    )
    assert "scheduled" in chart.phases
    assert chart.last_year >= 2027  # the axis reaches past the expiry


def test_signed_and_in_force_on_one_day_has_no_signed_stretch():
    same_day = treaty("Same day", datetime.date(2000, 1, 1), in_force=datetime.date(2000, 1, 1))
    (lane,) = treaty_lifespans([same_day], today=TODAY).lanes
    assert [bar.phase for bar in lane.bars] == ["in_force"]


def test_never_in_force_is_signed_until_today():
    pending = treaty("Pending", datetime.date(1996, 9, 24))
    (lane,) = treaty_lifespans([pending], today=TODAY).lanes
    assert phases(lane) == [("signed", datetime.date(1996, 9, 24), TODAY, True)]
    assert lane.summary == "Signed on 24 September 1996, not yet in force."


def test_shared_axis_ticks_and_lanes():
    chart = treaty_lifespans([INF, OPEN_SKIES, NEW_START], today=TODAY)
    years = [tick.year for tick in chart.ticks]
    assert years == list(range(1985, 2035, 5))  # 1987 to 2027, every 5 years
    assert chart.ticks[0].x == PAD_X and chart.ticks[-1].x == WIDTH - PAD_X
    assert chart.plot_left <= min(bar.x for lane in chart.lanes for bar in lane.bars)
    assert [lane.treaty.short_name for lane in chart.lanes] == ["INF", "Open Skies", "New START"]
    tops = [lane.y for lane in chart.lanes]
    assert tops == sorted(tops) and len(set(tops)) == 3
    assert chart.axis_y > max(bar.y + bar.height for lane in chart.lanes for bar in lane.bars)
    assert chart.height > chart.axis_y
    assert chart.phases == {"signed", "in_force", "suspended"}
    assert chart.has_ends


def test_the_same_date_is_at_the_same_x_in_every_lane():
    successor = treaty("Successor", INF.ended_on, in_force=datetime.date(2020, 1, 1))
    chart = treaty_lifespans([INF, successor], today=TODAY)
    assert chart.lanes[0].end_x == chart.lanes[1].bars[0].x


def test_a_narrow_chart_has_fewer_ticks():
    wide = treaty_lifespans([INF, NEW_START], today=TODAY)
    narrow = treaty_lifespans([INF, NEW_START], today=TODAY, width=380, max_ticks=5)
    assert narrow.width == 380 and narrow.plot_right == 380 - PAD_X
    assert len(narrow.ticks) <= 6 < len(wide.ticks)
    assert [tick.year for tick in narrow.ticks] == [1980, 1990, 2000, 2010, 2020, 2030]


def test_a_short_phase_is_still_visible():
    brief = treaty(
        "Brief",
        datetime.date(2000, 1, 1),
        in_force=datetime.date(2000, 1, 3),
        ended=datetime.date(2020, 1, 1),
    )
    (lane,) = treaty_lifespans([brief], today=TODAY).lanes
    assert lane.bars[0].width >= 1.5


def many_treaties(count):
    return [
        treaty(f"Treaty {n}", datetime.date(1960 + n, 1, 1), in_force=datetime.date(1961 + n, 1, 1))
        for n in range(count)
    ]


def test_a_few_treaties_get_roomy_lanes_and_more_get_compact_ones():
    roomy = treaty_lifespans(many_treaties(ROOMY_UP_TO), today=TODAY)
    compact = treaty_lifespans(many_treaties(ROOMY_UP_TO + 1), today=TODAY)
    assert {lane.shape for lane in roomy.lanes} == {ROOMY}
    assert {lane.shape for lane in compact.lanes} == {COMPACT}
    for chart in (roomy, compact):
        shape = chart.lanes[0].shape
        # Each lane's label sits above its bars, and the bars above the next lane's label.
        for lane, following in zip(chart.lanes, chart.lanes[1:], strict=False):
            assert lane.label_y < lane.bars[0].y
            assert lane.bars[0].y + shape.bar_height < following.label_y - 12
        assert chart.axis_y > chart.lanes[-1].bars[0].y + shape.bar_height


def test_the_chart_stops_growing_at_max_lanes():
    largest = treaty_lifespans(many_treaties(MAX_LANES), today=TODAY)
    more = treaty_lifespans(many_treaties(MAX_LANES * 3), today=TODAY)
    assert len(more.lanes) == MAX_LANES
    assert more.height == largest.height
    assert more.height <= TOP + MAX_LANES * COMPACT.height + 40
    # Undated treaties take no lane and do not count against the limit.
    mixed = treaty_lifespans([treaty("Undated", None), *many_treaties(MAX_LANES)], today=TODAY)
    assert len(mixed.lanes) == MAX_LANES
    assert "Undated" not in [lane.treaty.short_name for lane in mixed.lanes]


def keyed_chart(today=TODAY, **changes):
    """Three treaties with what the key reads of them, the second one changed."""
    treaties = [
        SimpleNamespace(**vars(treaty), slug=f"treaty-{index}", status="in_force")
        for index, treaty in enumerate([NEW_START, INF, OPEN_SKIES])
    ]
    vars(treaties[1]).update(changes)
    return treaty_lifespans(treaties, today=today)


def test_the_key_changes_with_anything_drawn_and_only_then():
    key = keyed_chart().key
    assert keyed_chart().key == key
    assert keyed_chart(status="withdrawn").key != key
    assert keyed_chart(short_name="INF Treaty").key != key
    assert keyed_chart(slug="inf").key != key
    assert keyed_chart(suspended_on=datetime.date(2010, 1, 1)).key != key
    assert keyed_chart(today=TODAY + datetime.timedelta(days=1)).key != key
    assert keyed_chart(name="A name the chart does not show").key == key


def test_the_key_changes_with_the_template_that_draws(monkeypatch):
    """A deploy with another template must not be served the old picture from the cache."""
    key = keyed_chart().key
    another = SimpleNamespace(template=SimpleNamespace(source="<svg>drawn another way</svg>"))
    monkeypatch.setattr("django.template.loader.get_template", lambda name: another)
    lifespans._drawing_code.cache_clear()
    try:
        assert keyed_chart().key != key
    finally:
        lifespans._drawing_code.cache_clear()
