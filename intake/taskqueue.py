"""Reliable hand-off of work to Celery.

Tasks are sent only after the transaction that asked for them committed (a worker must never look for rows
that are not there yet). If the broker is unreachable the change is not lost or refused: the task is parked as
a PendingTask row and `dispatch_pending_tasks` (beat, every minute) sends it when the broker is back. A task that
keeps failing retries with exponential backoff and jitter, then lands in DeadLetter.
"""

import logging

from celery import Task, current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import OperationalError

from .models import DeadLetter, PendingTask

logger = logging.getLogger(__name__)


class ReliableTask(Task):
    autoretry_for = (Exception,)
    retry_backoff = 2
    retry_backoff_max = settings.TASK_RETRY_BACKOFF_MAX
    retry_jitter = True
    max_retries = settings.TASK_MAX_RETRIES
    acks_late = True
    reject_on_worker_lost = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once the retries are exhausted (a retry itself does not count as a failure).
        DeadLetter.objects.create(
            task_name=self.name,
            task_id=task_id or "",
            args=list(args),
            kwargs=dict(kwargs),
            error=f"{exc!r}\n\n{einfo}"[:20_000],
            retries=self.request.retries,
        )


def enqueue_on_commit(task: Task, *args) -> None:
    transaction.on_commit(lambda: send(task.name, list(args)))


def enqueue_coalesced_on_commit(task: Task, *args, seconds: int) -> None:
    """Like `enqueue_on_commit`, for a task that catches up on everything written before it runs (a fold of a
    journal): at most one is sent per `seconds` for the same arguments. Under load this spares a broker message
    per change, which cost more than the change itself. What is written after the task ran waits for the next
    one, so readers must not rely on the task having run. It is sent at once, not delayed until the end of the
    window: a worker holding delayed tasks loses them to a broker restart."""
    key = f"coalesced-task:{task.name}:{':'.join(map(str, args))}"

    def send_unless_sent():
        # `add` answers False only when the key is there; an unreachable cache answers None (IGNORE_EXCEPTIONS),
        # and then the task is sent (or parked) as an uncoalesced one would be.
        if cache.add(key, 1, timeout=seconds) is not False:
            send(task.name, list(args))

    transaction.on_commit(send_unless_sent)


def send(task_name: str, args: list) -> bool:
    """Hand a task to the broker now; park it as a PendingTask if the broker cannot be reached."""
    try:
        current_app.tasks[task_name].apply_async(args=args, retry=False)
    except (OperationalError, ConnectionError, OSError) as error:
        logger.warning("Broker unreachable; task %s parked for later: %s", task_name, error)
        PendingTask.objects.create(task_name=task_name, args=args, last_error=str(error)[:500])
        return False
    return True


def dispatch_pending() -> int:
    """Send the parked tasks, oldest first; stops at the first one the broker still refuses. Returns how many
    were sent."""
    sent = 0
    for pending in PendingTask.objects.order_by("id").iterator():
        with transaction.atomic():
            # Two dispatchers running at once must not both send the same task: skip rows another one holds.
            row = PendingTask.objects.select_for_update(skip_locked=True).filter(pk=pending.pk).first()
            if row is None:
                continue
            try:
                current_app.tasks[row.task_name].apply_async(args=row.args, retry=False)
            except (OperationalError, ConnectionError, OSError) as error:
                PendingTask.objects.filter(pk=row.pk).update(last_error=str(error)[:500])
                break
            row.delete()
            sent += 1
    return sent
