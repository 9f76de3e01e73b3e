"""The read interface of the reports, for the dashboard, the exports and the API: one function per report,
each taking `ReportFilters` and returning a `Report` (columns, rows of suppressed cells, computed_at).

Everything here reads snapshot rows; nothing aggregates the event log. Small cells are suppressed through
`reports.suppression` before a row leaves this module.
"""

from __future__ import annotations

import datetime
import itertools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from intake.choices import Destination, PersonnelCategory, Phase, Step, TransitionKind
from intake.models import Instroomspoor, PendingTask, Reason
from intake.pipeline import NEXT_STEPS
from intake.selectors import user_sees_all_tracks

from .choices import RETENTION_MONTHS, TERM_DAYS, Granularity, RunStatus, StageType, WaitingOn
from .models import (
    AgeingSnapshot,
    CohortSnapshot,
    DoorstroomSnapshot,
    DropoutSnapshot,
    FunnelSnapshot,
    LeadTimeSnapshot,
    PlanFigure,
    RealisationSnapshot,
    ReportRun,
    RetentionSnapshot,
    TrainingSnapshot,
)
from .suppression import COMPLEMENT, Cell, Protection, measured, text

PHASES = list(Phase)
STEP_ORDER = {step: i for i, step in enumerate(NEXT_STEPS)}
# Tracks of a fixed length, after which participants flow on to somewhere else.
DOORSTROOM_TRACKS = ("dienjaar", "nwt", "defensity")


@dataclass(frozen=True)
class ReportFilters:
    """What the user narrowed a report to; blank track, branch or gender means all."""

    track: str = ""
    branch: str = ""
    gender: str = ""
    year: int = field(default_factory=lambda: timezone.localdate().year)
    granularity: str = Granularity.MONTH

    @property
    def dims(self) -> dict:
        return {"track": self.track, "branch": self.branch, "gender": self.gender}

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"


@dataclass
class Report:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Cell]]
    computed_at: datetime.datetime | None
    note: str = ""


def last_successful_run() -> ReportRun | None:
    return ReportRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at").first()


def latest_run() -> ReportRun | None:
    return ReportRun.objects.order_by("-created_at", "-id").first()


# The nightly run plus some slack: older figures mean the schedule (or the broker behind it) is not running.
FRESH_FOR = datetime.timedelta(hours=26)


def staleness(run: ReportRun | None) -> str:
    """Why the figures shown may be out of date, or "" when they are current."""
    if PendingTask.objects.exists():
        return _(
            "De taakverwerking is nu niet bereikbaar: de cijfers kunnen verouderd zijn. Ze worden bijgewerkt zodra "
            "die weer werkt; wijzigingen van kandidaten gaan niet verloren."
        )
    if run is not None and run.finished_at < timezone.now() - FRESH_FOR:
        return _("De cijfers zijn ouder dan een dag: de nachtelijke herberekening is niet gelopen.")
    return ""


def user_may_view_reports(user: AbstractBaseUser) -> bool:
    """Managers and beheerders; recruiters work with their candidates, not with chain-wide figures."""
    return user.is_authenticated and user_sees_all_tracks(user)


def period_label(granularity: str, start: datetime.date) -> str:
    if granularity == Granularity.MONTH:
        return date_format(start, "M Y")
    if granularity == Granularity.QUARTER:
        return _("K%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    return str(start.year)


def user_may_see_candidates(user: AbstractBaseUser, filters: ReportFilters) -> bool:
    """Whether a drill-down to the candidate list would show this user the candidates behind a figure."""
    if user_sees_all_tracks(user):
        return True
    return bool(filters.track) and user.instroomsporen.filter(code=filters.track).exists()


def candidate_list_url(filters: ReportFilters, **params) -> str:
    """The recruiters' candidate list narrowed to the same track and branch (it has no gender filter)."""
    query = {"instroomspoor": filters.track, "krijgsmachtdeel": filters.branch, **params}
    return reverse("intake:candidate_list") + "?" + urlencode({k: v for k, v in query.items() if v})


def _computed_at(run: ReportRun | None) -> datetime.datetime | None:
    return run.finished_at if run else None


def _periods(model, filters: ReportFilters, *, years: int = 1):
    """Snapshot rows of the filter combination: each period of the granularity in the selected year(s), and
    the year row(s), in order."""
    first = datetime.date(filters.year - years + 1, 1, 1)
    return model.objects.filter(
        Q(period_type=filters.granularity) | Q(period_type=Granularity.YEAR),
        **filters.dims,
        period_start__range=(first, filters.year_end),
    ).order_by("period_start", "period_type")


COHORT_FIELDS = ("applied", "appointable", "appointed", "in_process")


@dataclass
class _CohortFigures:
    """The counts that the funnel, cohort, period-view and retention tables share, protected together: the same
    number stands in several of them (the applications of a period are its werving entries, its appointments are
    a retention cohort), so suppressing each table on its own could give away in one what another hides."""

    grid: Protection
    periods: list[datetime.date]  # the selected year's periods at the granularity; none for whole years
    retention: list[RetentionSnapshot]
    has_data: bool

    @property
    def keys(self) -> list:
        return [*self.periods, "total"] if self.has_data else []


def _cohort_figures(filters: ReportFilters) -> _CohortFigures:
    by_period = filters.granularity != Granularity.YEAR
    funnel_rows = [r for r in _periods(FunnelSnapshot, filters) if by_period or r.period_type == Granularity.YEAR]
    cohort_rows = [r for r in _periods(CohortSnapshot, filters) if by_period or r.period_type == Granularity.YEAR]
    retention = [r for r in _periods(RetentionSnapshot, filters, years=3) if r.period_type == filters.granularity]

    def key(row):
        return "total" if row.period_type == Granularity.YEAR else row.period_start

    periods = sorted({r.period_start for r in [*funnel_rows, *cohort_rows] if key(r) != "total"})
    grid = Protection()
    funnel = {(r.phase, key(r)): r for r in funnel_rows}
    for phase in PHASES:
        for k in [*periods, "total"]:
            grid.count(("entered", phase, k), funnel[phase, k].entered if (phase, k) in funnel else 0)
        if periods:
            grid.sums(("entered", phase, "total"), [("entered", phase, k) for k in periods])
        year = funnel.get((phase, "total"))
        grid.count(("reached", phase), year.reached if year else 0)
        grid.count(("open", phase), year.in_process if year else 0)
    for phase, following in itertools.pairwise(PHASES):
        # Who reached a phase but not the next and is not in it any more left there: a number a reader can work out.
        left = grid.value(("reached", phase)) - grid.value(("reached", following)) - grid.value(("open", phase))
        grid.sums(("reached", phase), [("reached", following), ("open", phase), grid.derivable(("left", phase), left)])

    cohorts = {key(r): r for r in cohort_rows}
    for k in [*periods, "total"]:
        row = cohorts.get(k)
        values = {name: getattr(row, name) if row else 0 for name in COHORT_FIELDS}
        for name, value in values.items():
            grid.count((name, k), value)
        # Appointed candidates were appointable, who had applied; the rest of each can be worked out.
        for total, part, rest in [
            ("applied", "appointable", "not_appointable"),
            ("appointable", "appointed", "not_appointed"),
            ("applied", "in_process", "closed"),
        ]:
            grid.sums((total, k), [(part, k), grid.derivable((rest, k), values[total] - values[part])])
        # Everyone enters werving on the day they apply.
        grid.sums(("applied", k), [("entered", Phase.WERVING, k)])
    if periods:
        for name in COHORT_FIELDS:
            grid.sums((name, "total"), [(name, k) for k in periods])
    grid.sums(("applied", "total"), [("reached", Phase.WERVING)])
    grid.sums(("appointed", "total"), [("reached", Phase.AANGESTELD)])
    grid.sums(("in_process", "total"), [("open", phase) for phase in PHASES])

    for row in retention:
        grid.count(("retention", row.period_start), row.appointed)
        if row.period_start.year == filters.year:
            # An appointment cohort is the period's entries into aangesteld.
            grid.sums(("retention", row.period_start), [("entered", Phase.AANGESTELD, key(row))])
    return _CohortFigures(grid, periods, retention, has_data=bool(funnel_rows or cohort_rows))


def funnel(filters: ReportFilters, *, run: ReportRun | None = None, drill_down: bool = False) -> Report:
    """Of the candidates who applied in the year: per phase how many reached it, the conversion from the phase
    before and from application, how many are still in it; and how many entered the phase in the year."""
    run = run if run is not None else last_successful_run()
    figures = _cohort_figures(filters)
    grid = figures.grid
    table = []
    for i, phase in enumerate(PHASES):
        url = ""
        if drill_down:
            url = candidate_list_url(
                filters, phase=phase, applied_after=filters.year_start, applied_before=filters.year_end
            )
        table.append(
            {
                "phase": text(Phase(phase).label, url=url),
                "reached": grid.cell(("reached", phase)),
                "step_conversion": grid.share(("reached", phase), ("reached", PHASES[i - 1]))
                if i
                else Cell(kind="percent"),
                "conversion": grid.share(("reached", phase), ("reached", Phase.WERVING)),
                "in_process": grid.cell(("open", phase)),
                "entered": grid.cell(("entered", phase, "total")),
            }
        )
    return Report(
        key="trechter",
        title=_("Trechter %(year)s") % {"year": filters.year},
        columns=[
            Column("phase", _("Fase"), "text"),
            Column("reached", _("Bereikt")),
            Column("step_conversion", _("Conversie vanaf vorige fase"), "percent"),
            Column("conversion", _("Conversie vanaf aanmelding"), "percent"),
            Column("in_process", _("Nog in deze fase")),
            Column("entered", _("Ingestroomd in het jaar")),
        ],
        rows=table if figures.has_data else [],
        computed_at=_computed_at(run),
        note=_(
            "Bereikt, conversie en 'nog in deze fase' gaan over wie zich in het jaar aanmeldde; 'ingestroomd' "
            "telt wie in het jaar de fase binnenkwam, ongeacht wanneer die zich aanmeldde."
        ),
    )


def _period_rows(filters: ReportFilters, keys: list, build_row: Callable) -> list[dict[str, Cell]]:
    """A row per period of the selected year and the year's total row ("total")."""
    return [
        {
            "period": text(
                _("%(year)s totaal") % {"year": filters.year} if k == "total" else period_label(filters.granularity, k)
            ),
            **build_row(k),
        }
        for k in keys
    ]


def cohorts(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """The funnel per application cohort: applied, appointable, appointed and still in process, per period."""
    run = run if run is not None else last_successful_run()
    figures = _cohort_figures(filters)
    grid = figures.grid

    def build(key):
        return {
            "applied": grid.cell(("applied", key)),
            "appointable": grid.cell(("appointable", key)),
            "appointable_share": grid.share(("appointable", key), ("applied", key)),
            "appointed": grid.cell(("appointed", key)),
            "conversion": grid.share(("appointed", key), ("applied", key)),
            "in_process": grid.cell(("in_process", key)),
        }

    return Report(
        key="cohorten",
        title=_("Aanmeldcohorten %(year)s") % {"year": filters.year},
        columns=[
            Column("period", _("Aangemeld in"), "text"),
            Column("applied", _("Aangemeld")),
            Column("appointable", _("Aanstelbaar")),
            Column("appointable_share", _("Aandeel aanstelbaar"), "percent"),
            Column("appointed", _("Aangesteld")),
            Column("conversion", _("Conversie"), "percent"),
            Column("in_process", _("Nog in proces")),
        ],
        rows=_period_rows(filters, figures.keys, build),
        computed_at=_computed_at(run),
        note=_("Aanstelbaar: selectie en keuring doorlopen (veiligheidsonderzoek geschikt of verder)."),
    )


def flow(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """The period view: how many candidates entered each phase in each period of the year."""
    run = run if run is not None else last_successful_run()
    figures = _cohort_figures(filters)
    return Report(
        key="instroom-per-fase",
        title=_("Ingestroomd per fase en periode"),
        columns=[Column("period", _("Periode"), "text"), *(Column(p, Phase(p).label) for p in PHASES)],
        rows=_period_rows(
            filters, figures.keys, lambda k: {phase: figures.grid.cell(("entered", phase, k)) for phase in PHASES}
        ),
        computed_at=_computed_at(run),
        note=_("Werving = aanmeldingen, Aangesteld = aanstellingen in de periode."),
    )


def lead_times(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Days per step, per phase and from application to appointment for the year's application cohort."""
    run = run if run is not None else last_successful_run()
    snapshots = LeadTimeSnapshot.objects.filter(
        **filters.dims, period_type=Granularity.YEAR, period_start=filters.year_start
    )
    type_order = {StageType.STEP: 0, StageType.PHASE: 1, StageType.TOTAL: 2}
    phase_order = {p: i for i, p in enumerate(PHASES)}

    def order(s):
        position = STEP_ORDER.get(s.stage, 0) if s.stage_type == StageType.STEP else phase_order.get(s.stage, 0)
        return type_order[s.stage_type], position

    table = []
    for s in sorted(snapshots, key=order):
        label = _stage_label(s.stage_type, s.stage)
        table.append(
            {
                "stage_type": text(StageType(s.stage_type).label),
                "stage": text(label),
                "completed": measured(s.completed, s.completed, kind="count"),
                "median": measured(s.median_days, s.completed),
                "p80": measured(s.p80_days, s.completed),
                "p90": measured(s.p90_days, s.completed),
            }
        )
    return Report(
        key="doorlooptijden",
        title=_("Doorlooptijden in dagen, aanmeldcohort %(year)s") % {"year": filters.year},
        columns=[
            Column("stage_type", _("Soort"), "text"),
            Column("stage", _("Stap of fase"), "text"),
            Column("completed", _("Afgerond")),
            Column("median", _("Mediaan"), "days"),
            Column("p80", _("80e percentiel"), "days"),
            Column("p90", _("90e percentiel"), "days"),
        ],
        rows=table,
        computed_at=_computed_at(run),
    )


def _stage_label(stage_type: str, stage: str) -> str:
    if stage_type == StageType.STEP:
        return Step(stage).label
    if stage_type == StageType.PHASE:
        return Phase(stage).label
    return StageType.TOTAL.label


def ageing(filters: ReportFilters, *, run: ReportRun | None = None, drill_down: bool = False) -> Report:
    """Open candidates on the day of the last run: days in the current step and who they are waiting for."""
    run = run if run is not None else last_successful_run()
    snapshots = sorted(
        AgeingSnapshot.objects.filter(**filters.dims), key=lambda s: (STEP_ORDER.get(s.step, 0), s.waiting_on)
    )
    grid = Protection()
    for s in snapshots:
        grid.count(("open", s.pk), s.open)
        grid.count(("over", s.pk), s.over_term)
        grid.sums(("open", s.pk), [("over", s.pk), grid.derivable(("within", s.pk), s.open - s.over_term)])
    table = [
        {
            "step": text(
                Step(s.step).label,
                url=candidate_list_url(filters, step=s.step, status="lopend") if drill_down else "",
            ),
            "waiting_on": text(WaitingOn(s.waiting_on).label),
            "open": grid.cell(("open", s.pk)),
            "median": measured(s.median_days, s.open),
            "p90": measured(s.p90_days, s.open),
            "over_term": grid.cell(
                ("over", s.pk),
                css="alert" if s.step == Step.VEILIGHEIDSONDERZOEK and s.over_term else "",
                # The candidate list's stalled filter means the same: longer than N days in the current step.
                url=candidate_list_url(filters, step=s.step, stalled_days=TERM_DAYS)
                if drill_down and s.over_term
                else "",
            ),
        }
        for s in snapshots
    ]
    return Report(
        key="wachtenden",
        title=_("Kandidaten in behandeling: dagen in de huidige stap"),
        columns=[
            Column("step", _("Stap"), "text"),
            Column("waiting_on", _("Wacht op"), "text"),
            Column("open", _("In behandeling")),
            Column("median", _("Mediaan dagen"), "days"),
            Column("p90", _("90e percentiel"), "days"),
            Column("over_term", _("Langer dan 8 weken")),
        ],
        rows=table,
        computed_at=_computed_at(run),
        note=_(
            "Het veiligheidsonderzoek heeft een wettelijke termijn van 8 weken: kandidaten die daar langer wachten "
            "zijn rood gemarkeerd. 'Wacht op kandidaat': tijdelijk ongeschikt verklaard."
        ),
    )


def dropout(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Who left the chain in the year, per phase, way out and reason (reopened exits excluded)."""
    run = run if run is not None else last_successful_run()
    labels = dict(Reason.objects.values_list("code", "label"))
    phase_order = {p: i for i, p in enumerate(PHASES)}
    snapshots = sorted(
        DropoutSnapshot.objects.filter(**filters.dims, period_type=Granularity.YEAR, period_start=filters.year_start),
        key=lambda s: (phase_order.get(s.phase, 0), s.kind, -s.count, s.reason),
    )
    grid = Protection()
    for s in snapshots:
        grid.count(s.pk, s.count)
    table = [
        {
            "phase": text(Phase(s.phase).label),
            "kind": text(TransitionKind(s.kind).label),
            "reason": text(labels.get(s.reason, s.reason or _("Geen reden vastgelegd"))),
            "count": grid.cell(s.pk),
        }
        for s in snapshots
    ]
    return Report(
        key="uitval",
        title=_("Uitval %(year)s naar fase en reden") % {"year": filters.year},
        columns=[
            Column("phase", _("Fase"), "text"),
            Column("kind", _("Soort"), "text"),
            Column("reason", _("Reden"), "text"),
            Column("count", _("Aantal")),
        ],
        rows=table,
        computed_at=_computed_at(run),
    )


def training(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Uitval tijdens initiële opleiding: of those who started training in a period, the share who dropped out."""
    run = run if run is not None else last_successful_run()
    by_period = filters.granularity != Granularity.YEAR
    rows = {
        "total" if r.period_type == Granularity.YEAR else r.period_start: r
        for r in _periods(TrainingSnapshot, filters)
        if by_period or r.period_type == Granularity.YEAR
    }
    periods = sorted(k for k in rows if k != "total")
    fields = ("started", "dropped_out", "appointed")
    grid = Protection()
    for k in [*periods, "total"]:
        values = {name: getattr(rows[k], name) if k in rows else 0 for name in fields}
        for name, value in values.items():
            grid.count((name, k), value)
        rest = grid.derivable(("rest", k), values["started"] - values["dropped_out"])
        grid.sums(("started", k), [("dropped_out", k), rest])
    if periods:
        for name in fields:
            grid.sums((name, "total"), [(name, k) for k in periods])

    def build(key):
        return {
            "started": grid.cell(("started", key)),
            "dropped_out": grid.cell(("dropped_out", key)),
            "rate": grid.share(("dropped_out", key), ("started", key)),
            "appointed": grid.cell(("appointed", key)),
        }

    return Report(
        key="opleiding",
        title=_("Uitval tijdens initiële opleiding %(year)s") % {"year": filters.year},
        columns=[
            Column("period", _("Opleiding gestart in"), "text"),
            Column("started", _("Gestart")),
            Column("dropped_out", _("Uitgevallen")),
            Column("rate", _("Uitvalpercentage"), "percent"),
            Column("appointed", _("Aangesteld")),
        ],
        rows=_period_rows(filters, [*periods, "total"] if rows else [], build),
        computed_at=_computed_at(run),
    )


def _plan_lines(filters: ReportFilters) -> list[PlanFigure]:
    figures = PlanFigure.objects.select_related("instroomspoor", "krijgsmachtdeel")
    if filters.branch:
        figures = figures.filter(krijgsmachtdeel__code=filters.branch)
    else:
        figures = figures.filter(krijgsmachtdeel__isnull=True)
    if filters.track:
        category = Instroomspoor.objects.filter(code=filters.track).values_list("personnel_category", flat=True)
        figures = figures.filter(Q(instroomspoor__code=filters.track) | Q(personnel_category__in=category))
    # The selected track's own line first; otherwise the category lines, the published aanstellingsopdracht.
    name = F("instroomspoor__name")
    track_order = name.asc(nulls_last=True) if filters.track else name.asc(nulls_first=True)
    return list(figures.order_by(track_order, "personnel_category", "year"))


def _scope(figure: PlanFigure) -> tuple[str, str, str]:
    return (
        figure.personnel_category,
        figure.instroomspoor.code if figure.instroomspoor_id else "",
        figure.krijgsmachtdeel.code if figure.krijgsmachtdeel_id else "",
    )


def _realisations(scopes: Iterable[tuple[str, str, str]]) -> dict[tuple, RealisationSnapshot]:
    condition = Q(pk__in=[])
    for category, track, branch in set(scopes):
        condition |= Q(category=category, track=track, branch=branch)
    return {(r.year, r.category, r.track, r.branch): r for r in RealisationSnapshot.objects.filter(condition)}


def plan_realisation(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Realised appointments against the plan figures, per plan line and year, like the published tables."""
    run = run if run is not None else last_successful_run()
    figures = _plan_lines(filters)
    realised = _realisations(_scope(f) for f in figures)
    years = sorted({f.year for f in figures})
    lines: dict[tuple, dict[int, PlanFigure]] = {}
    for figure in figures:
        lines.setdefault(_scope(figure), {})[figure.year] = figure
    table = []
    for scope, by_year in lines.items():
        first = next(iter(by_year.values()))
        name = str(first.instroomspoor or first.get_personnel_category_display())
        if first.krijgsmachtdeel_id:
            name += f" ({first.krijgsmachtdeel.code})"
        grid = Protection()
        # "_measure" is not a column: it tells the charts which row is which.
        rows = {
            measure: {"line": text(name), "measure": text(label), "_measure": text(measure)}
            for measure, label in (
                ("realised", _("Gerealiseerd (Instroom)")),
                ("published", _("Gerealiseerd (gepubliceerd)")),
                ("plan", _("Plancijfer")),
                ("percent", _("% gerealiseerd")),
            )
        }
        for year in years:
            figure = by_year.get(year)
            snapshot = realised.get((year, *scope))
            column = str(year)
            if snapshot is not None:
                grid.count(year, snapshot.realised)
                rows["realised"][column] = grid.cell(year)
            else:
                rows["realised"][column] = Cell(kind="count")
            published = figure.published_realised if figure else None
            rows["published"][column] = Cell(value=published, kind="count")
            rows["plan"][column] = Cell(value=figure.target if figure else None, kind="count")
            if figure and snapshot is not None and figure.target:
                marker = grid.marks().get(year, "")
                rows["percent"][column] = Cell(
                    value=None if marker else snapshot.realised / figure.target, kind="percent", marker=marker
                )
            elif figure and published is not None and figure.target:
                rows["percent"][column] = Cell(value=published / figure.target, kind="percent")
            else:
                rows["percent"][column] = Cell(kind="percent")
        if all(rows["published"][str(year)].value is None for year in years):
            del rows["published"]
        table.extend(rows.values())
    return Report(
        key="plan-realisatie",
        title=_("Plan en realisatie van de aanstellingen"),
        columns=[
            Column("line", _("Plancijfer voor"), "text"),
            Column("measure", _("Cijfer"), "text"),
            *(Column(str(y), str(y)) for y in years),
        ],
        rows=table,
        computed_at=_computed_at(run),
        note=_(
            "Gerealiseerd (Instroom): aanstellingen in deze applicatie, in personen. Plancijfers en gepubliceerde "
            "realisatie in VTE, uit de Stand van Defensie. % gerealiseerd gebruikt de Instroom-realisatie als die "
            "er is. Geslacht is niet van toepassing op plancijfers."
        ),
    )


def forecast(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Expected appointments by the end of the run's year, per track and personnel category, against the plan."""
    run = run if run is not None else last_successful_run()
    year = run.as_of.year if run and run.as_of else timezone.localdate().year
    tracks = list(Instroomspoor.objects.order_by("name"))
    if filters.track:
        tracks = [t for t in tracks if t.code == filters.track]
    categories = sorted({t.personnel_category for t in tracks})
    scopes = [("", t.code, filters.branch) for t in tracks] + [(c, "", filters.branch) for c in categories]
    if not filters.track:
        scopes.append(("", "", filters.branch))
    snapshots = _realisations(scopes)
    plans = {
        _scope(f): f for f in PlanFigure.objects.filter(year=year).select_related("instroomspoor", "krijgsmachtdeel")
    }
    names = {t.code: t.name for t in tracks}
    table = []
    for scope in scopes:
        category, track, _branch = scope
        snapshot = snapshots.get((year, *scope))
        plan = plans.get(scope)
        grid = Protection()
        realised = grid.count("realised", snapshot.realised if snapshot else 0)
        open_ = grid.count("open", (snapshot.open or 0) if snapshot else 0)
        # The forecast adds to the realised count; it would give a suppressed one away.
        marker = COMPLEMENT if grid.marks() else ""
        expected = (snapshot.expected or 0.0) if snapshot else 0.0
        projected = None if marker else round(grid.value(realised) + expected)
        share = projected / plan.target if plan and plan.target and projected is not None else None
        name = names.get(track) or (PersonnelCategory(category).label if category else _("Alle instroomsporen"))
        table.append(
            {
                "line": text(str(name)),
                "realised": grid.cell(realised),
                "open": grid.cell(open_),
                "expected": Cell(value=None if marker else round(expected), kind="count", marker=marker),
                "forecast": Cell(value=projected, kind="count", marker=marker),
                "plan": Cell(value=plan.target if plan else None, kind="count"),
                "forecast_share": Cell(value=share, kind="percent", marker=marker),
            }
        )
    return Report(
        key="prognose",
        title=_("Prognose aanstellingen %(year)s") % {"year": year},
        columns=[
            Column("line", _("Instroomspoor of categorie"), "text"),
            Column("realised", _("Aangesteld tot nu")),
            Column("open", _("In behandeling")),
            Column("expected", _("Verwacht erbij")),
            Column("forecast", _("Prognose jaareinde")),
            Column("plan", _("Plancijfer")),
            Column("forecast_share", _("Prognose t.o.v. plan"), "percent"),
        ],
        rows=table,
        computed_at=_computed_at(run),
        note=_(
            "Elke kandidaat in behandeling telt mee met de historische kans op aanstelling vanuit zijn huidige "
            "stap, als de mediane doorlooptijd vanaf die stap vóór het jaareinde afloopt. Geslacht en jaar zijn "
            "hier niet van toepassing: de prognose gaat over het lopende jaar."
        ),
    )


def retention(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Appointment cohorts of the selected year and the two before: share still in service after N months."""
    run = run if run is not None else last_successful_run()
    figures = _cohort_figures(filters)
    table = []
    for r in figures.retention:
        row = {
            "period": text(period_label(filters.granularity, r.period_start)),
            "appointed": figures.grid.cell(("retention", r.period_start)),
        }
        for months in RETENTION_MONTHS:
            measurable = getattr(r, f"measurable_{months}")
            share = getattr(r, f"retained_{months}") / measurable if measurable else None
            cell = measured(share, measurable, kind="percent")
            row[f"m{months}"] = Cell(value=cell.value, kind="percent", marker=cell.marker, css=_heat(cell.value))
        table.append(row)
    return Report(
        key="behoud",
        title=_("Behoud na aanstelling, per aanstellingscohort"),
        columns=[
            Column("period", _("Aangesteld in"), "text"),
            Column("appointed", _("Aangesteld")),
            *(Column(f"m{m}", _("Na %(months)s maanden") % {"months": m}, "percent") for m in RETENTION_MONTHS),
        ],
        rows=table,
        computed_at=_computed_at(run),
        note=_("Aandeel nog in dienst; '-' betekent dat het cohort nog niet zo lang geleden is aangesteld."),
    )


def _heat(share: float | None) -> str:
    return "" if share is None else f"heat-{min(int(share * 10), 9)}"


def doorstroom(filters: ReportFilters, *, run: ReportRun | None = None) -> Report:
    """Where participants of Dienjaar, NWT and Defensity College went after the track, in the selected year."""
    run = run if run is not None else last_successful_run()
    tracks = [filters.track] if filters.track else list(DOORSTROOM_TRACKS)
    snapshots = DoorstroomSnapshot.objects.filter(
        track__in=tracks,
        branch=filters.branch,
        gender=filters.gender,
        period_type=Granularity.YEAR,
        period_start=filters.year_start,
    )
    names = dict(Instroomspoor.objects.filter(code__in=tracks).values_list("code", "name"))
    by_track: dict[str, dict[str, int]] = {}
    for s in snapshots:
        by_track.setdefault(s.track, {})[s.destination] = s.count
    table = []
    for track in tracks:
        counts = by_track.get(track)
        if not counts:
            continue
        grid = Protection()
        total = grid.count("total", sum(counts.values()))
        parts = [grid.count(d, counts.get(d, 0)) for d in Destination]
        grid.sums(total, parts)
        stays = grid.count("stays", sum(counts.values()) - counts.get(Destination.VERTROKKEN, 0))
        grid.sums(total, [stays, Destination.VERTROKKEN])
        grid.sums(stays, [d for d in Destination if d != Destination.VERTROKKEN])
        for key, label in [
            *((d, Destination(d).label) for d in Destination),
            ("stays", _("Blijft bij Defensie")),
            ("total", _("Totaal")),
        ]:
            table.append(
                {
                    "track": text(names.get(track, track)),
                    "destination": text(label),
                    "count": grid.cell(key),
                    "share": grid.share(key, total),
                }
            )
    return Report(
        key="doorstroom",
        title=_("Doorstroom na het instroomspoor, besloten in %(year)s") % {"year": filters.year},
        columns=[
            Column("track", _("Instroomspoor"), "text"),
            Column("destination", _("Naar"), "text"),
            Column("count", _("Aantal")),
            Column("share", _("Aandeel"), "percent"),
        ],
        rows=table,
        computed_at=_computed_at(run),
    )


# Names the current generation of cached reports; `services.report_cache_clear` replaces it.
CACHE_GENERATION_KEY = "reports:generation"
CACHE_TIMEOUT = 24 * 60 * 60  # a run's figures are replaced nightly; older keys are never read again


def report_cached(key: str, filters: ReportFilters, *, run: ReportRun, shape: Callable[[Report], Any]) -> Any:
    """The report `key` without drill-down links (the API's) in the `shape` of an answer (serialized), computed,
    suppressed, labelled and shaped once per snapshot run, filter combination and language and then read from the
    shared cache: the snapshot rows do not change within a run, so every caller would compute the same answer,
    and shaping it cost as much as the rest of a request. A new run is a new key. The plan figures
    are read live by two reports, so changing them starts a new generation of keys; a renamed track or
    reason shows from the next run on, as it does for a client that asks with the run's ETag. Without Redis
    the cache misses and the report is computed as before."""
    generation = cache.get(CACHE_GENERATION_KEY)
    if generation is None:
        # add, not set: of two processes starting a generation at once, both go on with the first one's.
        cache.add(CACHE_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(CACHE_GENERATION_KEY, "")
    f = filters
    run_id = f"{run.pk}-{run.finished_at.timestamp()}"
    # "answer": the entries of before, under "reports:", held the Report itself.
    cache_key = (
        f"reports:answer:{generation}:{run_id}:{key}:{get_language()}:{f.track}:{f.branch}:{f.gender}:{f.year}:"
        f"{f.granularity}"
    )
    answer = cache.get(cache_key)
    if answer is None:
        answer = shape(REPORTS[key](filters, run=run))
        cache.set(cache_key, answer, timeout=CACHE_TIMEOUT)
    return answer


# Reports whose rows link to the candidates behind them (pass `drill_down=True`).
DRILL_DOWN_REPORTS = frozenset({"trechter", "wachtenden"})
# Every report by the key its export URL uses; the dashboard shows them in this order.
REPORTS: dict[str, Callable[..., Report]] = {
    "trechter": funnel,
    "cohorten": cohorts,
    "instroom-per-fase": flow,
    "doorlooptijden": lead_times,
    "wachtenden": ageing,
    "uitval": dropout,
    "opleiding": training,
    "plan-realisatie": plan_realisation,
    "prognose": forecast,
    "behoud": retention,
    "doorstroom": doorstroom,
}
