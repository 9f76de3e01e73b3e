"""The only functions that change a candidate's phase or status.

Every change runs in one transaction: lock the candidate row, check the caller saw the current version, ask
`pipeline` whether the transition is allowed, append the StatusEvent, update the projection on the candidate,
and schedule the follow-up work for after the commit.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from defensie.db import prepared_cursor

from . import pipeline, selectors
from .audit import audit_entry, audit_record, audit_values
from .bulk_write import insert_per_row, insert_streamed, prepared_values
from .choices import TERMINAL_STATUSES, Destination, Phase, Status, TransitionKind
from .models import (
    ApiToken,
    AuditAction,
    AuditEntry,
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
from .models.tokens import DISPLAY_PREFIX_LENGTH
from .pipeline import Proposal, StaleVersionError, State, TransitionError
from .taskqueue import enqueue_coalesced_on_commit

# Fields a user may change with `candidate_update`; everything about the phase goes through transitions.
EDITABLE_FIELDS = frozenset(
    {
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
        "recruiter",
        # A lichting has a capacity: every path that sets it checks it (see `_check_placement`).
        "lichting",
    }
)


# How often at most a track's journalled tally changes are folded into its tally.
TALLY_FOLD_SECONDS = 2


def _record_tally(changes: Counter) -> None:
    """Journal what a change does to the phase tally, keyed (track, branch, phase, status), in the caller's
    transaction, and fold it into the tally after the commit. Readers add the journal rows not folded yet, so the
    fold only keeps the journal short: one per track every few seconds is enough (the nightly recount takes
    along what a quiet track leaves behind)."""
    PhaseTallyChange.objects.bulk_create(
        PhaseTallyChange(
            instroomspoor_id=track_id, krijgsmachtdeel_id=branch_id, phase=phase, status=status, delta=delta
        )
        for (track_id, branch_id, phase, status), delta in sorted(changes.items())
        if delta
    )
    _fold_tally_after_commit(changes)


def _fold_tally_after_commit(changes: Counter) -> None:
    from .tasks import recount_phase_tally

    for instroomspoor_id in sorted({track_id for track_id, *_rest in changes}):
        enqueue_coalesced_on_commit(recount_phase_tally, instroomspoor_id, seconds=TALLY_FOLD_SECONDS)


def candidate_register(
    *, actor: AbstractBaseUser | None, instroomspoor: Instroomspoor, applied_on: datetime.date, **fields: Any
) -> Candidate:
    """Create a candidate in werving/aanmelding together with its first status event."""
    candidate = _registration(instroomspoor=instroomspoor, applied_on=applied_on, **fields)
    with transaction.atomic():
        if candidate.lichting_id:
            candidate.lichting, overbooking = _check_placement(candidate, candidate.lichting_id, actor=actor)
        candidate.save()
        insert_per_row(StatusEvent, Candidate, [candidate.pk], _registration_event_values(actor))
        if candidate.lichting_id:
            _record_placement(candidate, actor=actor, override_reason=overbooking)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=candidate)
        _record_tally(Counter({(instroomspoor.pk, candidate.krijgsmachtdeel_id, candidate.phase, candidate.status): 1}))
    return candidate


class RegistrationErrors(Exception):
    """Some registrations of a bulk registration were refused: `errors` maps their index to the messages per
    field (NON_FIELD_ERRORS for messages about the registration as a whole)."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(f"{len(errors)} registrations refused")
        self.errors = errors


def candidates_register(*, actor: AbstractBaseUser | None, registrations: list[dict[str, Any]]) -> list[Candidate]:
    """Register many candidates at once (an import), each checked exactly as `candidate_register` checks one,
    written in chunks as they are checked. All or nothing: if any registration is refused, RegistrationErrors
    says which and why, and nothing is written."""
    if any(registration.get("lichting") for registration in registrations):
        # A placement checks the lichting's capacity against the placements before it, one at a time.
        raise TypeError("Register candidates with a lichting one by one, with candidate_register.")
    errors = _missing_relations(registrations)
    today = timezone.localdate()
    # Kept by field name, which is the attribute's for all but the relations (checked in _missing_relations).
    valid_values: dict[str, dict] = {name: {} for name in _FIELD_NAMES - set(RELATIONS)}
    candidates = []

    def checked() -> Iterator[Candidate]:
        for index, registration in enumerate(registrations):
            try:
                candidate = _registration(**registration, today=today, valid_values=valid_values)
            except (TransitionError, ValidationError) as error:
                # Next to what _missing_relations found for this registration, if anything.
                errors[index] = {**errors.get(index, {}), **_messages_by_field(error)}
            else:
                candidates.append(candidate)
                yield candidate

    def first_events_and_audit(ids: list[int]) -> None:
        insert_per_row(StatusEvent, Candidate, ids, _registration_event_values(actor))
        insert_per_row(
            AuditEntry, Candidate, ids, audit_values(actor=actor, action=AuditAction.CREATE, model=Candidate)
        )

    with transaction.atomic():
        if errors:
            # A row referring to a missing one cannot be written: check the rest without writing.
            for _candidate in checked():
                pass
        else:
            # The rows checked before a refused one are written too, and rolled back with the rest.
            insert_streamed(Candidate, checked(), count=len(registrations), then=first_events_and_audit)
        if errors:
            raise RegistrationErrors(errors)
        _record_tally(Counter((c.instroomspoor_id, c.krijgsmachtdeel_id, c.phase, c.status) for c in candidates))
    return candidates


# Checked per registration by a query each; a bulk registration checks them for all candidates at once.
RELATIONS = ("instroomspoor", "krijgsmachtdeel", "recruiter", "lichting")
_FIELD_NAMES = frozenset(field.name for field in Candidate._meta.fields)


def _missing_relations(registrations: list[dict[str, Any]]) -> dict[int, dict[str, list[str]]]:
    """What `full_clean` says of a related row that does not exist, for all `registrations` in a query per
    relation instead of one per registration and relation."""
    errors: dict[int, dict[str, list[str]]] = {}
    for name in RELATIONS:
        field = Candidate._meta.get_field(name)
        ids = {_pk(registration.get(name)) for registration in registrations} - {None}
        existing = set(field.related_model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for index, registration in enumerate(registrations):
            value = _pk(registration.get(name))
            if value is not None and value not in existing:
                errors.setdefault(index, {}).setdefault(name, []).append(
                    field.error_messages["invalid"]
                    % {"model": field.related_model._meta.verbose_name, "field": "id", "value": value}
                )
    return errors


def _messages_by_field(error: TransitionError | ValidationError) -> dict[str, list[str]]:
    if isinstance(error, TransitionError):
        return {NON_FIELD_ERRORS: [error.message]}
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


def _pk(related: Model | None) -> Any:
    return related.pk if related is not None else None


def _registration(
    *,
    instroomspoor: Instroomspoor,
    applied_on: datetime.date,
    today: datetime.date | None = None,
    valid_values: dict[str, dict] | None = None,
    **fields: Any,
) -> Candidate:
    """An unsaved candidate in its first state, checked by the pipeline, the model and the track's rules. A bulk
    registration passes `today` once for all, and `valid_values`: the values per field that passed their checks
    in its earlier registrations (see `_full_clean`); it checks that the related rows exist itself."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not candidate fields: {sorted(unknown)}")
    proposal = Proposal(kind=TransitionKind.AANMELDING, occurred_at=applied_on)
    pipeline.check_date(applied_on, previous=None, today=today or timezone.localdate(), field="applied_on")
    state = pipeline.resolve(None, proposal, instroomspoor.code)
    candidate = Candidate(
        instroomspoor=instroomspoor,
        applied_on=applied_on,
        phase=state.phase,
        step=state.step,
        status=state.status,
        phase_since=applied_on,
        step_since=applied_on,
        **fields,
    )
    excluded = [
        "phase",
        "step",
        "status",
        "phase_since",
        "step_since",
        "version",
        *(RELATIONS if valid_values is not None else ()),
    ]
    if valid_values is None:
        candidate.full_clean(exclude=excluded)
    else:
        _full_clean(candidate, excluded, valid_values)
    pipeline.run_track_checks(instroomspoor.code, candidate, proposal, state)
    return candidate


# Values per field that a bulk registration keeps as checked: enough for every value that repeats (codes, dates,
# first names); a field whose values do not (e-mail addresses) stops being kept at this many.
KEPT_VALUES_PER_FIELD = 10_000


def _full_clean(candidate: Candidate, exclude: list[str], valid_values: dict[str, dict]) -> None:
    """`candidate.full_clean(exclude)` in a bulk registration, without checking again a field whose value passed
    its checks in an earlier registration: `valid_values` keeps, per field, such values with what they cleaned
    to. A field's checks depend on its value only, and an import's columns repeat their values (codes, dates,
    first names), whose checks were a sixth of its time. `clean()`, which compares fields, runs for every
    candidate. Only while a new candidate's checks are per field: leaving a field out of `full_clean` also leaves
    out its uniqueness and its constraints."""
    if not _new_candidate_checks_are_per_field():
        candidate.full_clean(exclude=exclude)
        return
    # The values still to check, by field name, as given (before full_clean cleans them).
    to_check = {}
    for name, kept in valid_values.items():
        if name in exclude:
            continue
        value = getattr(candidate, name)
        if value in kept:
            setattr(candidate, name, kept[value])
        else:
            to_check[name] = value
    failed = set()
    try:
        candidate.full_clean(exclude=_FIELD_NAMES - to_check.keys(), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        failed = set(error.message_dict)
        raise
    finally:
        for name, value in to_check.items():
            kept = valid_values[name]
            if name not in failed and len(kept) < KEPT_VALUES_PER_FIELD:
                kept[value] = getattr(candidate, name)


@functools.cache
def _new_candidate_checks_are_per_field() -> bool:
    """Whether a new candidate's checks are its fields' and `clean()`: no unique field but the id (which a new
    candidate does not have yet), no fields unique together and no constraints."""
    meta = Candidate._meta
    return not (
        meta.unique_together
        or meta.constraints
        or any(
            (field.unique and not field.primary_key)
            or field.unique_for_date
            or field.unique_for_month
            or field.unique_for_year
            for field in meta.fields
        )
    )


def candidate_transition(
    *,
    candidate_id: int,
    expected_version: int,
    kind: TransitionKind | str,
    actor: AbstractBaseUser | None,
    occurred_at: datetime.date,
    to_step: str | None = None,
    verdict: str = "",
    reason: Reason | str | None = None,
    note: str = "",
    among: QuerySet[Candidate] | None = None,
) -> StatusEvent:
    """Move a candidate through the chain. Raises TransitionError (StaleVersionError on a stale version);
    on any error nothing is written. `reason` is a Reason or its code, as the API's callers know it: a code is
    looked up by the statement that locks the candidate. `among` is the caller's scope
    (`selectors.candidates_visible_to`): a candidate outside it raises Candidate.DoesNotExist, checked by that
    statement too."""
    try:
        kind = TransitionKind(kind)
    except ValueError:
        raise TransitionError("Onbekende overgang.", code="invalid_kind", field="kind") from None
    with transaction.atomic():
        candidate, reason = _locked_for_transition(candidate_id, expected_version, among=among, reason=reason)
        proposal = Proposal(
            kind=kind,
            occurred_at=occurred_at,
            to_step=to_step or None,
            verdict=verdict or "",
            reason=reason,
            note=note or "",
        )
        pipeline.check_date(occurred_at, previous=candidate.last_occurred_at, today=timezone.localdate())
        before = State(candidate.phase, candidate.step, candidate.status)
        after = pipeline.resolve(before, proposal, candidate.instroomspoor.code)
        pipeline.run_track_checks(candidate.instroomspoor.code, candidate, proposal, after)

        event = _event(candidate, before, after, proposal, actor=actor, sequence=candidate.last_sequence + 1)
        if after != before:
            candidate.step_since = occurred_at
        if after.phase != before.phase:
            candidate.phase_since = occurred_at
        candidate.phase, candidate.step, candidate.status = after.phase, after.step, after.status
        candidate.version += 1
        tally = Counter()
        if (after.phase, after.status) != (before.phase, before.status):
            key = (candidate.instroomspoor_id, candidate.krijgsmachtdeel_id)
            tally = Counter({(*key, before.phase, before.status): -1, (*key, after.phase, after.status): 1})
        audit = audit_entry(actor=actor, action=AuditAction.TRANSITION, obj=candidate, detail={"kind": kind.value})
        _save_transition(candidate, event, audit, tally)
    return event


# What a transition changes on the candidate.
TRANSITION_FIELDS = ["phase", "step", "status", "phase_since", "step_since", "version", "updated_at"]


def _save_transition(candidate: Candidate, event: StatusEvent, audit: AuditEntry, tally: Counter) -> None:
    """Append the event, update the candidate, append the audit row (which names the event) and journal the
    tally change. On PostgreSQL in one statement, written out once: the transition is the busiest write of the
    API, and its four statements through the ORM cost the application more than the database needed for them."""
    if connection.vendor != "postgresql":
        event.save()
        candidate.save(update_fields=TRANSITION_FIELDS)
        audit.detail["event"] = event.pk
        audit.save()
        _record_tally(tally)
        return
    sql, event_fields, candidate_fields, audit_fields = _save_transition_sql()
    journal = [(*key, delta) for key, delta in sorted(tally.items()) if delta]
    with prepared_cursor() as cursor:
        cursor.execute(
            sql,
            [
                *prepared_values(event, event_fields, connection, add=True),
                *prepared_values(candidate, candidate_fields, connection, add=False),
                candidate.pk,
                *prepared_values(audit, audit_fields, connection, add=True),
                *([list(column) for column in zip(*journal, strict=True)] or [[]] * 5),
            ],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    _fold_tally_after_commit(tally)


@functools.cache
def _save_transition_sql() -> tuple[str, list, list, list]:
    def columns(fields):
        return ", ".join(connection.ops.quote_name(field.column) for field in fields)

    def placeholders(fields):
        return ", ".join(["%s"] * len(fields))

    event_fields = [field for field in StatusEvent._meta.concrete_fields if not field.primary_key]
    candidate_fields = [Candidate._meta.get_field(name) for name in TRANSITION_FIELDS]
    # The detail goes last: the statement adds the event's id to it.
    audit_fields = [field for field in AuditEntry._meta.concrete_fields if field.name not in {"id", "detail"}]
    audit_fields.append(AuditEntry._meta.get_field("detail"))
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in candidate_fields)
    journal = PhaseTallyChange._meta
    sql = f"""
        WITH event AS (
            INSERT INTO {StatusEvent._meta.db_table} ({columns(event_fields)})
            VALUES ({placeholders(event_fields)}) RETURNING id
        ), moved AS (
            UPDATE {Candidate._meta.db_table} SET {assignments} WHERE id = %s
        ), audit AS (
            INSERT INTO {AuditEntry._meta.db_table} ({columns(audit_fields)})
            VALUES ({placeholders(audit_fields[:-1])}, %s::jsonb || jsonb_build_object('event', (SELECT id FROM event)))
        ), journal AS (
            INSERT INTO {journal.db_table} (instroomspoor_id, krijgsmachtdeel_id, phase, status, delta)
            SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::integer[])
        )
        SELECT id FROM event
    """
    return sql, event_fields, candidate_fields, audit_fields


def candidate_update(
    *, candidate_id: int, expected_version: int, actor: AbstractBaseUser | None, **changes: Any
) -> Candidate:
    """Change a candidate's personal or administrative data (never its phase)."""
    forbidden = set(changes) - EDITABLE_FIELDS
    if forbidden:
        raise TransitionError(
            "Deze velden kunnen hier niet worden gewijzigd: %s." % ", ".join(sorted(forbidden)),
            code="not_editable",
        )
    with transaction.atomic():
        candidate = _locked_candidate(candidate_id, expected_version)
        moves = "lichting" in changes and getattr(changes["lichting"], "pk", None) != candidate.lichting_id
        branch_before = candidate.krijgsmachtdeel_id
        for name, value in changes.items():
            setattr(candidate, name, value)
        candidate.full_clean(exclude=["phase", "step", "status", "phase_since", "step_since", "version"])
        if moves:
            candidate.lichting, overbooking = _check_placement(candidate, candidate.lichting_id, actor=actor)
        candidate.version += 1
        candidate.save()
        if moves:
            _record_placement(candidate, actor=actor, override_reason=overbooking)
        audit_record(actor=actor, action=AuditAction.CHANGE, obj=candidate, detail={"fields": sorted(changes)})
        if candidate.krijgsmachtdeel_id != branch_before:
            # The branch is a dimension of the phase tally: the candidate moves from one count to another.
            state = (candidate.phase, candidate.status)
            _record_tally(
                Counter(
                    {
                        (candidate.instroomspoor_id, branch_before, *state): -1,
                        (candidate.instroomspoor_id, candidate.krijgsmachtdeel_id, *state): 1,
                    }
                )
            )
    return candidate


def candidate_note_add(*, candidate_id: int, author: AbstractBaseUser, text: str) -> CandidateNote:
    """Add a note to a candidate. Notes only accumulate, so no version check is needed: nothing is overwritten."""
    note = CandidateNote(candidate_id=candidate_id, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note


def _event(
    candidate: Candidate,
    before: State,
    after: State,
    proposal: Proposal,
    *,
    actor: AbstractBaseUser | None,
    sequence: int,
) -> StatusEvent:
    return StatusEvent(
        candidate=candidate,
        sequence=sequence,
        kind=proposal.kind,
        from_phase=before.phase,
        from_step=before.step,
        from_status=before.status,
        to_phase=after.phase,
        to_step=after.step,
        to_status=after.status,
        verdict=proposal.verdict,
        reason=proposal.reason,
        note=proposal.note,
        actor=actor,
        occurred_at=proposal.occurred_at,
        recorded_at=timezone.now(),
    )


def _registration_event_values(actor: AbstractBaseUser | None) -> dict[str, Any]:
    """The first event of a registered candidate (one or many at once, `bulk_write.insert_per_row`), written from
    the candidate's row: its first state, entered on the day of application."""
    return {
        "candidate_id": F("pk"),
        "sequence": 1,
        "kind": TransitionKind.AANMELDING,
        **dict.fromkeys(["from_phase", "from_step", "from_status", "verdict", "note"], ""),
        "to_phase": F("phase"),
        "to_step": F("step"),
        "to_status": F("status"),
        "reason_id": None,
        "actor_id": actor.pk if actor else None,
        "occurred_at": F("applied_on"),
        "recorded_at": timezone.now(),
    }


def phase_tally_fold(*, instroomspoor_id: int) -> None:
    """Add one track's journalled tally changes to its tally and remove them, in one transaction: a reader sees
    them in the journal or in the tally, never in both or neither."""
    journal = PhaseTallyChange._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Exactly the rows this fold removes; rows committed meanwhile stay for the next fold, and a fold
            # running at the same time waits for these rows and then finds them gone.
            cursor.execute(
                f"DELETE FROM {journal} WHERE instroomspoor_id = %s RETURNING krijgsmachtdeel_id, phase, status, delta",
                [int(instroomspoor_id)],
            )
            changes = Counter()
            for branch_id, phase, status, delta in cursor.fetchall():
                changes[branch_id, phase, status] += delta
        now = timezone.now()
        for (branch_id, phase, status), delta in sorted(changes.items()):
            key = {
                "instroomspoor_id": instroomspoor_id,
                "krijgsmachtdeel_id": branch_id,
                "phase": phase,
                "status": status,
            }
            if not PhaseTally.objects.filter(**key).update(count=F("count") + delta, computed_at=now):
                PhaseTally.objects.create(**key, count=delta, computed_at=now)


def phase_tally_recount(*, instroomspoor_id: int) -> None:
    """Replace one track's phase tally with a fresh count and drop the journal rows the count includes, in one
    transaction (a re-run gives the same rows). The nightly repair of the tally; the tally does not drift, but
    this keeps it so even if a change ever bypassed the journal."""
    rows = (
        Candidate.objects.filter(instroomspoor_id=instroomspoor_id)
        .values("krijgsmachtdeel_id", "phase", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    now = timezone.now()
    # The count and the journal rows it replaces must come from one snapshot, or a change committed between the
    # two would be counted twice or not at all. Nested in a caller's transaction (tests, the demo seed) nothing
    # runs concurrently. A fold deleting the same journal rows at the same time makes this fail; the task retries.
    repeatable_read = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if repeatable_read:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        PhaseTallyChange.objects.filter(instroomspoor_id=instroomspoor_id).delete()
        PhaseTally.objects.filter(instroomspoor_id=instroomspoor_id).delete()
        PhaseTally.objects.bulk_create(
            PhaseTally(
                instroomspoor_id=instroomspoor_id,
                krijgsmachtdeel_id=r["krijgsmachtdeel_id"],
                phase=r["phase"],
                status=r["status"],
                count=r["n"],
                computed_at=now,
            )
            for r in rows
        )


def _locked_candidate(
    candidate_id: int, expected_version: int, *, among: QuerySet[Candidate] | None = None, **annotations
) -> Candidate:
    # The row lock serialises two recruiters (or API clients) changing the same candidate at once: the second
    # waits, then sees the bumped version and gets a conflict instead of a second event. Only the candidate's
    # row (`of`): a plain FOR UPDATE over the join would lock the track's row too, and make every change in a
    # track wait for the one before it. The branch comes along for the API's answer.
    candidate = (
        (Candidate.objects.all() if among is None else among)
        .select_for_update(of=("self",))
        .select_related("instroomspoor", "krijgsmachtdeel")
        .annotate(**annotations)
        .get(pk=candidate_id)
    )
    _check_version(candidate, expected_version)
    return candidate


def _check_version(candidate: Candidate, expected_version: int) -> None:
    if candidate.version != expected_version:
        raise StaleVersionError(candidate.version)


def _locked_for_transition(
    candidate_id: int, expected_version: int, *, among: QuerySet[Candidate] | None, reason: Reason | str | None
) -> tuple[Candidate, Reason | None]:
    """`_locked_candidate` with its track and branch, the sequence and date of its last event and the reason
    named by a code, read with the lock in the same statement: the new event follows the last one, not before its
    date. On PostgreSQL the statement is written out once instead of built by the ORM per transition, which cost
    three times what the database needed to run it; `among` is built only when it narrows the scope (a
    recruiter's)."""
    code = reason if isinstance(reason, str) else None
    if connection.vendor != "postgresql":
        last = StatusEvent.objects.filter(candidate=OuterRef("pk")).order_by("-sequence")
        candidate = _locked_candidate(
            candidate_id,
            expected_version,
            among=among,
            last_sequence=Subquery(last.values("sequence")[:1]),
            last_occurred_at=Subquery(last.values("occurred_at")[:1]),
        )
        return candidate, _reason_of(reason, Reason.objects.filter(code=code).first() if code else None)
    scope, params = "", [code, candidate_id]
    if among is not None and among.query.where:
        scope, scope_params = among.values("pk").query.sql_with_params()
        scope = f"AND c.id IN ({scope})"
        params.extend(scope_params)
    with prepared_cursor() as cursor:
        cursor.execute(_lock_for_transition_sql().format(scope=scope), params)
        row = cursor.fetchone()
    if row is None:
        raise Candidate.DoesNotExist("Candidate matching query does not exist.")
    values = iter(row)
    candidate, track, branch, named = (
        model.from_db(connection.alias, None, [next(values) for _field in model._meta.concrete_fields])
        for model in (Candidate, Instroomspoor, Krijgsmachtdeel, Reason)
    )
    Candidate.instroomspoor.field.set_cached_value(candidate, track)
    Candidate.krijgsmachtdeel.field.set_cached_value(candidate, branch)
    candidate.last_sequence, candidate.last_occurred_at = values
    _check_version(candidate, expected_version)
    return candidate, _reason_of(reason, named if named.pk is not None else None)


def _reason_of(reason: Reason | str | None, found: Reason | None) -> Reason | None:
    """The caller's reason: a Reason or none as given, a code as the row `found` for it."""
    if not isinstance(reason, str):
        return reason
    if found is None:
        raise TransitionError(
            _("Onbekende reden %(code)s: kies een code uit de lijst van redenen.") % {"code": reason},
            code="does_not_exist",
            field="reason",
        )
    return found


@functools.cache
def _lock_for_transition_sql() -> str:
    def columns(alias, model):
        return ", ".join(f"{alias}.{connection.ops.quote_name(field.column)}" for field in model._meta.concrete_fields)

    # Only the candidate's row is locked (`OF c`), as in `_locked_candidate`.
    return f"""
        SELECT {columns("c", Candidate)}, {columns("t", Instroomspoor)}, {columns("b", Krijgsmachtdeel)},
            {columns("r", Reason)}, last.sequence, last.occurred_at
        FROM {Candidate._meta.db_table} c
        JOIN {Instroomspoor._meta.db_table} t ON t.id = c.instroomspoor_id
        JOIN {Krijgsmachtdeel._meta.db_table} b ON b.id = c.krijgsmachtdeel_id
        LEFT JOIN {Reason._meta.db_table} r ON r.code = %s
        CROSS JOIN LATERAL (
            SELECT sequence, occurred_at FROM {StatusEvent._meta.db_table}
            WHERE candidate_id = c.id ORDER BY sequence DESC LIMIT 1
        ) last
        WHERE c.id = %s {{scope}} FOR UPDATE OF c
    """


def candidate_place_in_lichting(
    *,
    candidate_id: int,
    expected_version: int,
    lichting_id: int | None,
    actor: AbstractBaseUser | None,
    override_reason: str = "",
) -> Candidate:
    """Place a candidate in a lichting of its track, or take it out of one (`lichting_id=None`). A full lichting
    refuses the placement unless a manager overrides it with a reason; every placement is recorded."""
    with transaction.atomic():
        candidate = _locked_candidate(candidate_id, expected_version)
        if lichting_id == candidate.lichting_id:
            return candidate
        candidate.lichting, overbooking = _check_placement(
            candidate, lichting_id, actor=actor, override_reason=(override_reason or "").strip(), may_override=True
        )
        candidate.version += 1
        candidate.save(update_fields=["lichting", "version", "updated_at"])
        _record_placement(candidate, actor=actor, override_reason=overbooking)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=candidate,
            detail={"fields": ["lichting"], "lichting": lichting_id, "over_capacity": bool(overbooking)},
        )
    return candidate


def _check_placement(
    candidate: Candidate,
    lichting_id: int | None,
    *,
    actor: AbstractBaseUser | None,
    override_reason: str = "",
    may_override: bool = False,
) -> tuple[Lichting | None, str]:
    """The lichting a (locked or new) candidate may be placed in, and the overbooking reason to record with it;
    raises TransitionError when the placement is not allowed. Only the placement page (`may_override`) lets a
    manager fill a lichting beyond its capacity."""
    if lichting_id is None:
        return None, ""
    if candidate.status in TERMINAL_STATUSES or candidate.phase == Phase.AANGESTELD:
        raise TransitionError(
            _("Deze kandidaat is %(status)s en kan niet meer in een lichting worden geplaatst.")
            % {"status": Status(candidate.status).label.lower()},
            code="not_placeable",
            field="lichting",
        )
    # Locking the lichting serialises placements in it: two recruiters taking its last place at the same moment
    # would otherwise both count one free place.
    lichting = Lichting.objects.select_for_update().filter(pk=lichting_id).first()
    if lichting is None or lichting.instroomspoor_id != candidate.instroomspoor_id:
        raise TransitionError(
            _("Kies een lichting van het instroomspoor %(track)s.") % {"track": candidate.instroomspoor},
            code="lichting_other_track",
            field="lichting",
        )
    filled = selectors.lichting_filled(lichting)
    if filled < lichting.capacity:
        return lichting, ""
    full = _("Lichting %(name)s is vol: %(filled)d van %(capacity)d plaatsen zijn bezet.") % {
        "name": lichting.name,
        "filled": filled,
        "capacity": lichting.capacity,
    }
    if not may_override:
        raise TransitionError(
            full
            + " "
            + _("Boven de capaciteit plaatst alleen een manager, met een reden, op de pagina In lichting plaatsen."),
            code="lichting_full",
            field="lichting",
        )
    if not selectors.user_may_overbook(actor):
        raise TransitionError(
            full + " " + _("Alleen een manager kan boven de capaciteit plaatsen."),
            code="lichting_full",
            field="lichting",
        )
    if not override_reason:
        raise TransitionError(
            full + " " + _("Geef een reden om toch boven de capaciteit te plaatsen."),
            code="override_reason_required",
            field="override_reason",
        )
    return lichting, override_reason


def _record_placement(candidate: Candidate, *, actor: AbstractBaseUser | None, override_reason: str) -> None:
    LichtingPlacement.objects.create(
        candidate=candidate, lichting=candidate.lichting, override_reason=override_reason, actor=actor
    )


# Reference data (see reference_data.REASONS): why someone who completed a track and leaves Defensie goes.
END_OF_SERVICE_REASON = "uts-einde-contract"


def doorstroom_record(
    *,
    candidate_id: int,
    expected_version: int,
    destination: Destination | str,
    decided_on: datetime.date,
    track_ended_on: datetime.date | None,
    actor: AbstractBaseUser | None,
) -> Doorstroom:
    """Record where a participant went after completing a track (Dienjaar, NWT, Defensity College; the track
    app passes the date its track ended): the data the retention reports read. Someone still in service who
    leaves Defensie also gets the uitstroom transition on the same date, in the same transaction, so that the
    chain and the outcome never disagree."""
    try:
        destination = Destination(destination)
    except ValueError:
        raise TransitionError(
            _("Kies een doorstroom uit de lijst."), code="invalid_destination", field="destination"
        ) from None
    with transaction.atomic():
        candidate = _locked_candidate(candidate_id, expected_version)
        if track_ended_on is None:
            raise TransitionError(
                _("Een doorstroom volgt op de afronding: leg eerst vast wanneer het traject is afgerond."),
                code="track_not_completed",
            )
        if decided_on > timezone.localdate():
            raise TransitionError(
                _("De datum van de doorstroom mag niet in de toekomst liggen."),
                code="date_in_future",
                field="decided_on",
            )
        if decided_on < track_ended_on:
            raise TransitionError(
                _("De doorstroom kan niet vóór de afronding van het traject (%(date)s) liggen.")
                % {"date": track_ended_on.strftime("%d-%m-%Y")},
                code="date_before_completion",
                field="decided_on",
            )
        leaves = destination == Destination.VERTROKKEN
        if leaves and candidate.status == Status.IN_DIENST:
            candidate_transition(
                candidate_id=candidate.pk,
                expected_version=expected_version,
                kind=TransitionKind.UITSTROOM,
                actor=actor,
                occurred_at=decided_on,
                reason=Reason.objects.get(code=END_OF_SERVICE_REASON),
            )
        elif leaves and candidate.status == Status.LOPEND:
            raise TransitionError(
                _("Deze kandidaat is nog in behandeling: leg eerst vast hoe het traject eindigde."),
                code="still_in_process",
                field="destination",
            )
        elif not leaves and candidate.status != Status.IN_DIENST:
            raise TransitionError(
                _("Een doorstroom binnen Defensie kan alleen voor wie in dienst is; deze kandidaat is %(status)s.")
                % {"status": Status(candidate.status).label.lower()},
                code="not_in_service",
                field="destination",
            )
        doorstroom, created = Doorstroom.objects.update_or_create(
            candidate=candidate,
            defaults={"destination": destination, "decided_on": decided_on, "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.CHANGE,
            obj=doorstroom,
            detail={"candidate": candidate.pk, "fields": ["decided_on", "destination"]},
        )
    return doorstroom


# A busy system calls the API many times a minute; noting each call would write a row per request.
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_create(
    *,
    name: str,
    owner: AbstractBaseUser,
    scopes: Iterable[str],
    created_by: AbstractBaseUser | None,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key: the only moment the key exists outside the caller."""
    key = ApiToken.new_key()
    token = ApiToken(
        name=name,
        owner=owner,
        scopes=sorted(set(scopes)),
        key_prefix=key[:DISPLAY_PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        created_by=created_by,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token_id: int, actor: AbstractBaseUser | None) -> ApiToken:
    """Revoke a token for good; revoking it again keeps the first date and person."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_use(*, key: str) -> ApiToken | None:
    """The token with this key (usable or not, so the caller can say why it is refused), or None. Notes the
    use of a usable token, at most once per TOKEN_USE_RESOLUTION."""
    token = ApiToken.objects.select_related("owner").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or token.is_revoked or token.is_expired:
        return token
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
