"""Filters on Dienjaar data for the candidate filterset (list, board and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from intake.filtersets import register_filter

from .choices import Variant


def register() -> None:
    register_filter(
        "dienjaar_variant",
        django_filters.ChoiceFilter(
            label=_("Dienjaar-variant"), choices=Variant.choices, field_name="dienjaar__variant"
        ),
    )
