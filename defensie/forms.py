"""How forms render."""

import django_filters
from django import forms
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"


class FormRenderer(TemplatesSetting):
    """Django's templates renderer, through the project's template engine, except for selects: those are written
    in Python, to the same HTML as Django's template. The list's filter and bulk forms have ~10 selects and ~100
    options on every request; through the template engine (even with the options written out in the select's
    loop instead of two includes per option) they were a fifth of the list's CPU time."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return select_html(context["widget"])
        return super().render(template_name, context, request)


def select_html(widget: dict) -> SafeString:
    """A select widget's context (`Select.get_context()["widget"]`) as HTML."""
    parts = [format_html('<select name="{}"', widget["name"]), _attributes(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def _attributes(attrs: dict) -> SafeString:
    """As django/forms/widgets/attrs.html writes them: a true value as the bare name, a false one left out."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


class OptionsInOneQuery(ModelChoiceIterator):
    """A model select's options read with one query. Django reads them with `iterator()`, which on PostgreSQL is a
    server-side cursor: DECLARE, two FETCHes and CLOSE for a handful of rows. The list's four model selects took
    7 ms of its ~58 that way. Every model select of the project reads its options so: `ModelChoiceField`,
    `ModelChoiceFilter`, and a model form's relations through `formfield`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = OptionsInOneQuery


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model form's field for `db_field` (its `Meta.formfield_callback`): a relation's select is a
    `ModelChoiceField`."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    return db_field.formfield(**kwargs)


class _FilterOptionsInOneQuery(django_filters.fields.ModelChoiceIterator, OptionsInOneQuery):
    """django-filter's options (which may add a choice for "none") read with one query."""


class _FilterModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _FilterOptionsInOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _FilterModelChoiceField
