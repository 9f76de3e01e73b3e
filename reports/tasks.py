from celery import shared_task

from . import services


@shared_task
def recompute_reports(run_id: int | None = None) -> None:
    """Recompute all report snapshots: queued from the dashboard with a run id, nightly by beat without one."""
    services.report_recompute(run_id=run_id)
