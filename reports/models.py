"""Snapshot tables of the reports, the plan figures managers maintain, and the record of each recompute.

A snapshot row holds figures for one group: a period (its granularity and first day) and one value per
dimension, where a blank dimension means "all". Rows are written only by `reports.services.report_recompute`,
which replaces them (all, or those of the groups that changed) in one transaction; pages and the API read them
and never aggregate on request.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.choices import Destination, PersonnelCategory, Phase, Step, TransitionKind
from intake.models import Instroomspoor, Krijgsmachtdeel

from .choices import Granularity, RunStatus, StageType, WaitingOn

# A run that has not finished after this long is taken to have died with its worker.
STALE_RUN = datetime.timedelta(hours=2)


class ReportRun(models.Model):
    """One recompute of all snapshots: queued from the dashboard or by the nightly beat, with its progress so
    the dashboard can show it, and `finished_at` of the last successful run as the snapshots' computed_at."""

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(_("peildatum"), null=True, blank=True)
    stage = models.CharField(_("onderdeel"), max_length=100, blank=True)
    stages_done = models.PositiveSmallIntegerField(default=0)
    stages_total = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("fout"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("berekend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("herberekening")
        verbose_name_plural = _("herberekeningen")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The dashboard looks up the latest successful run and any run still going.
            models.Index(fields=["status", "-created_at"], name="report_run_status_idx"),
        ]

    def __str__(self):
        return f"{self.pk} {self.status}"

    @property
    def is_active(self) -> bool:
        """Queued or running, and not so old that its worker must have died."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING) and self.created_at >= timezone.now() - STALE_RUN

    @property
    def percent_done(self) -> int:
        return round(100 * self.stages_done / self.stages_total) if self.stages_total else 0


class RecomputeState(models.Model):
    """The one row that lets the next recompute be incremental (PostgreSQL): the tables the last full or
    incremental run kept (per-candidate facts, per-candidate source rows and rolled-up groups of the period
    reports) hold every change of a candidate before `changes_since`, computed with the `definitions` (a
    fingerprint of the aggregation code and the reference data it reads). No row: the next run is a full one."""

    changes_since = models.DateTimeField()
    definitions = models.CharField(max_length=64)

    def __str__(self):
        return f"{self.changes_since:%Y-%m-%d %H:%M:%S} {self.definitions[:8]}"


class PlanFigure(models.Model):
    """A planned intake figure (aanstellingsopdracht) for a year, for a personnel category or for one track,
    optionally for one service branch. Maintained by managers in the admin; seeded from the published tables
    in `reports/reference/`, which are in FTE while the chain counts persons."""

    year = models.PositiveSmallIntegerField(_("jaar"))
    personnel_category = models.CharField(
        _("personeelscategorie"), max_length=20, choices=PersonnelCategory.choices, blank=True
    )
    instroomspoor = models.ForeignKey(
        Instroomspoor, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("instroomspoor")
    )
    krijgsmachtdeel = models.ForeignKey(
        Krijgsmachtdeel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("krijgsmachtdeel"),
        help_text=_("Leeg: alle krijgsmachtdelen samen."),
    )
    target = models.PositiveIntegerField(_("plancijfer"))
    published_realised = models.PositiveIntegerField(
        _("gepubliceerde realisatie"), null=True, blank=True, help_text=_("Zoals gepubliceerd, voor eerdere jaren.")
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("plancijfer")
        verbose_name_plural = _("plancijfers")
        ordering = ["year", "personnel_category", "instroomspoor__name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(personnel_category="") & models.Q(instroomspoor__isnull=False))
                | (~models.Q(personnel_category="") & models.Q(instroomspoor__isnull=True)),
                name="plan_figure_category_or_track",
                violation_error_message=_("Kies een personeelscategorie of een instroomspoor, niet allebei."),
            ),
            # Coalesce because a NULL track or branch would never collide with another NULL.
            models.UniqueConstraint(
                "year",
                "personnel_category",
                Coalesce("instroomspoor", 0),
                Coalesce("krijgsmachtdeel", 0),
                name="plan_figure_unique",
                violation_error_message=_("Voor dit jaar bestaat al een plancijfer voor deze combinatie."),
            ),
        ]

    def __str__(self):
        scope = self.instroomspoor or self.get_personnel_category_display()
        return f"{self.year} {scope}" + (f" {self.krijgsmachtdeel.code}" if self.krijgsmachtdeel_id else "")


class Snapshot(models.Model):
    """Shared dimensions of every snapshot row; a blank value means all tracks, branches or genders."""

    track = models.CharField(max_length=30, blank=True)
    branch = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=10, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return " ".join(str(v) for v in (self.track, self.branch, self.gender, getattr(self, "period_start", "")) if v)


class PeriodSnapshot(Snapshot):
    """A snapshot row of one period: a month, quarter or year, named by its first day."""

    period_type = models.CharField(max_length=10, choices=Granularity.choices)
    period_start = models.DateField()

    # The dashboard and the API read a filter combination for a range of periods; each unique constraint
    # below starts with these columns so that its index serves that read.
    KEY = ["track", "branch", "gender", "period_type", "period_start"]

    class Meta:
        abstract = True


class CohortSnapshot(PeriodSnapshot):
    """Candidates who applied in the period: how many, how many are still in process, how many became
    appointable (passed selectie and keuring) and how many were appointed."""

    applied = models.PositiveIntegerField()
    in_process = models.PositiveIntegerField()
    appointable = models.PositiveIntegerField()
    appointed = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=PeriodSnapshot.KEY, name="cohort_snapshot_unique")]


class FunnelSnapshot(PeriodSnapshot):
    """Per phase: of the candidates who applied in the period, how many reached the phase and how many are
    still in process in it; and (the period view) how many candidates entered the phase within the period."""

    phase = models.CharField(max_length=20, choices=Phase.choices)
    reached = models.PositiveIntegerField()
    in_process = models.PositiveIntegerField()
    entered = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=[*PeriodSnapshot.KEY, "phase"], name="funnel_snapshot_unique")]


class LeadTimeSnapshot(PeriodSnapshot):
    """Days spent in a step or phase, or from application to appointment, for the candidates who applied in the
    period and completed that stage: how many, the median and the 80th and 90th percentiles."""

    stage_type = models.CharField(max_length=10, choices=StageType.choices)
    stage = models.CharField(max_length=30)
    completed = models.PositiveIntegerField()
    median_days = models.FloatField()
    p80_days = models.FloatField()
    p90_days = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*PeriodSnapshot.KEY, "stage_type", "stage"], name="lead_time_snapshot_unique"
            )
        ]


class AgeingSnapshot(Snapshot):
    """Open candidates on the day of the run, per current step and who they are waiting for: days in the step,
    and how many waited past 8 weeks (the legal term of the security screening)."""

    step = models.CharField(max_length=30, choices=Step.choices)
    waiting_on = models.CharField(max_length=20, choices=WaitingOn.choices)
    open = models.PositiveIntegerField()
    over_term = models.PositiveIntegerField()
    median_days = models.FloatField()
    p90_days = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["track", "branch", "gender", "step", "waiting_on"], name="ageing_snapshot_unique"
            )
        ]


class DropoutSnapshot(PeriodSnapshot):
    """Candidates who left the chain in the period (and were not reopened), per phase, way out and reason."""

    phase = models.CharField(max_length=20, choices=Phase.choices)
    kind = models.CharField(max_length=20, choices=TransitionKind.choices)
    reason = models.CharField(max_length=50, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*PeriodSnapshot.KEY, "phase", "kind", "reason"], name="dropout_snapshot_unique"
            )
        ]


class TrainingSnapshot(PeriodSnapshot):
    """Candidates who started initial training in the period: how many dropped out and how many were appointed."""

    started = models.PositiveIntegerField()
    dropped_out = models.PositiveIntegerField()
    appointed = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=PeriodSnapshot.KEY, name="training_snapshot_unique")]


class RetentionSnapshot(PeriodSnapshot):
    """Candidates appointed in the period, and after 3, 6, 12 and 24 months: how many can be measured (their
    appointment is that long ago) and how many of those were still in service."""

    appointed = models.PositiveIntegerField()
    measurable_3 = models.PositiveIntegerField()
    retained_3 = models.PositiveIntegerField()
    measurable_6 = models.PositiveIntegerField()
    retained_6 = models.PositiveIntegerField()
    measurable_12 = models.PositiveIntegerField()
    retained_12 = models.PositiveIntegerField()
    measurable_24 = models.PositiveIntegerField()
    retained_24 = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=PeriodSnapshot.KEY, name="retention_snapshot_unique")]


class DoorstroomSnapshot(PeriodSnapshot):
    """Where participants went after a track, by the period the doorstroom was decided."""

    destination = models.CharField(max_length=30, choices=Destination.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=[*PeriodSnapshot.KEY, "destination"], name="doorstroom_snapshot_unique")
        ]


class RealisationSnapshot(models.Model):
    """Appointments per calendar year for a personnel category, a track and a branch (blank = all), which the
    plan figures are compared with; for the year of the run also the open pipeline and the forecast of further
    appointments before the year ends."""

    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20, blank=True)
    track = models.CharField(max_length=30, blank=True)
    branch = models.CharField(max_length=10, blank=True)
    realised = models.PositiveIntegerField()
    open = models.PositiveIntegerField(null=True)
    expected = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "category", "track", "branch"], name="realisation_snapshot_unique")
        ]

    def __str__(self):
        return f"{self.year} {self.category or self.track or '*'} {self.branch}: {self.realised}"


class ForecastParameter(models.Model):
    """What the forecast assumed for a step of a track: of the candidates who entered it and whose outcome is
    known, the share appointed, and the median days from entering the step to appointment."""

    track = models.CharField(max_length=30)
    step = models.CharField(max_length=30, choices=Step.choices)
    closed = models.PositiveIntegerField()
    appointed = models.PositiveIntegerField()
    median_days = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["track", "step"], name="forecast_parameter_unique")]

    def __str__(self):
        return f"{self.track}/{self.step}"

    @property
    def conversion(self) -> float:
        return self.appointed / self.closed if self.closed else 0.0
