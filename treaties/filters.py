"""The GET filters of the list pages (timeline, who said what, search), parsed and validated
with Django forms so that bad input becomes a message on the page, never a 500.

Each form is bound to request.GET. A value that does not validate is reported and left out;
the other filters still apply (see `FilterForm.filters`).
"""

import unicodedata

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import slug_re
from django.db.models import Exists, OuterRef, Q
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from armscontrol.form_renderer import attributes, is_text

from .models import Actor, Event, Statement, Topic, Treaty
from .reference import reference_lists
from .search import MAX_QUERY_LENGTH
from .timeline import Cursor

# Bigger page numbers are refused before they reach the database: "page=99999999999999999999"
# would otherwise overflow PostgreSQL's OFFSET.
MAX_PAGE = 100_000


class QuickSelect(forms.Select):
    """A select with its options written here, for every filter form and the admin's choice
    fields: through Django's widget templates each option cost some 15 µs, the actor page's
    two selects 2–3 ms of a 28 ms page, and even through get_context() (a dict of attributes
    for each option) 9 µs, the admin's 43 rows of 100 languages 40 ms. The same HTML as
    Django's Select (tests/test_form_renderer.py holds it to that); groups of options, and
    labels that Django's templates localize (numbers, dates), go through it."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        options = []
        for option_value, label in self.choices:
            if not is_text(label):  # a group of options, or a number: Django's own render
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in chosen
            if selected and not self.allow_multiple_selected:
                chosen = ()  # as Django's: a single select marks the first option only
            options.append(
                f'<option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>"
            )
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        options = "\n".join(options)
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{attributes(attrs)}>\n{options}\n</select>'
        )


class SlugChoiceField(forms.ModelChoiceField):
    """A record picked by its slug in the URL, with a message that names what was not found.

    offer() gives it records already read (reference.py's): their slugs are its options, and
    one of them chosen is taken as it is, without a query."""

    widget = QuickSelect

    def __init__(self, queryset, *, noun, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)
        self.error_messages["invalid_choice"] = f"There is no {noun} “%(value)s”."
        self.known = {}

    def offer(self, records):
        self.known = {record.slug: record for record in records}
        self.choices = [("", self.empty_label), *((slug, str(r)) for slug, r in self.known.items())]

    def to_python(self, value):
        # A slug is short: anything longer is refused without a query, and named shortly.
        if value and len(value) > 200:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], params={"value": Truncator(value).chars(40)}
            )
        if value in self.known:
            return self.known[value]
        return super().to_python(value)


# A bad value is repeated in its message at most this long (after control characters go).
ECHO_LENGTH = 30


def echo(value) -> str:
    """A bad value as a message may repeat it: a short excerpt without control or format
    characters (line breaks, NUL, bidirectional overrides); whitespace becomes a space."""
    text = "".join(
        (" " if char.isspace() else "") if unicodedata.category(char)[0] == "C" else char
        for char in str(value)[: ECHO_LENGTH * 4]
    )
    return Truncator(text).chars(ECHO_LENGTH)


class EchoingForm(forms.Form):
    """A form whose error messages repeat a submitted value only as `echo` shortens it."""

    def add_error(self, field, error):
        for item in getattr(error, "error_list", ()):
            if isinstance(item, ValidationError) and item.params and "value" in item.params:
                item.params = {**item.params, "value": echo(item.params["value"])}
        super().add_error(field, error)


class FilterForm(EchoingForm):
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={"invalid": "The page must be a whole number, such as 2."},
    )

    def filters(self) -> dict:
        """The valid values, invalid or empty ones left out (call after is_valid())."""
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}

    @property
    def problems(self) -> list[str]:
        """Every error as one sentence, for the message at the top of the list."""
        labels = {name: field.label or name for name, field in self.fields.items()}
        messages = []
        for name, errors in self.errors.items():
            for error in errors:
                if name == NON_FIELD_ERRORS:
                    messages.append(error)
                else:
                    messages.append(f"{labels[name]}: {error}")
        return messages


def _has_public_record():
    """Actors who said something published or took part in a published event."""
    return Q(
        Exists(Statement.objects.published().filter(speaker=OuterRef("pk")))
        | Exists(Event.objects.published().filter(actors=OuterRef("pk")))
    )


class TimelineKind(forms.ChoiceField):
    CHOICES = [("", "Everything"), ("statements", "Statements only"), ("events", "Events only")]

    def __init__(self, **kwargs):
        super().__init__(
            choices=self.CHOICES,
            required=False,
            widget=QuickSelect,
            label="Show",
            error_messages={"invalid_choice": "Show “%(value)s” is not a choice here."},
            **kwargs,
        )


class CursorField(forms.CharField):
    """Where a page of a keyset-paged list starts (see timeline.Cursor)."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label="Continuing from",
            error_messages={
                "invalid": "That link to a later page is broken; showing the first entries."
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return Cursor.parse(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class TimelineFilterForm(FilterForm):
    page = None  # paged by keyset: see "after"
    after = CursorField()
    # Set by "load more": the list from its start through this entry (see timeline_until).
    until = CursorField()
    treaty = SlugChoiceField(
        Treaty.objects.order_by("short_name").only("slug", "short_name"),
        noun="treaty",
        label="Treaty",
        empty_label="All treaties",
    )
    actor = SlugChoiceField(
        Actor.objects.filter(_has_public_record()).order_by("name").only("slug", "name"),
        noun="actor",
        label="Actor",
        empty_label="Anyone",
    )
    kind = TimelineKind()
    order = forms.ChoiceField(
        choices=[("", "Newest first"), ("oldest", "Oldest first")],
        required=False,
        widget=QuickSelect,
        label="Order",
        error_messages={"invalid_choice": "The order is newest or oldest first."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two cannot be declared in the class body.
        date_errors = {"invalid": "Enter a real date, such as 2022-11-08."}
        self.fields["from"] = forms.DateField(
            required=False, label="From", error_messages=date_errors
        )
        self.fields["to"] = forms.DateField(required=False, label="To", error_messages=date_errors)
        # Date pickers, and the order of the fields as they appear in the form.
        for name in ("from", "to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.order_fields(["treaty", "actor", "kind", "order", "from", "to", "after", "until"])
        # The select offers the most quoted speakers and the chosen actor, not every actor:
        # with thousands it would weigh more than the timeline. Any actor's slug is still
        # accepted (the queryset validates it), as the actor pages' timeline links send.
        chosen = self.data.get("actor", "") if self.is_bound else ""
        if not slug_re.fullmatch(chosen):  # not a slug (and it may hold a NUL)
            chosen = ""
        lists = reference_lists()
        self.fields["treaty"].offer(lists.treaties)
        self.fields["actor"].choices = [("", "Anyone"), *lists.speakers_with(chosen)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            cleaned.pop("to")
            raise forms.ValidationError(
                "The end date is before the start date; showing everything from the start date."
            )
        return cleaned


class WhoSaidWhatFilterForm(FilterForm):
    treaty = SlugChoiceField(
        Treaty.objects.order_by("short_name").only("slug", "short_name"),
        noun="treaty",
        label="Treaty",
        empty_label="Any treaty",
    )
    topic = SlugChoiceField(
        Topic.objects.order_by("name").only("slug", "name"),
        noun="topic",
        label="Topic",
        empty_label="Any topic",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists = reference_lists()
        self.fields["treaty"].offer(lists.treaties)
        self.fields["topic"].offer(lists.topics)


SEARCH_KINDS = [
    ("", "Everything"),
    ("statements", "Statements"),
    ("actors", "Actors"),
    ("treaties", "Treaties"),
    ("events", "Events"),
    ("sources", "Sources"),
]


class SearchForm(FilterForm):
    q = forms.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        label="Search the record",
        error_messages={
            "max_length": (
                f"A search is limited to {MAX_QUERY_LENGTH} characters "
                "(this one has %(show_value)d). Try a few distinctive words."
            )
        },
    )
    kind = forms.ChoiceField(
        choices=SEARCH_KINDS,
        required=False,
        widget=QuickSelect,
        label="Show",
        error_messages={"invalid_choice": "Show “%(value)s” is not a choice here."},
    )
