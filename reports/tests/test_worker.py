import datetime
import os
import signal
import subprocess

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from conftest import wait_until
from intake import taskqueue
from reports import services
from reports.choices import RunStatus
from reports.models import FunnelSnapshot, ReportRun

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


@pytest.mark.worker
def test_with_redis_stopped_the_dashboard_says_its_figures_may_be_stale_until_it_returns(
    transactional_db, celery_worker, redis_server, client, manager
):
    applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    client.force_login(manager)
    redis_server.stop()

    client.post(reverse("reports:recompute"))  # accepted: the run waits for the broker

    assert "niet bereikbaar" in client.get("/rapportages/").content.decode()
    redis_server.start()
    taskqueue.dispatch_pending()
    wait_until(lambda: ReportRun.objects.filter(status=RunStatus.SUCCEEDED).exists(), timeout=60)
    assert "niet bereikbaar" not in client.get("/rapportages/").content.decode()


def _pool_children(worker):
    found = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


@pytest.mark.worker
def test_a_worker_killed_mid_recompute_leaves_the_previous_snapshot_and_the_run_completes_after(
    transactional_db, celery_worker, client, manager
):
    for _ in range(5):
        applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    services.report_recompute(as_of=datetime.date(2026, 6, 1))
    before = list(FunnelSnapshot.objects.order_by("pk").values_list("reached", flat=True))
    for _ in range(5):
        applicant("2025-02-03", [10, 20])

    # Hold the snapshot write lock from another connection, so the worker's run stops right before it writes.
    holder = psycopg.connect(**_connection_params(), autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", [services.WRITE_LOCK_ID])
    try:
        client.force_login(manager)
        client.post(reverse("reports:recompute"))
        run = wait_until(lambda: ReportRun.objects.filter(stage="Opslaan").first(), timeout=60)
        for pid in _pool_children(celery_worker):
            os.kill(pid, signal.SIGKILL)

        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING
        assert list(FunnelSnapshot.objects.order_by("pk").values_list("reached", flat=True)) == before
    finally:
        holder.execute("SELECT pg_advisory_unlock(%s)", [services.WRITE_LOCK_ID])
        holder.close()

    # The message was not acknowledged: the worker's new pool process runs the same run again, to the end.
    wait_until(lambda: ReportRun.objects.filter(pk=run.pk, status=RunStatus.SUCCEEDED).exists(), timeout=90)
    assert list(FunnelSnapshot.objects.values_list("reached", flat=True)) != before


def _connection_params():
    db = connection.settings_dict
    return {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": db["NAME"]}
