from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.forms import DateInput
from intake.models.defensity import DEFENSITY_LEVELS
from intake.track_forms import VersionedForm


class StudentForm(VersionedForm):
    """The werkstudent's study; `version` is that of the data (0 while the candidate has none)."""

    institution = forms.CharField(label=_("Onderwijsinstelling"), max_length=150)
    study = forms.CharField(label=_("Studie"), max_length=150)
    level = forms.ChoiceField(label=_("Niveau"), choices=DEFENSITY_LEVELS, widget=forms.RadioSelect)


class EndForm(VersionedForm):
    # Named like the other tracks' completion date, which is what the completion checks name in their errors.
    completed_on = forms.DateField(
        label=_("Laatste werkdag als werkstudent"), widget=DateInput, initial=timezone.localdate
    )
