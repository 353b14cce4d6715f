"""The public pages' template helpers write what Django's own filters would, faster."""

import datetime

import pytest
from django.template.defaultfilters import date as date_filter

from treaties.models import LANGUAGE_CHOICES, Source
from treaties.templatetags.records import language_name, time_tag


@pytest.mark.parametrize(
    "day",
    [datetime.date(2022, 11, 8), datetime.date(1987, 12, 31), datetime.date(2026, 2, 1)],
)
def test_time_tag_writes_what_the_date_filter_wrote(day):
    expected = f'<time datetime="{date_filter(day, "Y-m-d")}">{date_filter(day, "j F Y")}</time>'
    assert time_tag(day) == expected


def test_time_tag_of_no_date_is_empty():
    assert time_tag(None) == ""


def test_language_name_is_the_models_display():
    for code, _name in LANGUAGE_CHOICES:
        assert language_name(code) == Source(language=code).get_language_display()
    assert language_name("xx") == "xx"
