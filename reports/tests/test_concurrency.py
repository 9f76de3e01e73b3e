import threading

import pytest
from django.db import connection

from reports import services
from reports.choices import RunStatus
from reports.models import CohortSnapshot, ReportRun

from .history import applicant, day


def test_two_recomputes_at_once_replace_the_snapshot_one_after_the_other(transactional_db):
    """The nightly run and a button press may overlap; without the write lock the second insert would collide
    with the first one's rows on the unique constraints."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time anyway")
    applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    applicant("2025-02-03", [5])
    errors = []

    def recompute():
        try:
            services.report_recompute(as_of=day("2025-10-01"))
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=recompute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert set(ReportRun.objects.values_list("status", flat=True)) == {RunStatus.SUCCEEDED}
    total = CohortSnapshot.objects.get(track="", branch="", gender="", period_type="year")
    assert total.applied == 2
