"""Reads of intake data, scoped to what a user may see."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .choices import PLACE_FREEING_STATUSES, TERMINAL_STATUSES, Step, TransitionKind
from .models import Candidate, Doorstroom, Instroomspoor, Lichting, LichtingPlacement, PhaseTally, StatusEvent

RECRUITER_GROUP = "recruiter"
MANAGER_GROUP = "manager"
BEHEERDER_GROUP = "beheerder"


def user_sees_all_tracks(user: AbstractBaseUser) -> bool:
    return user.is_superuser or user.groups.filter(name__in=[MANAGER_GROUP, BEHEERDER_GROUP]).exists()


def user_is_manager(user: AbstractBaseUser | None) -> bool:
    """Managers may overbook a lichting; a superuser may do what a manager may."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=MANAGER_GROUP).exists()


def user_edits_track(user: AbstractBaseUser, instroomspoor: Instroomspoor) -> bool:
    """Track data is edited by the recruiters of that track; managers and others only read it."""
    return user.is_superuser or instroomspoor.recruiters.filter(pk=user.pk).exists()


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


def _training_entries() -> QuerySet[StatusEvent]:
    return StatusEvent.objects.filter(kind=TransitionKind.DOORZETTEN, to_step=Step.INITIELE_OPLEIDING)


def with_started_on(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Annotates `started_on`: the effective date a candidate entered the initial training, which is when a
    Dienjaar, NWT or Defensity participant starts (None while not started)."""
    entry = _training_entries().filter(candidate=OuterRef("pk")).order_by("sequence").values("occurred_at")[:1]
    return candidates.annotate(started_on=Subquery(entry))


@dataclass(frozen=True)
class TrackProgress:
    """Where a participant of a track with a fixed length stands. The start is read from the status events, the
    completion from the track's own data, an early stop from the chain and the outcome from Doorstroom."""

    started_on: datetime.date | None
    completed_on: datetime.date | None
    stop: StatusEvent | None
    doorstroom: Doorstroom | None

    @property
    def label(self) -> str:
        if self.completed_on:
            return _("Afgerond")
        if self.stop is not None:
            return _("Voortijdig gestopt") if self.started_on else _("Gestopt vóór de start")
        return _("Loopt") if self.started_on else _("Nog niet gestart")


def track_progress(candidate: Candidate, *, completed_on: datetime.date | None) -> TrackProgress:
    """Three queries: the start event, the event that closed the candidate (if any) and the doorstroom."""
    entry = _training_entries().filter(candidate=candidate).order_by("sequence").first()
    stop = None
    if completed_on is None and candidate.status in TERMINAL_STATUSES:
        stop = candidate.events.select_related("reason").order_by("-sequence").first()
    return TrackProgress(
        started_on=entry.occurred_at if entry else None,
        completed_on=completed_on,
        stop=stop,
        doorstroom=Doorstroom.objects.filter(candidate=candidate).first(),
    )


def lichting_filled(lichting: Lichting) -> int:
    """Places taken in a lichting (see PLACE_FREEING_STATUSES for who does not count)."""
    return lichting.candidates.exclude(status__in=PLACE_FREEING_STATUSES).count()


def lichting_tracks_for(user: AbstractBaseUser) -> list[Instroomspoor]:
    """The tracks that start in lichtingen whose lichtingen `user` may see."""
    tracks = Instroomspoor.objects.filter(starts_in_lichtingen=True, is_active=True).order_by("name")
    if not user_sees_all_tracks(user):
        tracks = tracks.filter(recruiters=user)
    return list(tracks)


def with_fill(lichtingen: QuerySet[Lichting]) -> QuerySet[Lichting]:
    """Annotates `filled` (places taken) and `overrides` (placements a manager allowed beyond the capacity)."""
    # Two correlated counts rather than joins: joining members and placements would multiply the rows.
    members = Candidate.objects.filter(lichting=OuterRef("pk")).exclude(status__in=PLACE_FREEING_STATUSES)
    overrides = LichtingPlacement.objects.filter(lichting=OuterRef("pk")).exclude(override_reason="")
    return lichtingen.annotate(filled=_count(members), overrides=_count(overrides))


def lichtingen_with_fill(instroomspoor: Instroomspoor) -> QuerySet[Lichting]:
    """A track's lichtingen with their fill, newest first; one query whatever their number."""
    lichtingen = Lichting.objects.filter(instroomspoor=instroomspoor).select_related("krijgsmachtdeel")
    return with_fill(lichtingen).order_by("-start_date", "name")


def _count(correlated: QuerySet) -> Coalesce:
    counted = correlated.order_by().values("lichting").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def lichting_members(lichting: Lichting, user: AbstractBaseUser) -> QuerySet[Candidate]:
    """The candidates placed in a lichting that `user` may see, with their start date."""
    members = candidates_visible_to(user).filter(lichting=lichting).select_related("krijgsmachtdeel")
    return with_started_on(members).order_by("last_name", "first_name", "pk")
