import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "defensie.settings")

app = Celery("defensie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code so that it is reviewed like code.
app.conf.beat_schedule = {
    "recount-phase-tally-nightly": {
        "task": "intake.tasks.recount_phase_tally",
        "schedule": crontab(hour=2, minute=0),
    },
    "dispatch-pending-tasks": {
        "task": "intake.tasks.dispatch_pending_tasks",
        "schedule": 60.0,
    },
    "avg-anonymise-expired-candidates": {
        "task": "intake.tasks.anonymise_expired_candidates",
        "schedule": crontab(hour=3, minute=0),
    },
}
