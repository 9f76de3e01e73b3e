from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceField
from intake.choices import Phase
from intake.forms import DateInput
from intake.models import Reason
from intake.track_forms import VersionedForm

from .choices import Participation
from .models import School
from .services import NOT_APPOINTED_KINDS


class NwtForm(VersionedForm):
    """The NWT data; `version` is that of the data (0 while the candidate has none)."""

    participation = forms.ChoiceField(label=_("Deelnamevorm"), choices=Participation.choices, widget=forms.RadioSelect)
    school = ModelChoiceField(
        label=_("Partnerschool"),
        queryset=School.objects.all(),
        required=False,
        help_text=_("Nodig voor een militaire minor of keuzedeel."),
    )
    unit = forms.CharField(label=_("Eenheid"), max_length=150, required=False, help_text=_("Als die bekend is."))


class CompleteForm(VersionedForm):
    """Completing the NWT with its outcome; `version` is the candidate's."""

    completed_on = forms.DateField(label=_("Afgerond op"), widget=DateInput, initial=timezone.localdate)
    appointed = forms.TypedChoiceField(
        label=_("Aangesteld als reservist?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    unit = forms.CharField(label=_("Eenheid"), max_length=150, required=False, help_text=_("Als die bekend is."))
    reason = ModelChoiceField(
        label=_("Reden als niet aangesteld"),
        queryset=Reason.objects.filter(kind__in=NOT_APPOINTED_KINDS, phase__in=["", Phase.OPLEIDING], is_active=True),
        required=False,
    )
