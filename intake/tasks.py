from celery import shared_task
from django.utils import timezone

from . import privacy, services, taskqueue
from .models import Instroomspoor


@shared_task(base=taskqueue.ReliableTask)
def recount_phase_tally(instroomspoor_id: int | None = None) -> None:
    """Fold one track's journalled changes into its tally (after a change), or recount every track (the nightly
    beat, without an id)."""
    if instroomspoor_id is not None:
        services.phase_tally_fold(instroomspoor_id=instroomspoor_id)
        return
    for pk in Instroomspoor.objects.values_list("pk", flat=True):
        services.phase_tally_recount(instroomspoor_id=pk)


@shared_task(base=taskqueue.ReliableTask)
def dispatch_pending_tasks() -> int:
    return taskqueue.dispatch_pending()


@shared_task(base=taskqueue.ReliableTask)
def anonymise_expired_candidates() -> int:
    return privacy.candidates_anonymise_expired(today=timezone.localdate())
