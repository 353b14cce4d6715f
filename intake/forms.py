from django import forms

from treaties.dates import DatePrecision
from treaties.models import (
    LANGUAGE_CHOICES,
    Actor,
    ActorAlias,
    ActorKind,
    EventKind,
    StatementKind,
    Topic,
    Treaty,
    date_precision_errors,
)

from .names import NameIndex, skeleton


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        help_text="Paste the whole article; its first line is taken as the title.",
        max_length=200_000,
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="Leave empty to use the article's first line."
    )
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    outlet = forms.ModelChoiceField(
        Actor.objects.filter(kind=ActorKind.MEDIA).order_by("name"), required=False
    )
    author = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        label="Article date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="“On Tuesday”, “last week”, “in mid-October” are read from this date.",
    )
    language = forms.ChoiceField(choices=[("", "—"), *LANGUAGE_CHOICES], initial="en")


def _dated(form, field, precision_field):
    date, precision = form.cleaned_data.get(field), form.cleaned_data.get(precision_field)
    if date and precision:
        for name, message in date_precision_errors(date, precision, field).items():
            form.add_error(name, message)


class StatementProposalForm(forms.Form):
    kind = forms.ChoiceField(choices=StatementKind.choices)
    speaker = forms.CharField(
        max_length=200, help_text="Any spelling the record knows, or a new actor's name."
    )
    new_speaker = forms.BooleanField(
        required=False, label="new actor", help_text="Create this speaker as a new actor."
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    date_precision = forms.ChoiceField(choices=DatePrecision.choices)
    date_approximate = forms.BooleanField(required=False, label="c.")
    treaties = forms.ModelMultipleChoiceField(
        Treaty.objects.order_by("short_name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        cleaned = super().clean()
        _dated(self, "date", "date_precision")
        name = cleaned.get("speaker", "").strip()
        if name and not cleaned.get("new_speaker"):
            cleaned["actor"] = find_actor(name)
            if cleaned["actor"] is None:
                self.add_error(
                    "speaker", f"No actor is called “{name}”: correct it, or tick “new actor”."
                )
        return cleaned


class EventProposalForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=EventKind.choices)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    date_precision = forms.ChoiceField(choices=DatePrecision.choices)
    date_approximate = forms.BooleanField(required=False, label="c.")
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_precision = forms.ChoiceField(choices=DatePrecision.choices, required=False)
    treaties = forms.ModelMultipleChoiceField(
        Treaty.objects.order_by("short_name"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        cleaned = super().clean()
        _dated(self, "date", "date_precision")
        if cleaned.get("end_date"):
            cleaned["end_precision"] = cleaned.get("end_precision") or DatePrecision.DAY
            _dated(self, "end_date", "end_precision")
            if cleaned.get("date") and cleaned["end_date"] < cleaned["date"]:
                self.add_error("end_date", "An event cannot end before it begins.")
        return cleaned


class ActorProposalForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ActorKind.choices)


def find_actor(name: str) -> Actor | None:
    """The actor with this name or alias, as written or in another transliteration."""
    exact = Actor.objects.filter(name__unaccent__iexact=name).first()
    if exact:
        return exact
    alias = ActorAlias.objects.filter(name__unaccent__iexact=name).select_related("actor").first()
    if alias:
        return alias.actor
    # Actors are a small table: compare skeletons ("Zakharova" = "Zajárova"), surnames too.
    known = NameIndex.from_database().keys.get(skeleton(name))
    return Actor.objects.filter(pk=known.actor_id).first() if known else None


FORMS = {"statement": StatementProposalForm, "event": EventProposalForm, "actor": ActorProposalForm}
