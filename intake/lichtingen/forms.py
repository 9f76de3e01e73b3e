from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceField
from intake import selectors
from intake.models import Candidate, Lichting
from intake.track_forms import VersionedForm


def lichting_label(lichting: Lichting) -> str:
    return _("%(name)s — start %(start)s, %(location)s (%(filled)d van %(capacity)d plaatsen bezet)") % {
        "name": lichting.name,
        "start": lichting.start_date.strftime("%d-%m-%Y"),
        "location": lichting.location or "-",
        "filled": lichting.filled,
        "capacity": lichting.capacity,
    }


class PlacementForm(VersionedForm):
    lichting = ModelChoiceField(
        label=_("Lichting"), queryset=Lichting.objects.none(), required=False, empty_label=_("— geen lichting —")
    )
    override_reason = forms.CharField(
        label=_("Reden om boven de capaciteit te plaatsen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        help_text=_("Alleen nodig als de lichting vol is."),
    )

    def __init__(self, *args, candidate: Candidate, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Lichtingen still to come or running, and the one the candidate is in now.
        lichtingen = selectors.lichtingen_with_fill(candidate.instroomspoor).filter(
            Q(end_date__gte=timezone.localdate()) | Q(pk=candidate.lichting_id)
        )
        self.fields["lichting"].queryset = lichtingen.order_by("start_date", "name")
        self.fields["lichting"].label_from_instance = lichting_label
        if not may_override:
            del self.fields["override_reason"]
