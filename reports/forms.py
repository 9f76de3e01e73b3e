from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceField
from intake.choices import Gender
from intake.models import Instroomspoor, Krijgsmachtdeel

from .choices import Granularity
from .selectors import ReportFilters

FIRST_YEAR = 2021  # the published plan figures start here


def _years():
    return [(y, str(y)) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class ReportFilterForm(forms.Form):
    """The dashboard's and the exports' filters (GET parameters); an invalid value falls back to "all"."""

    instroomspoor = ModelChoiceField(
        label=_("Instroomspoor"),
        queryset=Instroomspoor.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Alle sporen"),
    )
    krijgsmachtdeel = ModelChoiceField(
        label=_("Krijgsmachtdeel"),
        queryset=Krijgsmachtdeel.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Alle krijgsmachtdelen"),
    )
    gender = forms.ChoiceField(label=_("Geslacht"), choices=[("", _("Alle")), *Gender.choices], required=False)
    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int, choices=_years, required=False)
    granularity = forms.ChoiceField(
        label=_("Periode"), choices=Granularity.choices, required=False, initial=Granularity.MONTH
    )

    def filters(self) -> ReportFilters:
        data = self.cleaned_data if self.is_valid() else {}
        track, branch = data.get("instroomspoor"), data.get("krijgsmachtdeel")
        return ReportFilters(
            track=track.code if track else "",
            branch=branch.code if branch else "",
            gender=data.get("gender") or "",
            year=data.get("year") or timezone.localdate().year,
            granularity=data.get("granularity") or Granularity.MONTH,
        )
