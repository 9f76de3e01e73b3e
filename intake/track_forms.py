"""Forms shared by the pages of the tracks with a fixed length (Dienjaar, NWT, Defensity College)."""

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Destination
from .forms import DateInput


class VersionedForm(forms.Form):
    """A form that carries the version of what it changes, so that a stale submit is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def for_row(cls, data, row: models.Model | None):
        """The form for a track data row, filled in from it; version 0 when the candidate has no row yet."""
        if row is None:
            return cls(data, initial={"version": 0})
        fields = [name for name in cls.base_fields if name != "version"]
        return cls(data, initial={**model_to_dict(row, fields=fields), "version": row.version})


class DoorstroomForm(VersionedForm):
    """Where a participant went after the track; `version` is the candidate's."""

    destination = forms.ChoiceField(label=_("Doorstroom naar"), choices=Destination.choices)
    decided_on = forms.DateField(label=_("Per datum"), widget=DateInput, initial=timezone.localdate)

    @classmethod
    def for_candidate(cls, data, candidate, doorstroom) -> "DoorstroomForm":
        """Filled in with the doorstroom recorded so far, if any, so that a correction starts from it."""
        initial = {"version": candidate.version}
        if doorstroom:
            initial |= {"destination": doorstroom.destination, "decided_on": doorstroom.decided_on}
        return cls(data, initial=initial)
