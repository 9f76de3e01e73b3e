"""Filters on Defensity College data for the candidate filterset (list, board and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from intake.choices import Phase, Status
from intake.filtersets import register_filter


def _active(queryset, name, value):
    """Yes: started and working as werkstudent now. No: the student work has ended."""
    if value:
        return queryset.filter(
            defensity__isnull=False,
            defensity__ended_on__isnull=True,
            phase__in=[Phase.OPLEIDING, Phase.AANGESTELD],
            status__in=[Status.LOPEND, Status.IN_DIENST],
        )
    return queryset.filter(defensity__ended_on__isnull=False)


def register() -> None:
    register_filter(
        "defensity_actief",
        django_filters.BooleanFilter(label=_("Defensity: werkstudent actief (ja) of beëindigd (nee)"), method=_active),
    )
