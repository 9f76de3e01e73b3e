from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from intake.choices import Destination, Phase
from intake.models import Candidate
from intake.selectors import TrackProgress, track_progress

from .models import NwtDeelname, School


@dataclass(frozen=True)
class Participant:
    """A candidate's NWT: its data (None until filled in) and how far the training is."""

    deelname: NwtDeelname | None
    progress: TrackProgress

    @property
    def outcome(self) -> str:
        doorstroom = self.progress.doorstroom
        if doorstroom is None:
            return ""
        if doorstroom.destination == Destination.RESERVIST:
            return _("Aangesteld als reservist")
        return _("Niet aangesteld")


def participant(candidate: Candidate) -> Participant:
    deelname = NwtDeelname.objects.filter(candidate=candidate).select_related("school").first()
    return Participant(
        deelname=deelname, progress=track_progress(candidate, completed_on=deelname.completed_on if deelname else None)
    )


def schools_overview(*, lichting_year: int | None = None) -> QuerySet[School]:
    """Per partner school: candidates, started (entered the training), completed and appointed as reservist; one
    query. With `lichting_year` only participants of a lichting starting that year count."""
    within = Q(deelnames__candidate__lichting__start_date__year=lichting_year) if lichting_year else Q()
    return School.objects.annotate(
        candidates=Count("deelnames", filter=within),
        started=Count(
            "deelnames", filter=within & Q(deelnames__candidate__phase__in=[Phase.OPLEIDING, Phase.AANGESTELD])
        ),
        completed=Count("deelnames", filter=within & Q(deelnames__completed_on__isnull=False)),
        appointed=Count(
            "deelnames", filter=within & Q(deelnames__candidate__doorstroom__destination=Destination.RESERVIST)
        ),
    ).order_by("name")
