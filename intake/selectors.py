"""Reads of intake data, scoped to what a user may see."""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _

from .choices import PLACE_FREEING_STATUSES, TERMINAL_STATUSES, Phase, Step, TransitionKind
from .models import (
    Candidate,
    CandidateNote,
    Doorstroom,
    Instroomspoor,
    Krijgsmachtdeel,
    Lichting,
    LichtingPlacement,
    PhaseTally,
    PhaseTallyChange,
    Reason,
    StatusEvent,
)

RECRUITER_GROUP = "recruiter"
MANAGER_GROUP = "manager"
BEHEERDER_GROUP = "beheerder"

# What a role may do is a model permission of its group (see intake/roles.py); which candidates is decided here.
CHANGE_CANDIDATE = "intake.change_candidate"
ADD_CANDIDATE = "intake.add_candidate"
ADD_NOTE = "intake.add_candidatenote"


VIEW_ALL_TRACKS = "intake.view_all_tracks"
CHANGE_ALL_TRACKS = "intake.change_all_tracks"
HANDLE_DATA_REQUESTS = "intake.handle_data_requests"
OVERBOOK_LICHTING = "intake.overbook_lichting"


# Roles are answered from the permission cache Django keeps on the user object, so a page that asks several
# role questions and checks what the user may do pays for the permissions once.
def user_sees_all_tracks(user: AbstractBaseUser) -> bool:
    return user.has_perm(VIEW_ALL_TRACKS)


def _user_changes_all_tracks(user: AbstractBaseUser) -> bool:
    return user.has_perm(CHANGE_ALL_TRACKS)


def user_may_overbook(user: AbstractBaseUser | None) -> bool:
    """Managers may fill a lichting beyond its capacity, with a reason."""
    return user is not None and user.is_authenticated and user.has_perm(OVERBOOK_LICHTING)


def user_edits_track(user: AbstractBaseUser, instroomspoor: Instroomspoor) -> bool:
    """A track's own data (Dienjaar, NWT, Defensity College) is changed by who may change the track's candidates:
    its recruiters, and beheerders; managers read it."""
    if not user.has_perm(CHANGE_CANDIDATE):
        return False
    return _user_changes_all_tracks(user) or instroomspoor.recruiters.filter(pk=user.pk).exists()


def candidates_visible_to(user: AbstractBaseUser) -> QuerySet[Candidate]:
    """Managers and beheerders see every candidate; a recruiter sees the tracks they are assigned to and, if
    they are assigned regions, only the candidates whose postcode lies in one of them."""
    candidates = Candidate.objects.all()
    if not user.is_authenticated:
        return candidates.none()
    if user_sees_all_tracks(user):
        return candidates
    candidates = candidates.filter(_in_tracks_of(user))
    regions = _regions_of(user)
    if regions:
        in_region = Q()
        for low, high in regions:
            # Postcodes are stored as "1234 AB": comparing the text against the bare numbers orders them right.
            in_region |= Q(postcode__gte=f"{low:04d}", postcode__lt=f"{high + 1:04d}")
        candidates = candidates.filter(in_region)
    return candidates


def _in_tracks_of(user: AbstractBaseUser) -> Q:
    """Candidates (or tally rows) of the tracks `user` is assigned to."""
    tracks = Instroomspoor.recruiters.through.objects.filter(user=user).values("instroomspoor_id")
    if connection.vendor != "postgresql":
        return Q(instroomspoor__in=tracks)
    # As `= ANY(ARRAY(subquery))` PostgreSQL evaluates the handful of track ids first and reads a track's
    # candidates from an index; as `IN (subquery)` it plans a join and reads ~500,000 rows from the table.
    return Q(_EqualsAny(F("instroomspoor_id"), ArraySubquery(tracks)))


class _EqualsAny(Func):
    """`column = ANY(array)`, a condition."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def _regions_of(user) -> list[tuple[int, int]]:
    # Remembered on the user object: one request asks for the scope several times (list, counts, filters).
    if not hasattr(user, "_instroom_regions"):
        user._instroom_regions = list(user.regios.values_list("postcode_from", "postcode_to"))
    return user._instroom_regions


def candidates_changeable_by(user: AbstractBaseUser) -> QuerySet[Candidate]:
    """Beheerders change every candidate, recruiters those of their own tracks, managers none: they only read."""
    candidates = Candidate.objects.all()
    if not user.is_authenticated or not user.has_perm(CHANGE_CANDIDATE):
        return candidates.none()
    if _user_changes_all_tracks(user):
        return candidates
    return candidates_visible_to(user)


def user_may_change(user: AbstractBaseUser, candidate: Candidate) -> bool:
    """Whether `user` may change `candidate`, a candidate they can see; answers without a query of its own for
    the usual roles, so the candidate page can ask it freely."""
    if not user.has_perm(CHANGE_CANDIDATE):
        return False
    if _user_changes_all_tracks(user):
        return True
    if not user_sees_all_tracks(user):
        return True  # visible to a recruiter means: in one of their tracks
    return candidates_changeable_by(user).filter(pk=candidate.pk).exists()


def tracks_changeable_by(user: AbstractBaseUser) -> QuerySet[Instroomspoor]:
    """The intake tracks in which `user` may register candidates."""
    if not user.has_perm(ADD_CANDIDATE):
        return Instroomspoor.objects.none()
    tracks = Instroomspoor.objects.filter(is_active=True)
    return tracks if _user_changes_all_tracks(user) else tracks.filter(recruiters=user)


def recruiters() -> QuerySet:
    """Active users in the recruiter group, for the filter and assignment lists."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=RECRUITER_GROUP)
        .order_by("last_name", "first_name", "username")
    )


def tracks_visible_to(user: AbstractBaseUser) -> QuerySet[Instroomspoor]:
    """The tracks whose candidates `user` sees, and so may register candidates in."""
    if not user.is_authenticated:
        return Instroomspoor.objects.none()
    if user_sees_all_tracks(user):
        return Instroomspoor.objects.all()
    return Instroomspoor.objects.filter(recruiters=user)


def candidate_timeline(candidate: Candidate) -> QuerySet[StatusEvent]:
    return candidate.events.select_related("actor", "reason").order_by("sequence")


def candidate_notes(candidate: Candidate) -> QuerySet[CandidateNote]:
    return candidate.notes.select_related("author").order_by("-created_at", "-id")


# The filters the phase tally can answer: the dimensions it is kept by.
TALLY_FILTERS = frozenset({"instroomspoor", "krijgsmachtdeel", "phase", "status"})
# A search is counted up to this many matches; beyond it the pages say "meer dan 1.000" and page through the first
# ones only. Counting every match of a common name (*van de*: 60,000 of a recruiter's candidates) read that many
# rows on every request and every keystroke of the live search; capped, the counts read at most 1,001.
SEARCH_COUNT_LIMIT = 1000


def phase_counts(
    user: AbstractBaseUser, candidates: QuerySet[Candidate], filters: Mapping[str, Any]
) -> list[tuple[Phase, int | None]]:
    """How many of `candidates` stand in each phase of the chain, in chain order, zeros included. `candidates`
    are those `user` sees narrowed by `filters` (the filter values in effect, by filter name). When the filters
    are only on the tally's dimensions and the user sees whole tracks, the counts are read from the phase tally
    and its journal (a few dozen rows) instead of counting up to a million candidates; any other filter is
    counted on the candidates it narrows down to. A search is counted up to SEARCH_COUNT_LIMIT matches: with more,
    every count is None (not counted)."""
    whole_tracks = user.is_authenticated and (user_sees_all_tracks(user) or not _regions_of(user))
    if whole_tracks and set(filters) <= TALLY_FILTERS:
        counts = _tallied_phase_counts(user, **filters)
    elif is_search(filters):
        return search_phase_counts(search_matches(candidates))
    else:
        # COUNT(*), not COUNT(id): the id is in none of the narrower indexes, and counting it forces PostgreSQL to
        # read every matching row from the table instead of counting the entries of an index (the stalled
        # filter's from candidate_stalled_idx: an index-only scan, 3x faster).
        counts = dict(candidates.order_by().values_list("phase").annotate(n=Count("*")))
    return [(phase, counts.get(phase.value, 0)) for phase in Phase]


def is_search(filters: Mapping[str, Any]) -> bool:
    return bool(str(filters.get("q", "")).strip())


def search_matches(candidates: QuerySet[Candidate]) -> dict[int, str] | None:
    """The phase of each of a search's matches, by id; None if there are more than SEARCH_COUNT_LIMIT."""
    # Any SEARCH_COUNT_LIMIT + 1 matches will do: without an order PostgreSQL stops reading at the limit.
    matches = dict(candidates.order_by().values_list("pk", "phase")[: SEARCH_COUNT_LIMIT + 1])
    return matches if len(matches) <= SEARCH_COUNT_LIMIT else None


def search_phase_counts(matches: dict[int, str] | None) -> list[tuple[Phase, int | None]]:
    """`phase_counts` of a search from its `search_matches`: every count None when there were too many."""
    counts = Counter(matches.values()) if matches is not None else {}
    return [(phase, counts.get(phase.value, 0) if matches is not None else None) for phase in Phase]


def search_count(candidates: QuerySet[Candidate]) -> int | None:
    """How many `candidates` (a search's matches) there are, or None if more than SEARCH_COUNT_LIMIT: reads at
    most one row more than that."""
    count = candidates.order_by()[: SEARCH_COUNT_LIMIT + 1].count()
    return count if count <= SEARCH_COUNT_LIMIT else None


def _tallied_phase_counts(
    user: AbstractBaseUser,
    *,
    instroomspoor: Instroomspoor | None = None,
    krijgsmachtdeel: Krijgsmachtdeel | None = None,
    phase: str | None = None,
    status: str | None = None,
) -> Counter:
    """The exact counts per phase: the tally plus the journal rows not folded into it yet, in one query."""
    rows = Q()
    if not user_sees_all_tracks(user):
        rows &= _in_tracks_of(user)
    if instroomspoor is not None:
        rows &= Q(instroomspoor=instroomspoor)
    if krijgsmachtdeel is not None:
        rows &= Q(krijgsmachtdeel=krijgsmachtdeel)
    if phase:
        rows &= Q(phase=phase)
    if status:
        rows &= Q(status=status)
    tally = PhaseTally.objects.filter(rows).values("phase").annotate(n=Sum("count")).order_by()
    changes = PhaseTallyChange.objects.filter(rows).values("phase").annotate(n=Sum("delta")).order_by()
    counts = Counter()
    for row in tally.union(changes, all=True):
        counts[row["phase"]] += row["n"]
    return counts


def reasons_for(kinds: Iterable[str], phase: str | None = None) -> list[Reason]:
    """Active catalogue reasons of the given transition kinds; with `phase`, only those valid in that phase."""
    reasons = Reason.objects.filter(is_active=True, kind__in=list(kinds))
    if phase is not None:
        reasons = reasons.filter(Q(phase="") | Q(phase=phase))
    return list(reasons.order_by("kind", "label"))


PERSON_FIELDS = ("email", "first_name", "last_name", "birth_date")


def identity_keys(person: dict) -> set[tuple]:
    """Two records sharing a key are probably the same person: the same e-mail address, or the same name and
    birth date. `person` holds PERSON_FIELDS."""
    return {
        ("email", person["email"].strip().lower()),
        ("name", person["first_name"].strip().lower(), person["last_name"].strip().lower(), person["birth_date"]),
    }


def person_of(candidate: Candidate) -> dict:
    return {name: getattr(candidate, name) for name in PERSON_FIELDS}


# People per duplicate lookup: an import of 100,000 rows asks a few dozen index-backed queries, not one giant one.
DUPLICATE_CHUNK = 5000


def candidate_duplicates(people: Iterable[dict]) -> list[Candidate]:
    """Existing candidates that are probably one of `people` (see `identity_keys`), in a few queries per few
    thousand people however many an import brings. The ids come from the lower(email) and lower(last_name),
    birth_date indexes; the exact match is made on the identity keys."""
    people = list(people)
    wanted = set().union(*(identity_keys(person) for person in people))
    found = {}
    for start in range(0, len(people), DUPLICATE_CHUNK):
        chunk = people[start : start + DUPLICATE_CHUNK]
        emails = {person["email"].strip().lower() for person in chunk}
        ids = set(
            Candidate.objects.alias(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .order_by()
            .values_list("pk", flat=True)
        )
        ids.update(_ids_by_name_and_birth_date({(p["last_name"].strip().lower(), p["birth_date"]) for p in chunk}))
        for candidate in Candidate.objects.filter(pk__in=ids).select_related("instroomspoor"):
            if identity_keys(person_of(candidate)) & wanted:
                found[candidate.pk] = candidate
    return [found[pk] for pk in sorted(found)]


def _ids_by_name_and_birth_date(pairs: set[tuple[str, datetime.date]]) -> list[int]:
    """Ids of the candidates with one of the (lower(last_name), birth_date) `pairs` (elsewhere than on
    PostgreSQL a superset: every name with every birth date)."""
    names, dates = zip(*pairs, strict=True)
    if connection.vendor != "postgresql":
        candidates = Candidate.objects.alias(last_name_lower=Lower("last_name"))
        return list(
            candidates.filter(last_name_lower__in=set(names), birth_date__in=set(dates)).values_list("pk", flat=True)
        )
    # One lookup in candidate_name_birth_idx per pair (OFFSET 0 keeps the planner from flattening the LATERAL
    # into a hash join over the whole table). `IN` lists on both columns made PostgreSQL read the whole table
    # too: an index scan would probe every combination of the names and the dates (0.7 s per 5,000 people).
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT c.id FROM unnest(%s::text[], %s::date[]) AS p(last_name, birth_date),
            LATERAL (
                SELECT id FROM {Candidate._meta.db_table}
                WHERE lower(last_name) = p.last_name AND birth_date = p.birth_date OFFSET 0
            ) AS c
            """,
            [list(names), list(dates)],
        )
        return [pk for (pk,) in cursor.fetchall()]


def phase_tally() -> list[PhaseTally]:
    """The tally per track, phase and status, for the overview: the branches (also a dimension of the tally)
    added up."""
    totals: dict[tuple, PhaseTally] = {}
    for row in PhaseTally.objects.select_related("instroomspoor").order_by("instroomspoor__name", "phase", "status"):
        key = (row.instroomspoor_id, row.phase, row.status)
        if key in totals:
            totals[key].count += row.count
        else:
            totals[key] = row
    return list(totals.values())


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
