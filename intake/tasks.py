from celery import shared_task

from . import services
from .models import Instroomspoor


@shared_task
def recount_phase_tally(instroomspoor_id: int | None = None) -> None:
    """Recount one track, or every track when called by the nightly beat without an id."""
    ids = [instroomspoor_id] if instroomspoor_id else Instroomspoor.objects.values_list("pk", flat=True)
    for pk in ids:
        services.phase_tally_recount(instroomspoor_id=pk)
