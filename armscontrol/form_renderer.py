"""The form renderer: Django's templates, except the few that a form renders once a field.

A source's admin page, with its 41 statements inline, renders some 900 widgets, 800 labels
and 1,300 error lists (empty ones too); through the template engine they took 490 of the
page's 870 ms. These templates are a line each, so they are written here in Python, with
the same output: tests/test_form_renderer.py compares both on the same contexts, and checks
that Django's templates still read as the ones written here. Any other template (the admin's
widgets, radio buttons) goes through Django's.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape


def is_text(label) -> bool:
    """Whether a label is written as it is: a template localizes a number or a date."""
    return isinstance(label, (str, Promise))


def attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: in the given order, False left out, True bare."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def _textarea(context) -> str:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>'
        f"\n{value}</textarea>"
    )


OPTION = "django/forms/widgets/select_option.html"


def _select(context) -> str | None:
    """django/forms/widgets/select.html, with its options' select_option.html; None (Django's
    templates then) for an option of another template or a label that is not text, which the
    template would localize."""
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION or not is_text(option["label"]):
                return None
            value = conditional_escape(str(option["value"]))
            parts.append(
                f'\n  <option value="{value}"{attributes(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{label}</{tag}>"


def _error_list(context) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    named = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{named}>{items}</ul>'


# Each template's whole text in Django 6.1 (the test holds Django to these) and its writer.
INPUT = '{% include "django/forms/widgets/input.html" %}'
QUICK = {
    "django/forms/widgets/input.html": _input,
    **{
        f"django/forms/widgets/{kind}.html": _input
        for kind in ("text", "hidden", "checkbox", "number", "email", "url", "password", "date")
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/ul.html": _error_list,
    "django/forms/errors/list/default.html": _error_list,
}


class QuickRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        quick = QUICK.get(template_name)
        html = quick(context) if quick else None
        if html is None:
            return super().render(template_name, context, request)
        return html
