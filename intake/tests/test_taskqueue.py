import pytest
from django.test import Client

from conftest import wait_until
from intake import taskqueue
from intake.models import DeadLetter, PendingTask, PhaseTally
from intake.tasks import recount_phase_tally

from .factories import PASSWORD, CandidateFactory, track

pytestmark = pytest.mark.worker


def test_with_redis_stopped_changes_are_saved_and_the_work_is_caught_up_when_it_returns(
    transactional_db, celery_worker, redis_server, recruiter
):
    redis_server.stop()
    candidate = CandidateFactory()  # the registration commits although its follow-up task cannot be sent
    client = Client()
    assert client.post("/inloggen/", {"username": recruiter.username, "password": PASSWORD}).status_code == 302

    assert candidate.events.count() == 1
    assert list(PendingTask.objects.values_list("task_name", "args")) == [
        ("intake.tasks.recount_phase_tally", [track("beroeps").pk])
    ]
    assert not PhaseTally.objects.exists()

    redis_server.start()
    assert taskqueue.dispatch_pending() == 1

    assert wait_until(lambda: PhaseTally.objects.filter(instroomspoor=track("beroeps"), count=1).exists())
    assert not PendingTask.objects.exists()


def test_dispatch_stops_at_the_first_refusal_and_keeps_the_rest(transactional_db, redis_server):
    PendingTask.objects.create(task_name="intake.tasks.recount_phase_tally", args=[1])
    redis_server.stop()
    assert taskqueue.dispatch_pending() == 0
    assert PendingTask.objects.get().last_error


def test_a_task_that_keeps_failing_ends_in_the_dead_letter_table(transactional_db, celery_worker):
    recount_phase_tally.delay("geen-getal")

    letter = wait_until(lambda: DeadLetter.objects.first(), timeout=30)
    assert letter.task_name == "intake.tasks.recount_phase_tally"
    assert letter.args == ["geen-getal"]
    assert letter.retries == 2
    assert "ValueError" in letter.error
