"""The candidate list as a streamed CSV download."""

import pytest

from intake.choices import Step
from intake.models import AuditAction, AuditEntry

from .factories import CandidateFactory, track
from .test_transitions import advance_to

pytestmark = pytest.mark.django_db


def lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_export_streams_the_filtered_candidates_the_user_may_see(client, recruiter):
    in_selectie = advance_to(CandidateFactory(last_name="Visser"), Step.PSYCHOLOGISCH_ONDERZOEK)
    CandidateFactory(last_name="Smit")
    CandidateFactory(last_name="Bakker", instroomspoor=track("nwt"))
    client.force_login(recruiter)
    response = client.get("/kandidaten/export.csv", {"phase": "selectie"})
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="kandidaten.csv"'
    header, *rows = lines(response)
    assert header.startswith("nummer;voornaam;achternaam;instroomspoor")
    assert [row.split(";")[:3] for row in rows] == [[in_selectie.number, in_selectie.first_name, "Visser"]]


def test_export_of_everything_excludes_other_tracks_and_is_audited(client, recruiter):
    ours = [CandidateFactory(), CandidateFactory()]
    CandidateFactory(instroomspoor=track("nwt"))
    client.force_login(recruiter)
    rows = lines(client.get("/kandidaten/export.csv"))[1:]
    assert [row.split(";")[0] for row in rows] == [c.number for c in ours]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == recruiter and entry.object_type == "intake.candidate"


def test_export_needs_a_login(client):
    response = client.get("/kandidaten/export.csv")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
