from celery import shared_task
from django.utils import timezone

from . import privacy, services, taskqueue
from .models import Instroomspoor


@shared_task(base=taskqueue.ReliableTask)
def recount_phase_tally(instroomspoor_id: int | None = None) -> None:
    """Recount one track, or every track when called by the nightly beat without an id."""
    ids = [instroomspoor_id] if instroomspoor_id else Instroomspoor.objects.values_list("pk", flat=True)
    for pk in ids:
        taskqueue.started(recount_phase_tally, pk)
        services.phase_tally_recount(instroomspoor_id=pk)


@shared_task(base=taskqueue.ReliableTask)
def dispatch_pending_tasks() -> int:
    return taskqueue.dispatch_pending()


@shared_task(base=taskqueue.ReliableTask)
def anonymise_expired_candidates() -> int:
    return privacy.candidates_anonymise_expired(today=timezone.localdate())
