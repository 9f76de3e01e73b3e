"""Filters on Defensity College data for the candidate filterset (list, board and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from intake.filtersets import register_filter


def _active(queryset, name, value):
    # Only candidates with werkstudent data: a plain isnull on the reverse relation would include those without.
    return queryset.filter(defensity__isnull=False, defensity__ended_on__isnull=value)


def register() -> None:
    register_filter(
        "defensity_actief", django_filters.BooleanFilter(label=_("Defensity: werkstudent actief"), method=_active)
    )
