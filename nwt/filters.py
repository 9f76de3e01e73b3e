"""Filters on NWT data for the candidate filterset (list, board and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceFilter
from intake.filtersets import register_filter

from .choices import Participation
from .models import School


def register() -> None:
    register_filter(
        "nwt_school",
        ModelChoiceFilter(label=_("NWT-partnerschool"), queryset=School.objects.all(), field_name="nwt__school"),
    )
    register_filter(
        "nwt_deelnamevorm",
        django_filters.ChoiceFilter(
            label=_("NWT-deelnamevorm"), choices=Participation.choices, field_name="nwt__participation"
        ),
    )
