"""The one filterset for candidates, shared by the recruiter list, the pipeline board and the API."""

import datetime
import re

import django_filters
from django.core.validators import EMPTY_VALUES
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceFilter

from .choices import Destination, Phase, Status, Step
from .models import Candidate, Instroomspoor, Krijgsmachtdeel, Lichting, Reason

CANDIDATE_NUMBER = re.compile(r"^[Kk]?0*(\d{1,12})$")


def candidate_id_of(term: str) -> int | None:
    """The id a candidate number stands for ("K0000123", "k123", "123"), or None if `term` is not one."""
    number = CANDIDATE_NUMBER.match(term.strip())
    return int(number.group(1)) if number else None


class CandidateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken"), method="filter_search", max_length=100)
    instroomspoor = ModelChoiceFilter(
        label=_("Instroomspoor"), queryset=Instroomspoor.objects.all(), to_field_name="code"
    )
    krijgsmachtdeel = ModelChoiceFilter(
        label=_("Krijgsmachtdeel"), queryset=Krijgsmachtdeel.objects.all(), to_field_name="code"
    )
    phase = django_filters.ChoiceFilter(label=_("Fase"), choices=Phase.choices)
    step = django_filters.ChoiceFilter(label=_("Stap"), choices=Step.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    recruiter = django_filters.NumberFilter(label=_("Recruiter (id)"), field_name="recruiter_id")
    lichting = ModelChoiceFilter(label=_("Lichting"), queryset=Lichting.objects.all())
    applied_after = django_filters.DateFilter(label=_("Aangemeld vanaf"), field_name="applied_on", lookup_expr="gte")
    applied_before = django_filters.DateFilter(
        label=_("Aangemeld tot en met"), field_name="applied_on", lookup_expr="lte"
    )
    stalled_days = django_filters.NumberFilter(
        label=_("Langer dan N dagen in huidige stap"), method="filter_stalled", min_value=0, max_value=3650
    )
    mine = django_filters.BooleanFilter(label=_("Mijn kandidaten"), method="filter_mine")
    doorstroom = django_filters.ChoiceFilter(
        label=_("Doorstroom na het traject"), choices=Destination.choices, field_name="doorstroom__destination"
    )

    class Meta:
        model = Candidate
        fields = []

    def in_effect(self) -> dict:
        """The valid filter values that narrow the candidates, by filter name (blank and invalid ones do not)."""
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value not in EMPTY_VALUES}

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        candidate_id = candidate_id_of(value)
        if candidate_id is not None:
            return queryset.filter(pk=candidate_id)
        words = value.split()
        condition = Q()
        for word in words:
            condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        return queryset.filter(condition)

    def filter_stalled(self, queryset, name, value):
        # Only candidates still in process can be stalled; closed ones have left the chain.
        since = timezone.localdate() - datetime.timedelta(days=int(value))
        return queryset.filter(status=Status.LOPEND, step_since__lt=since)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None and user.is_authenticated:
            return queryset.filter(recruiter=user)
        return queryset


class LichtingFilterSet(django_filters.FilterSet):
    instroomspoor = ModelChoiceFilter(
        label=_("Instroomspoor"), queryset=Instroomspoor.objects.all(), to_field_name="code"
    )
    krijgsmachtdeel = ModelChoiceFilter(
        label=_("Krijgsmachtdeel"), queryset=Krijgsmachtdeel.objects.all(), to_field_name="code"
    )
    starts_after = django_filters.DateFilter(label=_("Start vanaf"), field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(label=_("Start tot en met"), field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Lichting
        fields = []


class ReasonFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Soort overgang"), choices=Reason._meta.get_field("kind").choices)
    phase = django_filters.ChoiceFilter(
        label=_("Fase (redenen die in elke fase gelden komen ook mee)"), choices=Phase.choices, method="filter_phase"
    )
    is_active = django_filters.BooleanFilter(label=_("Actief"))

    class Meta:
        model = Reason
        fields = []

    def filter_phase(self, queryset, name, value):
        # A reason without a phase applies in every phase, so it belongs to each phase's choices.
        return queryset.filter(Q(phase=value) | Q(phase=""))


def register_filter(name: str, filter_: django_filters.Filter) -> None:
    """Adds a filter on a track's own data, reached through the candidate's reverse relation (for example
    `field_name="dienjaar__variant"`), so that the list, the board and the API offer it while intake does not
    import the track app. Track apps call this from their `ready()`."""
    CandidateFilterSet.base_filters[name] = filter_
