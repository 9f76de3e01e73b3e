"""Reads of intake data, scoped to what a user may see."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import Candidate, Instroomspoor, PhaseTally, StatusEvent

RECRUITER_GROUP = "recruiter"
MANAGER_GROUP = "manager"
BEHEERDER_GROUP = "beheerder"


def user_sees_all_tracks(user: AbstractBaseUser) -> bool:
    return user.is_superuser or user.groups.filter(name__in=[MANAGER_GROUP, BEHEERDER_GROUP]).exists()


def candidates_visible_to(user: AbstractBaseUser) -> QuerySet[Candidate]:
    """Managers and beheerders see every candidate; a recruiter sees the tracks they are assigned to."""
    candidates = Candidate.objects.all()
    if not user.is_authenticated:
        return candidates.none()
    if user_sees_all_tracks(user):
        return candidates
    return candidates.filter(instroomspoor__recruiters=user)


def tracks_visible_to(user: AbstractBaseUser) -> QuerySet[Instroomspoor]:
    """The tracks whose candidates `user` sees, and so may register candidates in."""
    if not user.is_authenticated:
        return Instroomspoor.objects.none()
    if user_sees_all_tracks(user):
        return Instroomspoor.objects.all()
    return Instroomspoor.objects.filter(recruiters=user)


def candidate_timeline(candidate: Candidate) -> QuerySet[StatusEvent]:
    return candidate.events.select_related("actor", "reason").order_by("sequence")


def phase_tally() -> QuerySet[PhaseTally]:
    return PhaseTally.objects.select_related("instroomspoor").order_by("instroomspoor__name", "phase", "status")
