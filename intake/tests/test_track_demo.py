"""The track extensions of `seed_demo`: every participant of Dienjaar, NWT and Defensity College gets track
data that the track rules accept, and the outcomes resemble the published figures."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from dienjaar import rules as dienjaar_rules
from dienjaar.models import DienjaarDeelname
from intake import demo
from intake.choices import Destination, Phase, Status
from intake.models import Candidate, DefensityStudent, Doorstroom
from intake.selectors import with_started_on
from nwt.models import NwtDeelname

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 1)


def track_rows(seed):
    with transaction.atomic():
        call_command("seed_demo", candidates=500, seed=seed, today=TODAY, stdout=None)
        rows = [
            list(
                DienjaarDeelname.objects.order_by("candidate_id").values_list(
                    "variant", "desired_start", "completed_on"
                )
            ),
            list(NwtDeelname.objects.order_by("candidate_id").values_list("school__name", "participation", "unit")),
            list(DefensityStudent.objects.order_by("candidate_id").values_list("institution", "study", "ended_on")),
            list(Doorstroom.objects.order_by("candidate_id").values_list("destination", "decided_on")),
        ]
        transaction.set_rollback(True)
    return rows


def test_track_demo_data_is_deterministic_for_a_seed():
    first = track_rows(5)
    assert first == track_rows(5)
    assert first != track_rows(6)


def test_track_demo_data_is_the_same_when_a_second_process_simulates_the_candidates(monkeypatch):
    # The extensions draw from the random generator after the candidates: it must be where the simulation left it.
    in_one_batch = track_rows(5)
    monkeypatch.setattr(demo, "_CHUNK", 150)
    assert track_rows(5) == in_one_batch


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", candidates=4000, seed=21, today=TODAY, stdout=None)
        yield
        transaction.set_rollback(True)


def test_every_participant_has_track_data(seeded):
    for code, relation in [("dienjaar", "dienjaar"), ("nwt", "nwt"), ("defensity", "defensity")]:
        assert not Candidate.objects.filter(instroomspoor__code=code, **{f"{relation}__isnull": True}).exists()


def test_every_dienjaar_participant_is_eligible_at_the_start(seeded):
    started = {c.pk: c.started_on for c in with_started_on(Candidate.objects.filter(instroomspoor__code="dienjaar"))}
    for deelname in DienjaarDeelname.objects.select_related("candidate"):
        start = started[deelname.candidate_id] or deelname.desired_start
        dienjaar_rules.check_eligibility(deelname, birth_date=deelname.candidate.birth_date, start=start)
    assert DienjaarDeelname.objects.filter(variant="specialistisch").exists()


def test_doorstroom_follows_completion_and_resembles_the_published_shares(seeded):
    completed = DienjaarDeelname.objects.filter(completed_on__isnull=False)
    outcomes = Doorstroom.objects.filter(candidate__instroomspoor__code="dienjaar")
    assert set(outcomes.values_list("candidate_id", flat=True)) == set(completed.values_list("candidate_id", flat=True))
    stays = outcomes.exclude(destination=Destination.VERTROKKEN).count() / outcomes.count()
    assert 0.45 < stays < 0.75  # about 60% stays with Defensie
    leavers = outcomes.filter(destination=Destination.VERTROKKEN).values_list("candidate_id", flat=True)
    assert not Candidate.objects.filter(pk__in=leavers).exclude(status=Status.UITGESTROOMD).exists()
    nwt_appointed = Candidate.objects.filter(instroomspoor__code="nwt", phase=Phase.AANGESTELD)
    assert Doorstroom.objects.filter(destination=Destination.RESERVIST, candidate__in=nwt_appointed).count() == (
        nwt_appointed.count()
    )


def test_nwt_participants_of_2025_are_at_the_first_seven_schools(seeded):
    schools = NwtDeelname.objects.filter(candidate__applied_on__year=2025, school__isnull=False)
    assert 0 < schools.values("school").distinct().count() <= 7
    assert not schools.filter(school__partner_since__year=2026).exists()
