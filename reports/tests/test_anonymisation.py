import datetime

import pytest
from django.apps import apps

from intake import privacy
from intake.choices import Gender, TransitionKind
from intake.models import Candidate
from reports import services

from .history import applicant, leave

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 1)


def snapshot_rows():
    """Every row of every report snapshot, without the ids a recompute gives anew."""
    rows = {}
    for model in apps.get_app_config("reports").get_models():
        if model.__name__.endswith(("Snapshot", "Parameter")):
            fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
            rows[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return rows


def test_every_report_gives_the_same_numbers_before_and_after_the_avg_purge():
    for index in range(8):
        candidate = applicant(
            "2025-01-06",
            [10, 20, 20, 20, 20, 60, 90][: 1 + index % 6],
            gender=Gender.VROUW if index % 3 else Gender.MAN,
        )
        if index % 2:
            leave(candidate, TransitionKind.TERUGTREKKING, "trk-persoonlijk", "2025-11-03")
    services.report_recompute(as_of=AS_OF)
    before = snapshot_rows()

    purged = privacy.candidates_anonymise_expired(today=datetime.date(2026, 5, 1))

    assert purged > 0 and Candidate.objects.filter(anonymised_at__isnull=False).count() == purged
    services.report_recompute(as_of=AS_OF)
    assert snapshot_rows() == before
