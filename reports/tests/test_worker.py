import pytest
from django.urls import reverse

from conftest import wait_until
from reports.choices import RunStatus
from reports.models import ReportRun

from .history import applicant


@pytest.mark.worker
def test_recompute_button_runs_in_the_real_worker_and_the_dashboard_shows_the_result(
    transactional_db, celery_worker, client, manager
):
    for _ in range(5):
        applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    client.force_login(manager)

    client.post(reverse("reports:recompute"))

    run = wait_until(lambda: ReportRun.objects.filter(status=RunStatus.SUCCEEDED).first(), timeout=60)
    assert run.requested_by == manager and run.stages_done == run.stages_total
    response = client.get("/rapportages/", {"year": 2025})
    funnel = {row["phase"].value: row for row in response.context["reports"]["trechter"].rows}
    assert funnel["Aangesteld"]["reached"].value == 5
    assert response.context["run"] == run
    assert "Cijfers berekend op" in response.content.decode()
