"""Reads of intake data, scoped to what a user may see."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from .models import Candidate, PhaseTally, StatusEvent

RECRUITER_GROUP = "recruiter"
MANAGER_GROUP = "manager"
BEHEERDER_GROUP = "beheerder"


def user_sees_all_tracks(user: AbstractBaseUser) -> bool:
    return user.is_superuser or user.groups.filter(name__in=[MANAGER_GROUP, BEHEERDER_GROUP]).exists()


def candidates_visible_to(user: AbstractBaseUser) -> QuerySet[Candidate]:
    """Managers and beheerders see every candidate; a recruiter sees the tracks they are assigned to and, if
    they are assigned regions, only the candidates whose postcode lies in one of them."""
    candidates = Candidate.objects.all()
    if not user.is_authenticated:
        return candidates.none()
    if user_sees_all_tracks(user):
        return candidates
    candidates = candidates.filter(instroomspoor__in=user.instroomsporen.all())
    regions = list(user.regios.values_list("postcode_from", "postcode_to"))
    if regions:
        in_region = Q()
        for low, high in regions:
            # Postcodes are stored as "1234 AB": comparing the text against the bare numbers orders them right.
            in_region |= Q(postcode__gte=f"{low:04d}", postcode__lt=f"{high + 1:04d}")
        candidates = candidates.filter(in_region)
    return candidates


def candidate_timeline(candidate: Candidate) -> QuerySet[StatusEvent]:
    return candidate.events.select_related("actor", "reason").order_by("sequence")


def phase_tally() -> QuerySet[PhaseTally]:
    return PhaseTally.objects.select_related("instroomspoor").order_by("instroomspoor__name", "phase", "status")
