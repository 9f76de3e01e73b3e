"""Demo data: a deterministic, realistic history of the intake chain (see `manage.py seed_demo`).

The history is simulated candidate by candidate with one seeded random generator: an application date drawn
from a growing monthly volume since 2023, a track, and then, step by step, a lead time in days and an outcome
(continue, rejected, withdrawn; dropped out in training). The rates and lead times below are calibrated so that
the tracks' relative sizes, the share of women (rising after the mid-2025 campaign) and the tracks' retention
resemble the figures in DOMAIN.md. Rows are written in bulk: COPY on PostgreSQL, bulk inserts on SQLite.

Track apps add their own demo data with `register_extension`: each extension runs after the candidates and
events are written, with the same seeded random generator, and must be deterministic for it too.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import multiprocessing
import random
import traceback
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from queue import Empty

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from .choices import ApplicationType, Gender, Phase, Source, Status, Step, TransitionKind, Verdict
from .models import Candidate, Instroomspoor, Krijgsmachtdeel, Lichting, Reason, StatusEvent
from .selectors import BEHEERDER_GROUP, MANAGER_GROUP, RECRUITER_GROUP

DemoExtension = Callable[..., None]  # called as fn(rng=random.Random, today=datetime.date)

_extensions: list[DemoExtension] = []


def register_extension(extension: DemoExtension) -> None:
    if extension not in _extensions:
        _extensions.append(extension)


DEMO_PASSWORD = "instroom-demo"
HISTORY_START = datetime.date(2023, 1, 1)
CAMPAIGN_FOR_WOMEN = datetime.date(2025, 7, 1)
UTC = datetime.UTC

# Relative application volume per track and year, calibrated so that the tracks' starts per year keep the published
# proportions (Dienjaar 521 in 2024 and 1,097 in 2025, Defensity College 407 and 201, NWT 120 in 2025 and ~1,000 in
# 2026); at about 200,000 candidates the numbers themselves match.
TRACK_WEIGHTS = {
    2023: {"beroeps": 56, "reservist": 29, "dienjaar": 5, "nwt": 0, "defensity": 3.5},
    2024: {"beroeps": 55, "reservist": 29, "dienjaar": 4, "nwt": 0, "defensity": 2},
    2025: {"beroeps": 54, "reservist": 30, "dienjaar": 11, "nwt": 1.85, "defensity": 0.3},
    2026: {"beroeps": 50, "reservist": 29, "dienjaar": 8, "nwt": 14, "defensity": 3},
}
BRANCH_WEIGHTS = {"KL": 40, "KM": 19, "KLU": 17, "KMAR": 14, "DEF": 10}
SOURCE_WEIGHTS = {
    Source.WEBSITE: 46,
    Source.CAMPAGNE: 20,
    Source.EVENEMENT: 8,
    Source.DOORVERWIJZING: 12,
    Source.SCHOOL: 8,
    Source.ENQUETE: 6,
}
AGE_RANGE = {"beroeps": (17, 30), "reservist": (18, 45), "dienjaar": (18, 27), "nwt": (18, 30), "defensity": (19, 26)}
LICHTING_LOCATIONS = ["Ermelo", "Havelte", "Den Helder", "Woensdrecht", "Oirschot", "Wezep", "Apeldoorn"]

# Per step: (min days, max days) spent in it, then the chances of moving on and of being rejected (the rest
# withdraws). A step's rejection uses that step's reason from the catalogue.
STEP_FLOW = {
    Step.AANMELDING: ((3, 21), 0.78, 0.07, "afw-niet-aan-eisen"),
    Step.ORIENTATIEGESPREK: ((7, 28), 0.80, 0.05, "afw-geen-passende-functie"),
    Step.PSYCHOLOGISCH_ONDERZOEK: ((14, 42), 0.78, 0.14, "afw-psychologisch"),
    Step.SPO: ((7, 21), 0.82, 0.11, "afw-psychologisch"),
    Step.SPORTTEST: ((7, 35), 0.82, 0.12, "afw-sporttest"),
    Step.MEDISCHE_KEURING: ((14, 56), 0.80, 0.14, "afw-medisch"),
    Step.VEILIGHEIDSONDERZOEK: ((21, 84), 0.93, 0.03, "afw-veiligheid"),
}
WITHDRAWAL_REASONS = [
    "trk-andere-baan",
    "trk-doorlooptijd",
    "trk-persoonlijk",
    "trk-onbereikbaar",
    "trk-beeld-defensie",
]
DROPOUT_REASONS = ["uit-blessure", "uit-motivatie", "uit-resultaten", "uit-medisch", "uit-persoonlijk"]
TRAINING_DAYS = (70, 140)
TRAINING_DROPOUT = 0.13
# After appointment: the tracks with a fixed length end after so many months, when this share leaves.
TRACK_END = {"dienjaar": (12, 0.40), "defensity": (24, 0.45)}
MONTHLY_RESIGNATION = 0.006

FIRST_NAMES = {
    Gender.MAN: [
        "Daan",
        "Sem",
        "Lucas",
        "Levi",
        "Finn",
        "Milan",
        "Bram",
        "Thijs",
        "Jesse",
        "Ruben",
        "Luuk",
        "Noah",
        "Tim",
        "Stijn",
        "Mohamed",
        "Sven",
        "Jayden",
        "Julian",
        "Gijs",
        "Max",
        "Niels",
        "Rick",
        "Mees",
        "Kevin",
    ],
    Gender.VROUW: [
        "Emma",
        "Julia",
        "Sophie",
        "Tess",
        "Anna",
        "Lotte",
        "Sara",
        "Fleur",
        "Noa",
        "Lisa",
        "Eva",
        "Iris",
        "Sanne",
        "Fenna",
        "Yara",
        "Nina",
        "Zoë",
        "Lieke",
        "Amira",
        "Roos",
        "Esmee",
        "Femke",
        "Maud",
        "Vera",
    ],
}
FIRST_NAMES[Gender.X] = FIRST_NAMES[Gender.MAN][:6] + FIRST_NAMES[Gender.VROUW][:6]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Boukhari",
    "Wijaya",
]


@dataclass
class _Context:
    rng: random.Random
    today: datetime.date
    tracks: dict[str, Instroomspoor]
    branches: dict[str, int]
    reasons: dict[str, int]
    recruiters: dict[str, list[int]]
    lichting_starts: dict[str, list[tuple[datetime.date, int]]]
    day_weights: list[float] = field(default_factory=list)
    days: list[datetime.date] = field(default_factory=list)


def seed(*, candidates: int, seed: int, today: datetime.date, stdout=None) -> dict[str, int]:
    """Write `candidates` simulated candidates with their event history; returns row counts."""
    rng = random.Random(seed)
    with transaction.atomic():
        users = _users()
        ctx = _context(rng, today, users)
        counts = _write(ctx, candidates, stdout)
        if connection.vendor == "postgresql":
            # The extensions below join the rows just written; with the statistics of the tables as they were
            # before (often: empty) the planner picks nested loops that take hours instead of a second.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Candidate._meta.db_table}, {StatusEvent._meta.db_table}")
        _fit_lichting_capacity()
        for extension in _extensions:
            extension(rng=rng, today=today)
    from .services import phase_tally_recount

    for track in ctx.tracks.values():
        phase_tally_recount(instroomspoor_id=track.pk)
    return counts


def demo_logins() -> list[tuple[str, str]]:
    return [("beheer", "beheerder"), ("manager", "manager")] + [
        (f"recruiter.{code}", f"recruiter {code}") for code in AGE_RANGE
    ]


def _users() -> dict[str, int]:
    User = get_user_model()
    template = User()
    template.set_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    ids = {}
    for username, role in demo_logins():
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "password": template.password,
                "is_staff": role == "beheerder",
                "is_superuser": role == "beheerder",
                "email": f"{username}@mindef.example",
            },
        )
        group = BEHEERDER_GROUP if role == "beheerder" else MANAGER_GROUP if role == "manager" else RECRUITER_GROUP
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        if username.startswith("recruiter."):
            Instroomspoor.objects.get(code=username.split(".", 1)[1]).recruiters.add(user)
        ids[username] = user.pk
    return ids


def _context(rng: random.Random, today: datetime.date, users: dict[str, int]) -> _Context:
    tracks = {t.code: t for t in Instroomspoor.objects.all()}
    ctx = _Context(
        rng=rng,
        today=today,
        tracks=tracks,
        branches=dict(Krijgsmachtdeel.objects.values_list("code", "pk")),
        reasons=dict(Reason.objects.values_list("code", "pk")),
        recruiters={code: [users[f"recruiter.{code}"]] for code in tracks},
        lichting_starts=_lichtingen(today, tracks),
    )
    # Applications grow about 20% a year and dip in summer and December.
    day = HISTORY_START
    while day <= today:
        seasonal = {7: 0.8, 8: 0.85, 12: 0.75}.get(day.month, 1.0)
        ctx.days.append(day)
        ctx.day_weights.append(1.2 ** ((day - HISTORY_START).days / 365) * seasonal)
        day += datetime.timedelta(days=1)
    ctx.day_weights = list(itertools.accumulate(ctx.day_weights))
    return ctx


def _lichtingen(today: datetime.date, tracks: dict[str, Instroomspoor]) -> dict[str, list[tuple[datetime.date, int]]]:
    """Cohort start dates: Dienjaar every two months since summer 2023, NWT four a year since 2025, Defensity
    College each semester. Existing demo lichtingen are reused, so a second seed run adds none."""
    schedule = {
        "dienjaar": [
            datetime.date(y, m, 1)
            for y in range(2023, today.year + 2)
            for m in (1, 3, 5, 7, 9, 11)
            if datetime.date(y, m, 1) >= datetime.date(2023, 7, 1)
        ],
        "nwt": [datetime.date(y, m, 1) for y in range(2025, today.year + 2) for m in (3, 6, 9, 11)],
        "defensity": [datetime.date(y, m, 1) for y in range(2023, today.year + 2) for m in (2, 9)],
    }
    length = {"dienjaar": 365, "nwt": 120, "defensity": 730}
    starts = {}
    for code, dates in schedule.items():
        rows = []
        for i, start in enumerate(dates):
            lichting, _ = Lichting.objects.get_or_create(
                instroomspoor=tracks[code],
                start_date=start,
                defaults={
                    "name": f"{tracks[code].name} {start:%Y-%m}",
                    "end_date": start + datetime.timedelta(days=length[code]),
                    "location": LICHTING_LOCATIONS[i % len(LICHTING_LOCATIONS)],
                    "capacity": 1,
                },
            )
            rows.append((start, lichting.pk))
        starts[code] = rows
    return starts


def _fit_lichting_capacity() -> None:
    # Capacity was not known before the simulation placed people; give each lichting some room above its filling.
    for lichting in Lichting.objects.all():
        filled = lichting.candidates.count()
        wanted = max(10, round(filled * 1.1) + 5)
        if lichting.capacity < wanted:
            lichting.capacity = wanted
            lichting.save(update_fields=["capacity"])


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _simulate(ctx: _Context, candidate_id: int) -> tuple[tuple, list[tuple]]:
    """One candidate row and its event rows, as tuples in the column order of `_CANDIDATE_COLUMNS` and
    `_EVENT_COLUMNS`."""
    rng = ctx.rng
    applied_on = ctx.days[bisect.bisect(ctx.day_weights, rng.random() * ctx.day_weights[-1])]
    track = _pick(rng, TRACK_WEIGHTS[min(applied_on.year, 2026)])
    woman_share = 0.24 if applied_on >= CAMPAIGN_FOR_WOMEN else 0.17
    roll = rng.random()
    gender = Gender.VROUW if roll < woman_share else Gender.X if roll < woman_share + 0.005 else Gender.MAN
    first_name = rng.choice(FIRST_NAMES[gender])
    last_name = rng.choice(LAST_NAMES)
    low, high = AGE_RANGE[track]
    birth_date = applied_on - datetime.timedelta(days=rng.randint(low * 365 + 5, high * 365 + 300))
    branch = ctx.branches["DEF" if track in ("nwt", "defensity") else _pick(rng, BRANCH_WEIGHTS)]
    application_types = (
        {ApplicationType.FUNCTIE: 45, ApplicationType.MZF: 25, ApplicationType.OPEN: 30}
        if applied_on.year >= 2026
        else {ApplicationType.FUNCTIE: 70, ApplicationType.OPEN: 30}
    )
    application_type = _pick(rng, application_types)
    recruiter = rng.choice(ctx.recruiters[track])
    email = f"{first_name}.{last_name}.{candidate_id}@example.nl".lower().replace(" ", "").replace("ë", "e")

    events: list[tuple] = []
    state = (Phase.WERVING, Step.AANMELDING, Status.LOPEND)
    date = applied_on
    state_since = phase_since = applied_on
    lichting_id = None

    def add(kind, new_state, when, verdict="", reason=None, actor=recruiter):
        nonlocal state, state_since, phase_since
        seq = len(events) + 1
        recorded = datetime.datetime.combine(
            when, datetime.time(8 + seq % 9, (candidate_id * 7 + seq) % 60), tzinfo=UTC
        )
        if new_state != state:
            state_since = when
        if new_state[0] != state[0]:
            phase_since = when
        events.append(
            (
                candidate_id,
                seq,
                kind,
                *(state if events else ("", "", "")),
                *new_state,
                verdict,
                ctx.reasons[reason] if reason else None,
                "",
                actor,
                when,
                recorded,
            )
        )
        state = new_state

    add(TransitionKind.AANMELDING, state, applied_on, actor=None)
    step = Step.AANMELDING
    while step in STEP_FLOW:
        (low_days, high_days), go_on, reject, reject_reason = STEP_FLOW[step]
        date += datetime.timedelta(days=rng.randint(low_days, high_days))
        is_exam = step not in (Step.AANMELDING, Step.ORIENTATIEGESPREK)
        if step == Step.MEDISCHE_KEURING and rng.random() < 0.08:
            if date > ctx.today:
                break
            add(TransitionKind.UITSLAG, state, date, verdict=Verdict.TIJDELIJK_ONGESCHIKT)
            date += datetime.timedelta(days=rng.randint(21, 70))
        if date > ctx.today:
            break
        roll = rng.random()
        if roll >= go_on:
            if roll < go_on + reject:
                add(
                    TransitionKind.AFWIJZING,
                    (*state[:2], Status.AFGEWEZEN),
                    date,
                    verdict=Verdict.ONGESCHIKT if is_exam else "",
                    reason=reject_reason,
                )
            else:
                add(
                    TransitionKind.TERUGTREKKING,
                    (*state[:2], Status.TERUGGETROKKEN),
                    date,
                    reason=rng.choice(WITHDRAWAL_REASONS),
                )
            break
        if is_exam and step in (Step.PSYCHOLOGISCH_ONDERZOEK, Step.MEDISCHE_KEURING) and rng.random() < 0.6:
            # The verdict often arrives before the candidate is booked for the next step.
            add(TransitionKind.UITSLAG, state, date, verdict=Verdict.GESCHIKT)
            date += datetime.timedelta(days=rng.randint(1, 10))
            if date > ctx.today:
                break
        if step == Step.ORIENTATIEGESPREK:
            spo_share = 0.45 if track in ("dienjaar", "nwt") else 0.15
            next_step = Step.SPO if rng.random() < spo_share else Step.PSYCHOLOGISCH_ONDERZOEK
        else:
            next_step = {
                Step.AANMELDING: Step.ORIENTATIEGESPREK,
                Step.PSYCHOLOGISCH_ONDERZOEK: Step.SPORTTEST,
                Step.SPO: Step.SPORTTEST,
                Step.SPORTTEST: Step.MEDISCHE_KEURING,
                Step.MEDISCHE_KEURING: Step.VEILIGHEIDSONDERZOEK,
                Step.VEILIGHEIDSONDERZOEK: Step.INITIELE_OPLEIDING,
            }[step]
        if next_step == Step.INITIELE_OPLEIDING and track in ctx.lichting_starts:
            # Tracks in lichtingen start training on the next cohort's start date.
            starts = ctx.lichting_starts[track]
            index = bisect.bisect_left(starts, (date + datetime.timedelta(days=7), 0))
            if index == len(starts) or starts[index][0] > ctx.today:
                break
            date, lichting_id = starts[index]
        add(
            TransitionKind.DOORZETTEN,
            (Phase(_phase_of(next_step)), next_step, Status.LOPEND),
            date,
            verdict=Verdict.GESCHIKT if is_exam else "",
        )
        step = next_step

    if step == Step.INITIELE_OPLEIDING:
        date += datetime.timedelta(days=rng.randint(*TRAINING_DAYS))
        if date <= ctx.today:
            roll = rng.random()
            if roll < TRAINING_DROPOUT:
                add(TransitionKind.UITVAL, (*state[:2], Status.UITGEVALLEN), date, reason=rng.choice(DROPOUT_REASONS))
            elif roll < TRAINING_DROPOUT + 0.03:
                add(TransitionKind.TERUGTREKKING, (*state[:2], Status.TERUGGETROKKEN), date, reason="trk-startdatum")
            else:
                add(TransitionKind.DOORZETTEN, (Phase.AANGESTELD, Step.AANSTELLING, Status.IN_DIENST), date)
                step = Step.AANSTELLING
                _simulate_service(ctx, track, date, add, state)

    candidate = (
        candidate_id,
        first_name,
        last_name,
        birth_date,
        email,
        f"06{rng.randint(10000000, 99999999)}",
        f"{rng.randint(1000, 9999)} {chr(65 + rng.randint(0, 25))}{chr(65 + rng.randint(0, 25))}",
        gender,
        ctx.tracks[track].pk,
        branch,
        application_type,
        "",
        _pick(rng, SOURCE_WEIGHTS),
        recruiter,
        lichting_id,
        applied_on,
        state[0],
        state[1],
        state[2],
        phase_since,
        state_since,
        len(events),
        datetime.datetime.combine(applied_on, datetime.time(9), tzinfo=UTC),
        events[-1][-1],
    )
    return candidate, events


def _simulate_service(ctx, track, appointed_on, add, state) -> None:
    """Outflow after appointment: the end of a fixed-length track, or an irregular resignation."""
    rng = ctx.rng
    if track in TRACK_END:
        months, leave_share = TRACK_END[track]
        end = appointed_on + datetime.timedelta(days=months * 30)
        if end <= ctx.today and rng.random() < leave_share:
            add(TransitionKind.UITSTROOM, (*state[:2], Status.UITGESTROOMD), end, reason="uts-einde-contract")
            return
    months_in_service = (ctx.today - appointed_on).days // 30
    for month in range(months_in_service):
        if rng.random() < MONTHLY_RESIGNATION:
            reason = "uts-eigen-verzoek" if rng.random() < 0.85 else "uts-medisch"
            add(
                TransitionKind.UITSTROOM,
                (*state[:2], Status.UITGESTROOMD),
                appointed_on + datetime.timedelta(days=30 * month + rng.randint(1, 29)),
                reason=reason,
            )
            return


def _phase_of(step: Step) -> Phase:
    from .pipeline import STEP_PHASE

    return STEP_PHASE[step]


_CANDIDATE_COLUMNS = [
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "postcode",
    "gender",
    "instroomspoor_id",
    "krijgsmachtdeel_id",
    "application_type",
    "function_title",
    "source",
    "recruiter_id",
    "lichting_id",
    "applied_on",
    "phase",
    "step",
    "status",
    "phase_since",
    "step_since",
    "version",
    "created_at",
    "updated_at",
]
_EVENT_COLUMNS = [
    "candidate_id",
    "sequence",
    "kind",
    "from_phase",
    "from_step",
    "from_status",
    "to_phase",
    "to_step",
    "to_status",
    "verdict",
    "reason_id",
    "note",
    "actor_id",
    "occurred_at",
    "recorded_at",
]
_CHUNK = 20_000
# From this many candidates on, the tables' indexes and foreign keys are rebuilt after the load, not kept up row by
# row (see `_bulk_load`); below it, rebuilding indexes over the existing rows would cost more than it saves.
BULK_LOAD_FROM = 100_000


def _batches(ctx: _Context, total: int, first_id: int) -> Iterator[tuple[list[tuple], list[tuple]]]:
    for start in range(0, total, _CHUNK):
        candidates, events = [], []
        for candidate_id in range(first_id + start, first_id + min(start + _CHUNK, total)):
            row, rows = _simulate(ctx, candidate_id)
            candidates.append(row)
            events.extend(rows)
        yield candidates, events


def _batches_from_second_process(ctx: _Context, total: int, first_id: int) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """The batches of `_batches`, simulated by a second process while this one writes the batch before. On two
    cores the simulation (plain Python, a third of a million-candidate seed) and the writing (COPY) then take
    the time of the longer of them, not of both. Afterwards `ctx.rng` is where the simulation left it, so that
    what the seed draws next is the same as without the second process. The child is forked and never uses the
    database connection it inherits."""
    processes = multiprocessing.get_context("fork")
    queue = processes.Queue(maxsize=2)
    child = processes.Process(target=_simulate_into, args=(ctx, total, first_id, queue), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, *payload = queue.get(timeout=5)
            except Empty:
                if not child.is_alive():
                    raise RuntimeError(f"The demo simulation stopped (exit code {child.exitcode}).") from None
                continue
            if kind == "batch":
                yield tuple(payload)
            elif kind == "failed":
                raise RuntimeError(f"The demo simulation failed:\n{payload[0]}")
            else:
                ctx.rng.setstate(payload[0])
                return
    finally:
        child.kill()
        child.join()


def _simulate_into(ctx: _Context, total: int, first_id: int, queue) -> None:
    try:
        for batch in _batches(ctx, total, first_id):
            queue.put(("batch", *batch))
        queue.put(("done", ctx.rng.getstate()))
    except BaseException:
        queue.put(("failed", traceback.format_exc()))
    queue.close()
    queue.join_thread()


def _write(ctx: _Context, total: int, stdout) -> dict[str, int]:
    first_id = (Candidate.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    counts = {"candidates": 0, "events": 0}
    tables = [Candidate._meta.db_table, StatusEvent._meta.db_table]
    # With one batch there is nothing to overlap.
    batches = (_batches_from_second_process if total > _CHUNK else _batches)(ctx, total, first_id)
    with (
        _bulk_load(tables) if connection.vendor == "postgresql" and total >= BULK_LOAD_FROM else nullcontext(),
        closing(batches),
    ):
        for candidates, events in batches:
            if connection.vendor == "postgresql":
                _copy(Candidate._meta.db_table, _CANDIDATE_COLUMNS, candidates)
                _copy(StatusEvent._meta.db_table, _EVENT_COLUMNS, events)
            else:
                _insert(Candidate._meta.db_table, _CANDIDATE_COLUMNS, candidates)
                _insert(StatusEvent._meta.db_table, _EVENT_COLUMNS, events)
            counts["candidates"] += len(candidates)
            counts["events"] += len(events)
            if stdout is not None:
                stdout.write(f"  {counts['candidates']:>9,} kandidaten, {counts['events']:>10,} statuswijzigingen")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (Candidate._meta.db_table, StatusEvent._meta.db_table):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
    return counts


@contextmanager
def _bulk_load(tables: list[str]):
    """Drops the secondary indexes and foreign keys of `tables` for a large load and rebuilds them after, as
    pg_restore does: building an index once and checking a foreign key with one join is many times faster than
    keeping a trigram index up and queueing a deferred check per row. Primary keys and unique constraints stay.
    Within the caller's transaction, so a failed load leaves every index and constraint in place."""
    with connection.cursor() as cursor:
        # A table with deferred checks still pending (the lichtingen just written) cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """
            SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
                   format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
                          pg_get_constraintdef(oid))
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            UNION ALL
            SELECT format('DROP INDEX %%s', indexrelid::regclass), pg_get_indexdef(indexrelid)
            FROM pg_index
            WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary
              AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)
            """,
            [tables, tables],
        )
        rebuilt = cursor.fetchall()
        for drop, _create in rebuilt:
            cursor.execute(drop)
    yield
    with connection.cursor() as cursor:
        # The default (64 MB) would sort a million rows' index entries on disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _drop, create in rebuilt:
            cursor.execute(create)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
