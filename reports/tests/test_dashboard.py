import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from intake.choices import Phase, TransitionKind
from intake.models import Reason
from reports import services
from reports.choices import Granularity, RunStatus
from reports.models import DropoutSnapshot, ReportRun

from .history import applicant, day, leave

pytestmark = pytest.mark.django_db

AS_OF = day("2025-10-01")
DASHBOARD = "/rapportages/"


def history(size):
    """`size` candidates of 2025: every one appointed, a few of them in the KM as well."""
    for n in range(size):
        candidate = applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
        if n % 3 == 0:
            leave(candidate, TransitionKind.UITSTROOM, "uts-eigen-verzoek", "2025-09-20")
    services.report_recompute(as_of=AS_OF)


def test_dashboard_shows_the_figures_to_a_manager_with_the_time_of_the_last_run(client, manager):
    history(6)
    client.force_login(manager)
    response = client.get(DASHBOARD, {"year": 2025, "granularity": Granularity.QUARTER})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cijfers berekend op" in html
    assert "Trechter 2025" in html
    funnel = {row["phase"].value: row for row in response.context["reports"]["trechter"].rows}
    assert funnel["Aangesteld"]["reached"].value == 6
    # The drill-down goes to the candidate list of those still in the phase, with the same cohort.
    assert funnel["Werving"]["phase"].url == (
        "/kandidaten/?phase=werving&applied_after=2025-01-01&applied_before=2025-12-31"
    )
    assert 'id="report-charts"' in html and "<script>" not in html


def test_dashboard_is_for_managers_and_beheerders_only(client, recruiter, beheerder):
    assert client.get(DASHBOARD).status_code == 302
    client.force_login(recruiter)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get("/rapportages/export/trechter.csv").status_code == 403
    assert client.post(reverse("reports:recompute")).status_code == 403
    client.force_login(beheerder)
    assert client.get(DASHBOARD).status_code == 200


def test_dashboard_before_any_run_says_so(client, manager):
    client.force_login(manager)
    response = client.get(DASHBOARD)
    assert "De cijfers zijn nog niet berekend." in response.content.decode()


def test_dashboard_says_when_the_last_recompute_failed_and_keeps_the_previous_figures(client, manager):
    history(5)
    ReportRun.objects.create(status=RunStatus.FAILED, error="database went away")
    client.force_login(manager)
    html = client.get(DASHBOARD, {"year": 2025}).content.decode()
    assert "De laatste herberekening is mislukt; de vorige cijfers blijven staan." in html
    assert "Cijfers berekend op" in html


def test_invalid_filters_fall_back_to_all_instead_of_failing(client, manager):
    client.force_login(manager)
    response = client.get(DASHBOARD, {"year": "1800", "instroomspoor": "bestaat-niet", "granularity": "eeuw"})
    assert response.status_code == 200
    assert response.context["filters"].track == ""
    assert "Selecteer een geldige keuze" in response.content.decode()


@pytest.mark.parametrize("size", [5, 15])
def test_dashboard_reads_a_fixed_number_of_queries_whatever_the_number_of_rows(
    client, manager, size, django_assert_num_queries
):
    history(size)
    client.force_login(manager)
    # 1 session, 2 user, 3 the user's permissions, own and of groups (cached for the request: may view
    # reports, may see candidates, the menu), 4 last successful run; then per report: funnel, cohorts and flow
    # 3 each (funnel, cohort and retention snapshots, protected together): 5-13; 14 lead times, 15 ageing,
    # 16 reason labels and 17 dropout, 18 training, 19 plan lines and 20 their realisations, 21 tracks and
    # 22 realisations and 23 plan figures of the forecast, 24-26 retention (the same three as the funnel),
    # 27 doorstroom track names and 28 its snapshots; 29 parked tasks (are the figures stale?), 30 latest run;
    # 31 tracks and 32 branches for the filters.
    with django_assert_num_queries(32):
        response = client.get(DASHBOARD, {"year": 2025})
    assert response.status_code == 200


def test_recompute_button_queues_one_run_and_says_so(client, manager):
    client.force_login(manager)
    response = client.post(reverse("reports:recompute"), follow=True)
    assert "De herberekening is gestart." in response.content.decode()
    response = client.post(reverse("reports:recompute"), follow=True)
    assert "Er loopt al een herberekening" in response.content.decode()
    run = ReportRun.objects.get()
    assert (run.status, run.requested_by) == (RunStatus.QUEUED, manager)
    progress = client.get(reverse("reports:progress")).json()
    assert progress["status"] == RunStatus.QUEUED


def test_csv_export_is_the_table_as_shown(client, manager):
    history(6)
    client.force_login(manager)
    response = client.get("/rapportages/export/cohorten.csv", {"year": 2025, "granularity": Granularity.YEAR})
    assert response["Content-Disposition"].startswith('attachment; filename="cohorten-2025-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Aangemeld in;Aangemeld;Aanstelbaar;Aandeel aanstelbaar;Aangesteld;Conversie;Nog in proces"
    assert lines[1] == "2025 totaal;6;6;100,0%;6;100,0%;0"


def test_xlsx_export_opens_with_numbers_and_neutralises_formulas(client, manager):
    ReportRun.objects.create(status=RunStatus.SUCCEEDED)
    Reason.objects.create(kind=TransitionKind.AFWIJZING, code="formule", label='=HYPERLINK("http://x")')
    DropoutSnapshot.objects.create(
        track="",
        branch="",
        gender="",
        period_type=Granularity.YEAR,
        period_start=day("2025-01-01"),
        phase=Phase.WERVING,
        kind=TransitionKind.AFWIJZING,
        reason="formule",
        count=7,
    )
    client.force_login(manager)
    response = client.get("/rapportages/export/uitval.xlsx", {"year": 2025})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Fase", "Soort", "Reden", "Aantal"]
    assert [c.value for c in sheet[2]] == ["Werving", "Afwijzen", '\'=HYPERLINK("http://x")', 7]
    csv = client.get("/rapportages/export/uitval.csv", {"year": 2025}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


def test_unknown_export_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/rapportages/export/geheim.csv").status_code == 404
    assert client.get("/rapportages/export/trechter.pdf").status_code == 404


def test_managers_may_maintain_plan_figures_in_the_admin(client, manager):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    response = client.get("/beheer/reports/planfigure/")
    assert response.status_code == 200
    # The published figures are there from the start: e.g. the beroepsmilitair target for 2025.
    assert "6969" in response.content.decode().replace(".", "")


def test_a_run_whose_worker_died_long_ago_no_longer_shows_as_running(client, manager):
    run = ReportRun.objects.create(status=RunStatus.RUNNING, stage="Doorlooptijden")
    ReportRun.objects.filter(pk=run.pk).update(created_at=run.created_at - datetime.timedelta(hours=3))
    client.force_login(manager)
    assert "Herberekening bezig" not in client.get(DASHBOARD).content.decode()
    response = client.post(reverse("reports:recompute"), follow=True)
    assert "De herberekening is gestart." in response.content.decode()


def test_figures_older_than_a_day_are_flagged_as_stale(client, manager):
    history(5)
    ReportRun.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=30))
    client.force_login(manager)
    response = client.get(DASHBOARD)
    assert "ouder dan een dag" in response.content.decode()
