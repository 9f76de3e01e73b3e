from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceField
from intake.choices import Phase, Status, TransitionKind
from intake.forms import CandidateDataForm, DateInput, DuplicateCheck
from intake.models import Candidate, Reason
from intake.track_forms import VersionedForm

from .choices import Variant


class DienjaarFields(forms.Form):
    variant = forms.ChoiceField(label=_("Variant"), choices=Variant.choices, initial=Variant.REGULIER)
    desired_start = forms.DateField(
        label=_("Gewenste startdatum"),
        widget=DateInput,
        help_text=_("Tot de start geldt de leeftijdseis op deze datum."),
    )
    work_experience_years = forms.IntegerField(
        label=_("Jaren werkervaring"), min_value=0, max_value=60, initial=0, help_text=_("Hele jaren.")
    )
    expertise = forms.CharField(
        label=_("Vakgebied"), max_length=150, required=False, help_text=_("Nodig voor het specialistisch Dienjaar.")
    )


class DeelnameForm(VersionedForm, DienjaarFields):
    """The Dienjaar data; `version` is that of the data (0 while the candidate has none)."""


class RegistrationForm(DuplicateCheck, DienjaarFields, CandidateDataForm):
    """A new Dienjaar candidate with its Dienjaar data, registered in one go, with the same checks (and the
    same warning about possible duplicates) as any new candidate."""

    class Meta(CandidateDataForm.Meta):
        fields = [*CandidateDataForm.Meta.fields, "applied_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate

    def candidate_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CandidateDataForm.Meta.fields}

    def deelname_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in DienjaarFields.base_fields}


class CompleteYearForm(VersionedForm):
    completed_on = forms.DateField(label=_("Dienjaar voltooid op"), widget=DateInput, initial=timezone.localdate)


class StopEarlyForm(VersionedForm):
    """Stopping before the year is complete; `version` is the candidate's. The reasons offered are those of a
    drop-out during the training, or of leaving the service once appointed."""

    stopped_on = forms.DateField(label=_("Gestopt op"), widget=DateInput, initial=timezone.localdate)
    reason = ModelChoiceField(label=_("Reden"), queryset=Reason.objects.none())

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        if candidate.status == Status.IN_DIENST:
            reasons = Reason.objects.filter(kind=TransitionKind.UITSTROOM)
        else:
            reasons = Reason.objects.filter(kind=TransitionKind.UITVAL, phase__in=["", Phase.OPLEIDING])
        self.fields["reason"].queryset = reasons.filter(is_active=True)
