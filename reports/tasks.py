from celery import shared_task

from intake.taskqueue import ReliableTask

from . import services


@shared_task(base=ReliableTask)
def recompute_reports(run_id: int | None = None) -> None:
    """Recompute all report snapshots: queued from the dashboard with a run id, nightly by beat without one."""
    services.report_recompute(run_id=run_id)
