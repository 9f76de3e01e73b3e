"""Reports read from the replica when one is configured; everything else, and every write, uses the primary."""

import pytest
from django.conf import settings

from defensie.routers import ReportsReplicaRouter
from intake.models import Candidate
from reports.models import FunnelSnapshot, LeadTimeSnapshot, ReportRun


@pytest.fixture
def with_replica(monkeypatch):
    # Only the router looks at it: no test opens a connection to this alias.
    monkeypatch.setitem(settings.DATABASES, "replica", {})


def test_snapshot_reads_go_to_the_replica(with_replica):
    router = ReportsReplicaRouter()
    assert router.db_for_read(FunnelSnapshot) == "replica"
    assert router.db_for_read(LeadTimeSnapshot) == "replica"
    assert router.db_for_write(FunnelSnapshot) is None


def test_runs_candidates_and_migrations_stay_on_the_primary(with_replica):
    router = ReportsReplicaRouter()
    assert router.db_for_read(ReportRun) is None
    assert router.db_for_read(Candidate) is None
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is True


def test_without_a_replica_everything_reads_from_the_primary():
    assert ReportsReplicaRouter().db_for_read(FunnelSnapshot) is None
