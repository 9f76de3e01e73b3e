import datetime

import pytest

from intake import services
from intake.choices import TransitionKind
from intake.exports import csv_rows
from intake.models import AuditAction, AuditEntry

from .factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_change_and_transition_each_leave_an_audit_row_with_identifiers_only(recruiter):
    candidate = CandidateFactory(actor=recruiter, first_name="Jelle", email="jelle@example.nl")
    services.candidate_update(candidate_id=candidate.pk, expected_version=1, actor=recruiter, phone="0611111111")
    services.candidate_transition(
        candidate_id=candidate.pk,
        expected_version=2,
        actor=recruiter,
        kind=TransitionKind.DOORZETTEN,
        occurred_at=datetime.date.today(),
    )

    rows = list(AuditEntry.objects.order_by("id").values_list("actor", "action", "object_type", "object_id"))
    assert rows == [
        (recruiter.pk, AuditAction.CREATE, "intake.candidate", str(candidate.pk)),
        (recruiter.pk, AuditAction.CHANGE, "intake.candidate", str(candidate.pk)),
        (recruiter.pk, AuditAction.TRANSITION, "intake.candidate", str(candidate.pk)),
    ]
    assert AuditEntry.objects.get(action=AuditAction.CHANGE).detail == {"fields": ["phone"]}
    dumped = str(list(AuditEntry.objects.values()))
    assert "Jelle" not in dumped and "jelle@example.nl" not in dumped and "0611111111" not in dumped


def test_audit_rows_cannot_be_changed_or_deleted(recruiter):
    CandidateFactory(actor=recruiter)
    entry = AuditEntry.objects.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_reading_and_exporting_the_audit_trail_is_itself_audited_with_the_address(client):
    admin = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    CandidateFactory(actor=admin)

    response = client.get("/beheer/intake/auditentry/?action=create", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    viewed = AuditEntry.objects.get(action=AuditAction.AUDIT_VIEW)
    assert (viewed.actor, viewed.address) == (admin, "10.1.2.3")

    ids = list(AuditEntry.objects.values_list("pk", flat=True))
    response = client.post("/beheer/intake/auditentry/", {"action": "export_csv", "_selected_action": ids})
    assert response["Content-Type"].startswith("text/csv")
    assert b"audit_view" in b"".join(response.streaming_content)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=admin).exists()


@pytest.mark.parametrize("dangerous", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"])
def test_exported_cells_that_a_spreadsheet_would_execute_are_neutralised(dangerous):
    lines = list(csv_rows(["naam"], [[dangerous], ["Veilig"]]))
    assert lines[2].startswith("'" + dangerous[0])
    assert lines[3].strip() == "Veilig"
