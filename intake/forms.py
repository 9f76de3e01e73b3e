"""Forms of the recruiter workspace. They validate and shape input for `intake.services`; they never write.

Every form that changes a candidate carries the `version` the user saw, so that a change made by someone else in
the meantime is reported as a conflict instead of being overwritten.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceField, formfield

from . import pipeline, selectors
from .choices import Step, TransitionKind, Verdict
from .models import Candidate, CandidateNote, Reason

MIN_AGE, MAX_AGE = 16, 70
MAX_SELECTION = 500


class WorkspaceFormMixin:
    """Labels without a trailing colon, required fields marked by a CSS class, and a readable empty choice."""

    required_css_class = "required"
    empty_choice = _("— kies —")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        label_empty_choices(self, self.empty_choice)


def label_empty_choices(form: forms.BaseForm, label: str) -> None:
    """Replace Django's "---------" with `label` in every select of `form`."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == "---------":
            field.empty_label = label
            field.widget.choices = field.choices  # the widget may still iterate over a copy of the old field
        elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0] == ("", "---------"):
            field.choices = [("", label), *field.choices[1:]]


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the language of the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def normalise_postcode(value: str) -> str:
    compact = value.strip().upper().replace(" ", "")
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else value.strip()


def age_on(born, day) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class CandidateDataForm(WorkspaceFormMixin, forms.ModelForm):
    """A candidate's personal and administrative data: the new-candidate form, the edit form and every row of a
    CSV import validate with it."""

    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "postcode",
            "gender",
            "krijgsmachtdeel",
            "application_type",
            "function_title",
            "source",
        ]
        widgets = {"birth_date": DateInput, "applied_on": DateInput}
        formfield_callback = formfield

    @cached_property
    def today(self) -> datetime.date:
        # Read once per form: an import validates all its rows with one form.
        return timezone.localdate()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = self.today
        if born > today:
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."), code="future")
        age = age_on(born, today)
        if age < MIN_AGE:
            raise forms.ValidationError(_("Een kandidaat is minstens %(age)d jaar oud."), params={"age": MIN_AGE})
        if age > MAX_AGE:
            raise forms.ValidationError(
                _("Controleer de geboortedatum: de kandidaat zou ouder zijn dan %(age)d jaar."),
                params={"age": MAX_AGE},
            )
        return born

    def clean_applied_on(self):
        applied_on = self.cleaned_data["applied_on"]
        if applied_on and applied_on > self.today:
            raise forms.ValidationError(_("De aanmelddatum mag niet in de toekomst liggen."), code="future")
        return applied_on

    def check_track_fields(self, track) -> None:
        """The lichting and the recruiter must belong to the candidate's track."""
        lichting = self.cleaned_data.get("lichting")
        if track and lichting and lichting.instroomspoor_id != track.pk:
            self.add_error(
                "lichting", _("Deze lichting hoort niet bij het instroomspoor %(track)s.") % {"track": track}
            )
        recruiter = self.cleaned_data.get("recruiter")
        if track and recruiter and not recruiter.instroomsporen.filter(pk=track.pk).exists():
            self.add_error(
                "recruiter", _("Deze recruiter werkt niet voor het instroomspoor %(track)s.") % {"track": track}
            )

    def service_fields(self) -> dict:
        """The cleaned values to hand to `candidate_register` or `candidate_update`."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class DuplicateCheck(forms.Form):
    """For a form that registers a new candidate: finds existing candidates that are probably the same person,
    and whether the user saw exactly those and chose to register the candidate anyway."""

    # The ids of the possible duplicates the user was shown and still chose to create the candidate next to.
    confirmed_duplicates = forms.CharField(widget=forms.HiddenInput, required=False)

    def duplicates(self) -> list[Candidate]:
        return list(selectors.candidate_duplicates([self.cleaned_data]))

    def duplicates_confirmed(self, duplicates: list[Candidate]) -> bool:
        return self.cleaned_data["confirmed_duplicates"] == duplicate_key(duplicates)


class CandidateCreateForm(DuplicateCheck, CandidateDataForm):
    class Meta(CandidateDataForm.Meta):
        fields = ["instroomspoor", *CandidateDataForm.Meta.fields, "recruiter", "lichting", "applied_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instroomspoor"].queryset = selectors.tracks_changeable_by(user)
        self.fields["recruiter"].queryset = selectors.recruiters()
        self.fields["lichting"].queryset = self.fields["lichting"].queryset.select_related("instroomspoor")
        self.fields["applied_on"].initial = timezone.localdate
        if user.instroomsporen.exists():
            self.fields["recruiter"].initial = user.pk

    def clean(self):
        cleaned = super().clean()
        self.check_track_fields(cleaned.get("instroomspoor"))
        return cleaned


def duplicate_key(duplicates: list[Candidate]) -> str:
    return ",".join(str(c.pk) for c in duplicates)


class CandidateEditForm(CandidateDataForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(CandidateDataForm.Meta):
        fields = [*CandidateDataForm.Meta.fields, "recruiter", "lichting"]

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, instance=instance, initial={"version": instance.version}, **kwargs)
        # The current recruiter stays a valid choice even if they no longer work for the track.
        self.fields["recruiter"].queryset = (
            selectors.recruiters()
            .filter(Q(instroomsporen=instance.instroomspoor_id) | Q(pk=instance.recruiter_id))
            .distinct()
        )
        self.fields["lichting"].queryset = instance.instroomspoor.lichtingen.all()

    def clean_birth_date(self):
        # A stored birth date is not checked again: data that was accepted once must not block other edits.
        if "birth_date" not in self.changed_data:
            return self.cleaned_data["birth_date"]
        return super().clean_birth_date()

    def clean(self):
        cleaned = super().clean()
        if {"recruiter", "lichting"} & set(self.changed_data):
            self.check_track_fields(self.instance.instroomspoor)
        return cleaned

    def changes(self) -> dict:
        return {name: value for name, value in self.service_fields().items() if name in self.changed_data}


class ReasonChoiceField(forms.TypedChoiceField):
    """A choice from catalogue reasons the caller already loaded, so a page with several forms asks once."""

    def __init__(self, reasons: list[Reason], *, grouped: bool = False, **kwargs):
        by_pk = {str(reason.pk): reason for reason in reasons}
        if grouped:
            groups: dict[str, list] = {}
            for reason in reasons:
                groups.setdefault(str(TransitionKind(reason.kind).label), []).append(
                    (reason.pk, f"{reason.label} ({reason.get_phase_display() or _('elke fase')})")
                )
            choices = list(groups.items())
        else:
            choices = [(reason.pk, reason.label) for reason in reasons]
        super().__init__(
            choices=[("", _("— kies een reden —")), *choices],
            coerce=lambda pk: by_pk[str(pk)],
            empty_value=None,
            **kwargs,
        )


KINDS_WITH_REASON = (
    TransitionKind.AFWIJZING,
    TransitionKind.TERUGTREKKING,
    TransitionKind.UITVAL,
    TransitionKind.UITSTROOM,
)
NOTE_HELP = _("Leg geen medische of psychologische bevindingen vast: daarvan telt alleen de uitslag.")
SUBMIT_LABELS = {
    TransitionKind.DOORZETTEN: _("Doorzetten"),
    TransitionKind.UITSLAG: _("Uitslag vastleggen"),
    TransitionKind.AFWIJZING: _("Afwijzen"),
    TransitionKind.TERUGTREKKING: _("Terugtrekking vastleggen"),
    TransitionKind.UITVAL: _("Uitval vastleggen"),
    TransitionKind.UITSTROOM: _("Uitstroom vastleggen"),
    TransitionKind.HEROPENING: _("Heropenen"),
}


class TransitionForm(WorkspaceFormMixin, forms.Form):
    """One transition offered on the candidate page. Which fields it has depends on its kind and on where the
    candidate stands: a verdict when an examination is left, a catalogue reason valid in the current phase when
    the candidate leaves the chain, a note when reopening."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_at = forms.DateField(label=_("Ingangsdatum"), widget=DateInput)

    def __init__(self, data=None, *, candidate: Candidate, kind: TransitionKind, reasons: list[Reason], **kwargs):
        today = timezone.localdate()
        initial = {"version": candidate.version, "occurred_at": today}
        super().__init__(data, prefix=kind.value, initial=initial, **kwargs)
        self.kind = kind
        self.candidate = candidate
        self.target_step: Step | None = None
        self.fields["occurred_at"].widget.attrs["max"] = today.isoformat()
        step = Step(candidate.step)
        on_examination = step in pipeline.EXAMINATION_STEPS
        takes_note = not on_examination

        if kind == TransitionKind.DOORZETTEN:
            targets = pipeline.next_steps(step, candidate.instroomspoor.code)
            if len(targets) > 1:
                self.fields["to_step"] = forms.ChoiceField(
                    label=_("Naar stap"),
                    choices=[("", _("— kies de volgende stap —"))] + [(s, s.label) for s in targets],
                )
            elif targets:
                self.target_step = targets[0]
            if on_examination:
                self.fields["verdict"] = forms.ChoiceField(
                    label=_("Uitslag %(step)s") % {"step": step.label.lower()},
                    choices=[("", _("— kies —")), (Verdict.GESCHIKT, Verdict.GESCHIKT.label)],
                )
        elif kind == TransitionKind.UITSLAG:
            self.fields["verdict"] = forms.ChoiceField(
                label=_("Uitslag %(step)s") % {"step": step.label.lower()},
                choices=[("", _("— kies —"))]
                + [(v, v.label) for v in (Verdict.GESCHIKT, Verdict.TIJDELIJK_ONGESCHIKT)],
            )
            takes_note = False
        elif kind in KINDS_WITH_REASON:
            own = [r for r in reasons if r.kind == kind and r.phase in ("", candidate.phase)]
            self.fields["reason"] = ReasonChoiceField(own, label=_("Reden"))
            if kind == TransitionKind.AFWIJZING and on_examination:
                self.fields["verdict"] = forms.ChoiceField(
                    label=_("Uitslag %(step)s (optioneel)") % {"step": step.label.lower()},
                    choices=[("", _("— geen uitslag —")), (Verdict.ONGESCHIKT, Verdict.ONGESCHIKT.label)],
                    required=False,
                )
            takes_note = True
        if takes_note or kind == TransitionKind.HEROPENING:
            required = kind == TransitionKind.HEROPENING
            self.fields["note"] = forms.CharField(
                label=_("Toelichting") if required else _("Toelichting (optioneel)"),
                required=required,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=NOTE_HELP,
            )

    @property
    def title(self) -> str:
        return TransitionKind(self.kind).label

    @property
    def submit_label(self) -> str:
        return SUBMIT_LABELS[self.kind]

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.localdate():
            raise forms.ValidationError(_("De ingangsdatum mag niet in de toekomst liggen."), code="future")
        return occurred_at

    def service_kwargs(self) -> dict:
        """The arguments of `services.candidate_transition` besides the candidate and the actor."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "kind": self.kind,
            "occurred_at": data["occurred_at"],
            "to_step": data.get("to_step") or None,
            "verdict": data.get("verdict", ""),
            "reason": data.get("reason"),
            "note": data.get("note", ""),
        }


def transition_forms(candidate: Candidate, data=None, *, only: TransitionKind | None = None) -> list[TransitionForm]:
    """A form for each transition the chain allows from where `candidate` stands (one query for the reasons)."""
    state = pipeline.State(candidate.phase, candidate.step, candidate.status)
    kinds = pipeline.available_kinds(state, candidate.instroomspoor.code)
    reasons = selectors.reasons_for([k for k in kinds if k in KINDS_WITH_REASON], phase=candidate.phase)
    return [
        TransitionForm(data if kind == only else None, candidate=candidate, kind=kind, reasons=reasons)
        for kind in kinds
    ]


class NoteForm(WorkspaceFormMixin, forms.ModelForm):
    class Meta:
        model = CandidateNote
        fields = ["text"]
        labels = {"text": _("Nieuwe notitie")}
        help_texts = {"text": NOTE_HELP}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class SelectionField(forms.Field):
    """The candidates ticked in the list, each as "id:version" so that every one is checked for conflicts."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Selecteer eerst één of meer kandidaten."),
        "invalid": _("De selectie is ongeldig; laad de lijst opnieuw."),
        "too_many": _("Selecteer hoogstens %(max)d kandidaten tegelijk."),
    }

    def to_python(self, value):
        selection = {}
        for item in value or []:
            pk, sep, version = str(item).partition(":")
            if not (sep and pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            selection[int(pk)] = int(version)
        if len(selection) > MAX_SELECTION:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"max": MAX_SELECTION})
        return list(selection.items())


class BulkActionForm(WorkspaceFormMixin, forms.Form):
    """One action for the candidates ticked in the list."""

    prefix = "bulk"  # the list page also has the filter form, with fields of the same names
    ASSIGN = "toewijzen"
    ACTIONS = [
        (ASSIGN, _("Recruiter toewijzen")),
        (TransitionKind.DOORZETTEN, _("Doorzetten naar volgende stap")),
        (TransitionKind.AFWIJZING, _("Afwijzen")),
        (TransitionKind.TERUGTREKKING, _("Teruggetrokken door kandidaat")),
    ]

    selected = SelectionField()
    action = forms.ChoiceField(label=_("Actie"), choices=[("", _("— kies een actie —")), *ACTIONS])
    recruiter = ModelChoiceField(
        label=_("Recruiter"), queryset=selectors.recruiters(), required=False, empty_label=_("— kies —")
    )
    reason = forms.CharField(required=False)  # replaced per instance by a ReasonChoiceField
    record_geschikt = forms.BooleanField(
        label=_("Bij een onderzoek of keuring de uitslag 'geschikt' vastleggen"), required=False
    )
    occurred_at = forms.DateField(label=_("Ingangsdatum"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = selectors.reasons_for([TransitionKind.AFWIJZING, TransitionKind.TERUGTREKKING])
        self.fields["reason"] = ReasonChoiceField(reasons, grouped=True, label=_("Reden"), required=False)
        self.fields["occurred_at"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        # Fields of the other actions stay in the page (hidden by script) and are submitted too: ignore them.
        if action != self.ASSIGN:
            cleaned["recruiter"] = None
        if action not in (TransitionKind.AFWIJZING, TransitionKind.TERUGTREKKING):
            cleaned["reason"] = None
        if action != TransitionKind.DOORZETTEN:
            cleaned["record_geschikt"] = False
        if action == self.ASSIGN and not cleaned.get("recruiter"):
            self.add_error("recruiter", _("Kies de recruiter die u wilt toewijzen."))
        if action in (TransitionKind.AFWIJZING, TransitionKind.TERUGTREKKING):
            reason = cleaned.get("reason")
            if reason is None:
                self.add_error("reason", _("Kies een reden uit de lijst."))
            elif reason.kind != action:
                self.add_error("reason", _("Deze reden hoort niet bij de gekozen actie."))
        occurred_at = cleaned.get("occurred_at")
        if occurred_at and occurred_at > timezone.localdate():
            self.add_error("occurred_at", _("De ingangsdatum mag niet in de toekomst liggen."))
        return cleaned


class ImportUploadForm(WorkspaceFormMixin, forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(label=_("CSV-bestand"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv)."), code="extension")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 2 MB; splits het op."), code="size")
        return upload
