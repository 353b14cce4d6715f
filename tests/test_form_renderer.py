"""The quick form renderer and QuickSelect write what Django's templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from armscontrol.form_renderer import INPUT, QUICK, QuickRenderer
from treaties.filters import QuickSelect

DJANGO, QUICK_RENDERER = DjangoTemplates(), QuickRenderer()

VALUES = [None, "", "plain", '<b>"x" & y</b>', mark_safe("<i>safe</i>"), 0, 12345, True]
ATTRS = [
    {},
    {"id": "id_x", "required": True, "disabled": False, "data-x": None, "class": "a <b>"},
]
WIDGETS = [
    forms.TextInput,
    forms.HiddenInput,
    forms.CheckboxInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.Textarea,
]


# The templates' texts in Django 6.1, whose output armscontrol/form_renderer.py writes.
ATTRIBUTES = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
)
TEMPLATES = {
    "django/forms/widgets/attrs.html": ATTRIBUTES,
    "django/forms/attrs.html": ATTRIBUTES.replace("widget.attrs.items", "attrs.items"),
    "django/forms/widgets/input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>'
    ),
    "django/forms/widgets/textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
    ),
    "django/forms/label.html": (
        "{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}"
        "</{{ tag }}>{% else %}{{ label }}{% endif %}"
    ),
    "django/forms/errors/list/ul.html": (
        '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} '
        'id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}'
        "</li>{% endfor %}</ul>{% endif %}"
    ),
    "django/forms/errors/list/default.html": '{% include "django/forms/errors/list/ul.html" %}',
    "django/forms/widgets/select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n  "
        "{% include option.template_name with widget=option %}{% endfor %}"
        "{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>"
    ),
    "django/forms/widgets/select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>'
    ),
}


def test_the_templates_written_in_python_are_still_djangos():
    """A Django upgrade that changes one of them fails here rather than on a page."""
    expected = {name: TEMPLATES.get(name, INPUT) for name in [*QUICK, *TEMPLATES]}
    found = {name: DJANGO.engine.get_template(name).template.source.strip() for name in expected}
    assert found == expected


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_inputs_and_textareas_are_written_as_djangos_templates_write_them(widget_class):
    for value in [*VALUES, datetime.date(2022, 11, 8)]:
        for attrs in ATTRS:
            widget = widget_class()
            expected = widget.render("a-name", value, attrs, renderer=DJANGO)
            assert widget.render("a-name", value, attrs, renderer=QUICK_RENDERER) == expected


class Example(forms.Form):
    plain = forms.CharField()
    optional = forms.CharField(required=False, label='Who <said> "it"?')
    ticked = forms.BooleanField(required=False, label_suffix="")
    when = forms.DateField(required=False, label=mark_safe("<em>When</em>"))


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("data", [None, {"plain": "", "when": "not a date"}])
def test_labels_and_error_lists_are_written_as_djangos_templates_write_them(auto_id, data):
    forms_ = [Example(data, auto_id=auto_id, renderer=r) for r in (DJANGO, QUICK_RENDERER)]
    for form in forms_:
        form.required_css_class = "required"
    django_form, quick_form = forms_
    for name in Example.base_fields:
        theirs, ours = django_form[name], quick_form[name]
        assert ours.label_tag() == theirs.label_tag()
        assert ours.legend_tag() == theirs.legend_tag()
        assert ours.label_tag(attrs={"class": "x"}, label_suffix="") == theirs.label_tag(
            attrs={"class": "x"}, label_suffix=""
        )
        assert str(ours.errors) == str(theirs.errors)
        assert ours.errors.as_ul() == theirs.errors.as_ul()
    assert str(quick_form.non_field_errors()) == str(django_form.non_field_errors())


def test_an_error_list_is_written_as_djangos_template_writes_it():
    for errors in ([], ["Plain."], ['<script>"x"</script>', mark_safe("<b>safe</b>")]):
        for field_id in (None, "id_when"):
            lists = [
                ErrorList(errors, renderer=r, field_id=field_id) for r in (DJANGO, QUICK_RENDERER)
            ]
            assert lists[1].as_ul() == lists[0].as_ul()
            assert str(lists[1]) == str(lists[0])


GROUPED = [("Europe", [("fr", "France"), ("de", "<Germany>")]), ("us", "United States")]


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=[("", "---"), ("a", "A & <b>"), (None, "none"), ("a", "again")]),
        forms.Select(choices=GROUPED),
        forms.Select(choices=[(1, 1000), (2, datetime.date(2022, 11, 8))]),  # localized labels
        forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]),
        forms.NullBooleanSelect(),
    ],
)
def test_selects_are_written_as_djangos_templates_write_them(widget):
    lists = [["a", "c"]] if widget.allow_multiple_selected else []
    for value in [None, "", "a", "de", 2, "unknown", True, *lists]:
        for attrs in ATTRS:
            expected = widget.render("a-name", value, attrs, renderer=DJANGO)
            assert widget.render("a-name", value, attrs, renderer=QUICK_RENDERER) == expected


CHOICES = [
    ("", "Anyone"),
    ("a", "A"),
    ("tricky", 'Tricky <b>"Name"</b> & Co'),
    (None, "None at all"),
    ("a", "A again"),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "a", "tricky", 3, "3", "missing"])
def test_a_quick_select_is_djangos_select(value):
    attrs = {"id": "id_x", "required": True, "hidden": False}
    ours = QuickSelect(choices=CHOICES).render("x", value, attrs)
    theirs = forms.Select(choices=CHOICES).render("x", value, attrs, renderer=DJANGO)
    assert parse_html(ours) == parse_html(theirs)
    # Only the first option holding the value is chosen (None is ""), as in Django's.
    assert ours.count(" selected") == (value != "missing")


def test_a_quick_select_leaves_labels_a_template_localizes_to_django(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    numbers = [(1, 1000), (2, "two")]
    ours = QuickSelect(choices=numbers).render("x", 1)
    assert ours == forms.Select(choices=numbers).render("x", 1)
    assert ">1,000</option>" in ours


def test_a_quick_select_leaves_groups_of_options_to_django():
    grouped = [("Europe", [("fr", "France"), ("de", "Germany")]), ("us", "United States")]
    ours = QuickSelect(choices=grouped).render("x", "de")
    assert '<optgroup label="Europe">' in ours
    assert parse_html(ours) == parse_html(forms.Select(choices=grouped).render("x", "de"))
