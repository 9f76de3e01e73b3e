"""Each report metric on a small event history whose expected numbers are worked out by hand in the comments.

These tests run on PostgreSQL in the suite and once more on SQLite (see test_sqlite.py), so both the
GROUPING SETS / percentile_cont path and the SQLite fallback must produce the same numbers.
"""

import pytest

from intake.choices import Destination, Phase, Step, TransitionKind, Verdict
from intake.models import Doorstroom
from intake.tests.factories import track
from reports import services
from reports.choices import Granularity, RunStatus, StageType, WaitingOn
from reports.models import (
    AgeingSnapshot,
    CohortSnapshot,
    DoorstroomSnapshot,
    DropoutSnapshot,
    ForecastParameter,
    FunnelSnapshot,
    LeadTimeSnapshot,
    PlanFigure,
    RealisationSnapshot,
    ReportRun,
    RetentionSnapshot,
    TrainingSnapshot,
)
from reports.selectors import ReportFilters, dropout, plan_realisation
from reports.selectors import ageing as ageing_report

from .history import applicant, day, leave, transition

pytestmark = pytest.mark.django_db

AS_OF = day("2025-10-01")
ALL = {"track": "", "branch": "", "gender": ""}
YEAR_2025 = {"period_type": Granularity.YEAR, "period_start": day("2025-01-01")}


@pytest.fixture
def chain_2025():
    """Nine candidates of the 2025 application cohort (track beroeps, branch KL, all women).

    Gaps are the days spent in each step before moving on along the regular route:
    aanmelding → oriëntatiegesprek → psychologisch onderzoek → sporttest → medische keuring →
    veiligheidsonderzoek → initiële opleiding → aanstelling.
    """
    # A and B: appointed on 2025-09-03 (10+20+20+20+20+60+90 = 240 days) and 2025-08-24 (230 days).
    applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    applicant("2025-01-06", [20, 10, 10, 30, 20, 40, 100])
    # C: reaches the medische keuring on 2025-04-14 and is rejected there.
    leave(applicant("2025-02-03", [10, 20, 20, 20]), TransitionKind.AFWIJZING, "afw-medisch", "2025-05-01")
    # D: withdraws during the oriëntatiegesprek.
    leave(applicant("2025-02-03", [5]), TransitionKind.TERUGTREKKING, "trk-andere-baan", "2025-03-01")
    # E: starts training on 2025-07-31 and drops out.
    leave(applicant("2025-03-03", [10, 20, 20, 20, 30, 50]), TransitionKind.UITVAL, "uit-blessure", "2025-09-01")
    # F: in the security screening since 2025-07-06, 87 days on AS_OF: past the 8-week term.
    applicant("2025-04-07", [10, 20, 20, 20, 20])
    # G: still in aanmelding since 2025-04-07, 177 days on AS_OF.
    applicant("2025-04-07")
    # H: rejected, reopened, then withdrew: only the withdrawal is an exit.
    h = leave(applicant("2025-05-05"), TransitionKind.AFWIJZING, "afw-niet-aan-eisen", "2025-05-10")
    transition(h, TransitionKind.HEROPENING, day("2025-05-12"), note="Toch aan de eisen voldaan")
    leave(h, TransitionKind.TERUGTREKKING, "trk-persoonlijk", "2025-05-20")
    # I: in the medische keuring since 2025-08-11 (51 days on AS_OF), temporarily unfit on 2025-08-20.
    i = applicant("2025-06-02", [10, 20, 20, 20])
    transition(i, TransitionKind.UITSLAG, day("2025-08-20"), verdict=Verdict.TIJDELIJK_ONGESCHIKT)
    services.report_recompute(as_of=AS_OF)


def test_funnel_counts_who_reached_each_phase_and_who_is_still_in_it(chain_2025):
    cohort = CohortSnapshot.objects.get(**ALL, **YEAR_2025)
    # Applied: A to I = 9; in process: F, G, I; appointable (security screening passed): A, B, E; appointed: A, B.
    assert (cohort.applied, cohort.in_process, cohort.appointable, cohort.appointed) == (9, 3, 3, 2)

    funnel = {f.phase: f for f in FunnelSnapshot.objects.filter(**ALL, **YEAR_2025)}
    # Selectie and keuring: A, B, C, E, F, I; opleiding: A, B, E; aangesteld: A, B.
    assert [funnel[p].reached for p in Phase] == [9, 6, 6, 3, 2]
    # Still in werving: G; still in keuring: F and I.
    assert [funnel[p].in_process for p in Phase] == [1, 0, 2, 0, 0]
    # Period view: everyone entered werving in 2025, and the later phases in 2025 too.
    assert [funnel[p].entered for p in Phase] == [9, 6, 6, 3, 2]


def test_funnel_by_quarter_and_by_branch(chain_2025):
    q1 = CohortSnapshot.objects.get(**ALL, period_type=Granularity.QUARTER, period_start=day("2025-01-01"))
    # Applied in Q1: A, B (January), C, D (February), E (March).
    assert q1.applied == 5
    january = CohortSnapshot.objects.get(**ALL, period_type=Granularity.MONTH, period_start=day("2025-01-01"))
    assert (january.applied, january.appointed) == (2, 2)
    assert CohortSnapshot.objects.get(track="beroeps", branch="KL", gender="vrouw", **YEAR_2025).applied == 9
    assert not CohortSnapshot.objects.filter(branch="KM").exists()


def test_conversion_and_share_of_appointable_candidates_as_the_dashboard_shows_them(chain_2025):
    from reports.selectors import cohorts, funnel

    run = ReportRun.objects.get()
    rows = {row["phase"].value: row for row in funnel(ReportFilters(year=2025), run=run).rows}
    # Keuring from selectie: 6/6; selectie from application: 6/9.
    assert rows["Keuring"]["step_conversion"].value == 1.0
    assert rows["Selectie"]["conversion"].value == pytest.approx(6 / 9)
    # Opleiding from keuring is 3/6, but 3 persons is a small group: the share is suppressed with it.
    assert (str(rows["Opleiding"]["reached"]), str(rows["Opleiding"]["step_conversion"])) == ("<5", "x")
    total = cohorts(ReportFilters(year=2025, granularity=Granularity.QUARTER), run=run).rows[-1]
    assert total["applied"].value == 9
    # Appointable 3 of 9 is a group below 5: shown as "<5", and so is its share.
    assert (str(total["appointable"]), total["appointable_share"].value) == ("<5", None)


def test_lead_times_give_median_p80_and_p90_per_step_phase_and_end_to_end(chain_2025):
    times = {(t.stage_type, t.stage): t for t in LeadTimeSnapshot.objects.filter(**ALL, **YEAR_2025)}
    # Days in aanmelding of those who left it for the next step: A 10, B 20, C 10, D 5, E 10, F 10, I 10.
    # Sorted 5 10 10 10 10 10 20 (n = 7): median = value 4 = 10; p80 at position 4.8 = 10;
    # p90 at position 5.4 = 10 + 0.4 * (20 - 10) = 14.
    aanmelding = times[(StageType.STEP, Step.AANMELDING)]
    assert (aanmelding.completed, aanmelding.median_days, aanmelding.p80_days, aanmelding.p90_days) == (7, 10, 10, 14)
    # Application to appointment: A 240, B 230: median 235; p80 = 230 + 0.8 * 10 = 238; p90 = 239.
    total = times[(StageType.TOTAL, StageType.TOTAL)]
    assert (total.completed, total.median_days, total.p80_days, total.p90_days) == (2, 235, 238, 239)
    # Opleiding as a phase: A 90, B 100 days: median 95, p90 = 90 + 0.9 * 10 = 99.
    training = times[(StageType.PHASE, Phase.OPLEIDING)]
    assert (training.median_days, training.p90_days) == (95, 99)
    # Nobody completed the aanstelling step; it has no lead time.
    assert (StageType.STEP, Step.AANSTELLING) not in times


def test_ageing_shows_days_in_step_who_is_waiting_and_the_security_screening_past_its_term(chain_2025):
    ageing = {(a.step, a.waiting_on): a for a in AgeingSnapshot.objects.filter(**ALL)}
    assert set(ageing) == {
        (Step.AANMELDING, WaitingOn.ORGANISATIE),
        (Step.VEILIGHEIDSONDERZOEK, WaitingOn.EXTERN),
        (Step.MEDISCHE_KEURING, WaitingOn.KANDIDAAT),
    }
    screening = ageing[(Step.VEILIGHEIDSONDERZOEK, WaitingOn.EXTERN)]
    assert (screening.open, screening.median_days, screening.over_term) == (1, 87, 1)
    unfit = ageing[(Step.MEDISCHE_KEURING, WaitingOn.KANDIDAAT)]
    assert (unfit.open, unfit.median_days, unfit.over_term) == (1, 51, 0)
    # A manager follows the flagged cell to the candidates waiting longer than the term.
    rows = {row["step"].value: row for row in ageing_report(ReportFilters(), drill_down=True).rows}
    overdue = rows["Veiligheidsonderzoek"]["over_term"]
    assert (str(overdue), overdue.css) == ("<5", "alert")
    assert overdue.url == "/kandidaten/?step=veiligheidsonderzoek&stalled_days=56"


def test_dropout_counts_exits_by_phase_kind_and_reason_but_not_reopened_ones(chain_2025):
    exits = {(d.phase, d.kind, d.reason): d.count for d in DropoutSnapshot.objects.filter(**ALL, **YEAR_2025)}
    assert exits == {
        (Phase.KEURING, TransitionKind.AFWIJZING, "afw-medisch"): 1,
        (Phase.WERVING, TransitionKind.TERUGTREKKING, "trk-andere-baan"): 1,
        (Phase.OPLEIDING, TransitionKind.UITVAL, "uit-blessure"): 1,
        (Phase.WERVING, TransitionKind.TERUGTREKKING, "trk-persoonlijk"): 1,
    }
    # As managers see it: every one of these is a group of fewer than 5.
    assert {str(row["count"]) for row in dropout(ReportFilters(year=2025)).rows} == {"<5"}


def test_dropout_during_initial_training_as_a_rate(chain_2025):
    # Started training in 2025: A, B, E; E dropped out: 1 of 3.
    training = TrainingSnapshot.objects.get(**ALL, **YEAR_2025)
    assert (training.started, training.dropped_out, training.appointed) == (3, 1, 2)


def test_recompute_twice_gives_identical_rows(chain_2025):
    def snapshot():
        return sorted(
            (f.phase, f.period_type, f.period_start, f.track, f.branch, f.gender, f.reached, f.entered)
            for f in FunnelSnapshot.objects.all()
        ) + sorted(
            (t.stage, t.period_type, t.period_start, t.track, t.median_days, t.p90_days)
            for t in LeadTimeSnapshot.objects.all()
        )

    first = snapshot()
    services.report_recompute(as_of=AS_OF)
    assert snapshot() == first


def test_a_failed_recompute_keeps_the_previous_snapshot(chain_2025, monkeypatch):
    from reports import aggregation

    before = CohortSnapshot.objects.count()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(aggregation, "realisation", broken)
    with pytest.raises(RuntimeError):
        services.report_recompute(as_of=AS_OF)
    assert CohortSnapshot.objects.count() == before
    assert ReportRun.objects.order_by("-id").first().status == RunStatus.FAILED


def test_retention_share_still_in_service_after_3_6_and_12_months():
    # Both appointed on 2024-09-04 (applied 2024-01-08, 240 days). R1 leaves on 2025-01-10: 4 whole months.
    r1 = applicant("2024-01-08", [10, 20, 20, 20, 20, 60, 90])
    applicant("2024-01-08", [10, 20, 20, 20, 20, 60, 90])
    leave(r1, TransitionKind.UITSTROOM, "uts-eigen-verzoek", "2025-01-10")
    services.report_recompute(as_of=AS_OF)

    cohort = RetentionSnapshot.objects.get(**ALL, period_type=Granularity.MONTH, period_start=day("2024-09-01"))
    # On 2025-10-01 both were appointed 12 whole months ago: measurable at 3, 6 and 12 months, not at 24.
    assert cohort.appointed == 2
    assert (cohort.measurable_3, cohort.retained_3) == (2, 2)
    assert (cohort.measurable_6, cohort.retained_6) == (2, 1)
    assert (cohort.measurable_12, cohort.retained_12) == (2, 1)
    assert (cohort.measurable_24, cohort.retained_24) == (0, 0)


def test_doorstroom_distribution_after_dienjaar():
    for destination, decided in [
        (Destination.BEROEPSMILITAIR, "2025-03-01"),
        (Destination.BEROEPSMILITAIR, "2025-03-02"),
        (Destination.RESERVIST, "2025-04-01"),
        (Destination.VERTROKKEN, "2025-05-01"),
    ]:
        candidate = applicant("2024-01-15", instroomspoor=track("dienjaar"))
        Doorstroom.objects.create(candidate=candidate, destination=destination, decided_on=day(decided))
    services.report_recompute(as_of=AS_OF)

    counts = {
        d.destination: d.count
        for d in DoorstroomSnapshot.objects.filter(**YEAR_2025, track="dienjaar", branch="", gender="")
    }
    assert counts == {Destination.BEROEPSMILITAIR: 2, Destination.RESERVIST: 1, Destination.VERTROKKEN: 1}


def test_plan_versus_realisation_per_year():
    # Six appointments in 2025 against a plan of 8: 75% realised.
    for _ in range(6):
        applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    PlanFigure.objects.create(year=2025, instroomspoor=track("beroeps"), target=8)
    services.report_recompute(as_of=AS_OF)

    assert RealisationSnapshot.objects.get(year=2025, category="", track="beroeps", branch="").realised == 6
    rows = plan_realisation(ReportFilters(track="beroeps")).rows
    line = [row for row in rows if row["line"].value == "Beroepsmilitair (reguliere sollicitatie)"]
    # Rows realised / plan / % as in the published tables.
    assert [(row["measure"].value, row["2025"].value) for row in line] == [
        ("Gerealiseerd (Instroom)", 6),
        ("Plancijfer", 8),
        ("% gerealiseerd", 0.75),
    ]
    assert str(line[-1]["2025"]) == "75,0%"


def test_forecast_uses_each_steps_conversion_and_median_lead_time():
    # History: P1 and P2 appointed (entered the medische keuring 2025-03-17; appointed 2025-09-03 and 08-24:
    # 170 and 160 days later); P3 rejected in the medische keuring; P4 withdrew in aanmelding.
    applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    applicant("2025-01-06", [20, 10, 10, 30, 20, 40, 100])
    leave(applicant("2025-01-06", [10, 20, 20, 20]), TransitionKind.AFWIJZING, "afw-medisch", "2025-04-01")
    leave(applicant("2025-01-06"), TransitionKind.TERUGTREKKING, "trk-andere-baan", "2025-01-20")
    # Open: O1 in the medische keuring since 2025-08-01, O2 since 2025-06-01, O3 in aanmelding since 2025-09-15.
    applicant("2025-05-23", [10, 20, 20, 20])
    applicant("2025-03-23", [10, 20, 20, 20])
    applicant("2025-09-15")
    services.report_recompute(as_of=AS_OF)

    keuring = ForecastParameter.objects.get(track="beroeps", step=Step.MEDISCHE_KEURING)
    # Closed after entering the medische keuring: P1, P2, P3; appointed P1, P2; median of 170 and 160.
    assert (keuring.closed, keuring.appointed, keuring.median_days) == (3, 2, 165)
    aanmelding = ForecastParameter.objects.get(track="beroeps", step=Step.AANMELDING)
    # Closed: P1 to P4, appointed 2: conversion 1/2; median of 240 and 230 days.
    assert (aanmelding.closed, aanmelding.appointed, aanmelding.median_days) == (4, 2, 235)
    # O2: 2025-06-01 + 165 days = 2025-11-13, before the year ends: counts for 2/3.
    # O1: 2025-08-01 + 165 = 2026-01-13 and O3: 2025-09-15 + 235 = 2026-05-08 fall after it: 0.
    forecast = RealisationSnapshot.objects.get(year=2025, category="", track="beroeps", branch="")
    assert (forecast.realised, forecast.open, forecast.expected) == (2, 3, pytest.approx(0.7))
    # The category line holds the same people: every beroeps candidate is a beroepsmilitair.
    assert RealisationSnapshot.objects.get(year=2025, category="beroepsmilitair", track="", branch="").open == 3
