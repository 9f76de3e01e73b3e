"""Small template helpers of the recruiter workspace."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with `changes` applied; a change to None drops the parameter. Changing anything
    but the page starts again at page 1."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def days_since(day: datetime.date | None) -> int | str:
    if day is None:
        return ""
    return (timezone.localdate() - day).days
