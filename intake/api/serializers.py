"""Input and output shapes of the intake API. Output serializers only read; input serializers only validate and
hand their data to `intake.services`, which alone writes a candidate. Phase, step and status are never input."""

import copy

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from intake.choices import Step, TransitionKind, Verdict
from intake.models import Candidate, Instroomspoor, Krijgsmachtdeel, Lichting, Reason, StatusEvent
from intake.selectors import tracks_visible_to
from intake.services import EDITABLE_FIELDS


class CodeField(serializers.SlugRelatedField):
    # A reference by its code (`"instroomspoor": "nwt"`), as systems know them, rather than by database id.

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        # PostgreSQL refuses a NUL byte in a query parameter with an error DRF does not catch: no code has one.
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def _field_copies(fields: dict) -> dict:
    """Copies of a serializer's fields for one instance. A shallow copy suffices: binding a field to its serializer
    sets the copy's own attributes, and validating or serializing changes nothing else (DRF's deep copy, which
    builds every field again from its arguments, was a fifth of a transition's time). Nested serializers are
    copied deeply."""
    return {
        name: copy.deepcopy(field) if isinstance(field, serializers.BaseSerializer) else copy.copy(field)
        for name, field in fields.items()
    }


class OutputModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that builds its fields from the model once per class and gives each instance copies:
    building them (every model field's type, choices and validators) cost more than serializing the candidate of
    a transition's answer. Their shape depends on the class alone, not on the instance or its context."""

    def get_fields(self):
        cls = type(self)
        if "_built_fields" not in cls.__dict__:  # this class's own, not a parent's
            cls._built_fields = super().get_fields()
        return _field_copies(cls._built_fields)


class CandidateSerializer(OutputModelSerializer):
    number = serializers.CharField(read_only=True, help_text="Kandidaatnummer zoals mensen het noemen, bv. K0000123.")
    instroomspoor = CodeField(read_only=True)
    krijgsmachtdeel = CodeField(read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "number",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "postcode",
            "gender",
            "instroomspoor",
            "krijgsmachtdeel",
            "application_type",
            "function_title",
            "source",
            "recruiter",
            "lichting",
            "applied_on",
            "phase",
            "step",
            "status",
            "step_since",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# The fields `candidate_update` accepts, with the model's own validation (formats, choices, lengths).
class _CandidateInput(serializers.ModelSerializer):
    krijgsmachtdeel = CodeField(queryset=Krijgsmachtdeel.objects.all())
    recruiter = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), allow_null=True, required=False
    )

    class Meta:
        model = Candidate
        fields = sorted(EDITABLE_FIELDS)


class CandidateCreateSerializer(_CandidateInput):
    instroomspoor = CodeField(queryset=Instroomspoor.objects.filter(is_active=True))

    class Meta(_CandidateInput.Meta):
        fields = ["instroomspoor", "applied_on", *_CandidateInput.Meta.fields]

    def validate_instroomspoor(self, track):
        if not tracks_visible_to(self.context["request"].user).filter(pk=track.pk).exists():
            raise serializers.ValidationError(_("Je mag geen kandidaten registreren in dit instroomspoor."))
        return track


class CandidateUpdateSerializer(_CandidateInput):
    version = serializers.IntegerField(
        min_value=1, help_text="De versie die je het laatst las; is de kandidaat intussen gewijzigd, dan volgt 409."
    )

    class Meta(_CandidateInput.Meta):
        fields = ["version", *_CandidateInput.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Send only what changes; the version is what makes a change safe, so it is always needed.
        for name, field in self.fields.items():
            field.required = name == "version"


class CandidateSearchSerializer(serializers.Serializer):
    """The body of a search: the term, which is personal data and so never goes in the URL."""

    q = serializers.CharField(
        max_length=100, help_text=_("Naam, e-mailadres of kandidaatnummer; meerdere woorden moeten allemaal passen.")
    )


class StatusEventSerializer(OutputModelSerializer):
    # Output only. Not declared read-only, because DRF then drops `allow_blank` and the schema would deny the
    # empty from_* fields of a first event and the empty verdict of a transition without examination.
    reason = CodeField(read_only=True, allow_null=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = StatusEvent
        fields = [
            "sequence",
            "kind",
            "from_phase",
            "from_step",
            "from_status",
            "to_phase",
            "to_step",
            "to_status",
            "verdict",
            "reason",
            "note",
            "actor",
            "occurred_at",
            "recorded_at",
        ]


class TransitionSerializer(serializers.Serializer):
    # The API's busiest input: its fields are copied shallowly, as the output serializers' (`_field_copies`).
    def get_fields(self):
        return _field_copies(self._declared_fields)

    version = serializers.IntegerField(min_value=1, help_text="De versie van de kandidaat die je het laatst las.")
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in TransitionKind if k != TransitionKind.AANMELDING],
        help_text="De overgang; een aanmelding is het aanmaken van de kandidaat zelf.",
    )
    occurred_at = serializers.DateField(
        required=False, help_text="Ingangsdatum; standaard vandaag. Niet in de toekomst, niet vóór de vorige."
    )
    to_step = serializers.ChoiceField(
        choices=Step.choices,
        required=False,
        allow_blank=True,
        help_text="Bij doorzetten: de volgende stap, als er meer dan één is.",
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        required=False,
        allow_blank=True,
        help_text="Uitslag van een onderzoek of keuring: alleen het oordeel.",
    )
    # A code, looked up by the statement that locks the candidate (`services.candidate_transition`) instead of
    # by a query of its own.
    reason = serializers.CharField(
        required=False,
        max_length=Reason._meta.get_field("code").max_length,
        help_text="Code uit /reasons; verplicht bij afwijzing, terugtrekking, uitval en uitstroom.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text="Toelichting; verplicht bij heropenen."
    )


class TransitionResultSerializer(serializers.Serializer):
    candidate = CandidateSerializer(help_text="De kandidaat na de overgang, met de nieuwe versie.")
    event = StatusEventSerializer(help_text="De vastgelegde statuswijziging.")


class InstroomspoorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instroomspoor
        fields = ["code", "name", "personnel_category", "starts_in_lichtingen", "is_active"]


class KrijgsmachtdeelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Krijgsmachtdeel
        fields = ["code", "name"]


class ReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reason
        fields = ["code", "label", "kind", "phase", "outflow_type", "is_active"]


class LichtingSerializer(serializers.ModelSerializer):
    instroomspoor = CodeField(read_only=True)
    krijgsmachtdeel = CodeField(read_only=True, allow_null=True)

    class Meta:
        model = Lichting
        fields = [
            "id",
            "name",
            "instroomspoor",
            "krijgsmachtdeel",
            "start_date",
            "end_date",
            "location",
            "capacity",
        ]
