import datetime

import pytest
from django.db.models import Count

from intake import privacy, services
from intake.choices import Gender, Status, TransitionKind
from intake.models import AuditAction, AuditEntry, Candidate, Doorstroom, StatusEvent
from intake.pipeline import TransitionError

from .factories import CandidateFactory, UserFactory, reason

pytestmark = pytest.mark.django_db

CLOSED_ON = datetime.date(2026, 3, 2)


def withdrawn(closed_on=CLOSED_ON, **kwargs):
    candidate = CandidateFactory(applied_on=closed_on - datetime.timedelta(days=30), **kwargs)
    services.candidate_transition(
        candidate_id=candidate.pk,
        expected_version=1,
        kind=TransitionKind.TERUGTREKKING,
        actor=None,
        occurred_at=closed_on,
        reason=reason("trk-persoonlijk"),
        note="Belde zelf af, verhuist naar Zeeland",
    )
    candidate.refresh_from_db()
    return candidate


def statistics():
    """What the reports count: candidates by track, branch, gender and state; events by kind, step and reason."""
    candidates = Candidate.objects.values_list(
        "instroomspoor", "krijgsmachtdeel", "gender", "phase", "status", "applied_on", "step_since"
    ).annotate(n=Count("id"))
    events = StatusEvent.objects.values_list(
        "kind", "to_step", "to_status", "reason", "verdict", "occurred_at"
    ).annotate(n=Count("id"))
    return sorted(candidates.order_by(), key=repr), sorted(events.order_by(), key=repr)


@pytest.mark.parametrize(("days_after", "anonymised"), [(27, False), (28, False), (29, True)])
def test_closed_candidate_is_kept_through_the_retention_period_then_anonymised(settings, days_after, anonymised):
    settings.AVG_RETENTION_DAYS = 28
    candidate = withdrawn()
    assert privacy.candidate_keep_through(candidate) == CLOSED_ON + datetime.timedelta(days=28)

    privacy.candidates_anonymise_expired(today=CLOSED_ON + datetime.timedelta(days=days_after))

    candidate.refresh_from_db()
    assert (candidate.anonymised_at is not None) == anonymised
    assert (candidate.first_name == privacy.ANONYMOUS_NAME) == anonymised


@pytest.mark.parametrize(
    ("consent_days", "today_days", "anonymised"),
    [
        (100, 99, False),
        (100, 100, False),
        (100, 101, True),
    ],
)
def test_recorded_consent_extends_retention_to_its_date(consent_days, today_days, anonymised):
    candidate = withdrawn(closed_on=datetime.date.today() - datetime.timedelta(days=10))
    closed_on = candidate.step_since
    until = closed_on + datetime.timedelta(days=consent_days)
    privacy.candidate_record_retention_consent(
        candidate_id=candidate.pk, expected_version=candidate.version, actor=None, until=until
    )
    privacy.candidates_anonymise_expired(today=closed_on + datetime.timedelta(days=today_days))
    candidate.refresh_from_db()
    assert (candidate.anonymised_at is not None) == anonymised


def test_consent_longer_than_a_year_after_the_end_is_refused():
    candidate = withdrawn(closed_on=datetime.date.today() - datetime.timedelta(days=10))
    with pytest.raises(TransitionError, match="een jaar na het einde"):
        privacy.candidate_record_retention_consent(
            candidate_id=candidate.pk,
            expected_version=candidate.version,
            actor=None,
            until=candidate.step_since + datetime.timedelta(days=366),
        )


def test_anonymisation_erases_personal_fields_keeps_statistics_and_a_second_run_changes_nothing():
    keep = CandidateFactory(gender=Gender.MAN)
    candidate = withdrawn(gender=Gender.VROUW, first_name="Fatima", last_name="Bakker", email="f.bakker@example.nl")
    Doorstroom.objects.create(candidate=keep, destination="beroepsmilitair", decided_on=CLOSED_ON)
    before = statistics()

    assert privacy.candidates_anonymise_expired(today=CLOSED_ON + datetime.timedelta(days=60)) == 1

    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.last_name, candidate.phone, candidate.postcode) == (
        privacy.ANONYMOUS_NAME,
        "",
        "",
        "",
    )
    assert "bakker" not in candidate.email
    assert candidate.birth_date.month == 1 and candidate.birth_date.day == 1
    assert not candidate.events.exclude(note="").exists()
    assert candidate.gender == Gender.VROUW
    assert AuditEntry.objects.filter(action=AuditAction.ANONYMISE, object_id=str(candidate.pk)).count() == 1
    assert statistics() == before

    audit_rows = AuditEntry.objects.count()
    assert privacy.candidates_anonymise_expired(today=CLOSED_ON + datetime.timedelta(days=61)) == 0
    assert AuditEntry.objects.count() == audit_rows
    assert statistics() == before


@pytest.mark.parametrize("status", [Status.LOPEND, Status.IN_DIENST])
def test_candidates_in_procedure_or_in_service_are_never_purged(status):
    candidate = CandidateFactory(applied_on=datetime.date(2024, 1, 1))
    Candidate.objects.filter(pk=candidate.pk).update(status=status)
    assert privacy.candidates_anonymise_expired(today=datetime.date.today()) == 0


def test_data_subject_export_contains_everything_about_the_person_and_is_audited(recruiter):
    candidate = withdrawn(first_name="Sanne")
    Doorstroom.objects.create(candidate=candidate, destination="vertrokken", decided_on=CLOSED_ON)

    export = privacy.candidate_export_personal_data(candidate=candidate, actor=recruiter)

    assert export["kandidaat"]["first_name"] == "Sanne"
    assert [e["kind"] for e in export["statuswijzigingen"]] == ["aanmelding", "terugtrekking"]
    assert export["doorstroom"][0]["destination"] == "vertrokken"
    assert AuditEntry.objects.filter(
        action=AuditAction.DATA_REQUEST, actor=recruiter, object_id=str(candidate.pk)
    ).exists()


def test_erasure_on_request_anonymises_now_and_is_audited(recruiter):
    candidate = withdrawn()
    privacy.candidate_erase(candidate_id=candidate.pk, actor=recruiter)
    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.ERASE, actor=recruiter).exists()


def test_erasure_of_a_candidate_in_procedure_is_refused_until_withdrawn():
    candidate = CandidateFactory(first_name="Noor")
    with pytest.raises(TransitionError, match="terugtrekking"):
        privacy.candidate_erase(candidate_id=candidate.pk, actor=None)
    candidate.refresh_from_db()
    assert candidate.first_name == "Noor"


def test_beheerder_downloads_the_data_subject_export_and_erases_from_the_candidate_page(client, beheerder):
    candidate = withdrawn(first_name="Iris")
    client.force_login(beheerder)

    page = client.get(f"/kandidaten/{candidate.pk}/").content.decode()
    assert "Inzageverzoek" in page and "bewaard tot en met" in page
    export = client.get(f"/kandidaten/{candidate.pk}/inzage/")
    assert export.json()["kandidaat"]["first_name"] == "Iris"
    assert "attachment" in export["Content-Disposition"]

    client.post(f"/kandidaten/{candidate.pk}/wissen/")
    candidate.refresh_from_db()
    assert candidate.first_name == privacy.ANONYMOUS_NAME


@pytest.mark.parametrize("persona", ["recruiter", "manager"])
def test_only_beheerders_handle_data_requests(client, request, persona):
    user = request.getfixturevalue(persona)
    candidate = withdrawn()
    client.force_login(user)
    assert client.get(f"/kandidaten/{candidate.pk}/inzage/").status_code == 403
    assert client.post(f"/kandidaten/{candidate.pk}/wissen/").status_code == 403
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None


def test_viewing_a_candidate_page_is_audited(client, recruiter):
    candidate = CandidateFactory()
    client.force_login(recruiter)
    client.get(f"/kandidaten/{candidate.pk}/", REMOTE_ADDR="192.0.2.7")
    viewed = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (viewed.actor, viewed.object_id, viewed.address) == (recruiter, str(candidate.pk), "192.0.2.7")


def test_recruiter_records_consent_on_the_candidate_page(client, recruiter):
    candidate = withdrawn(closed_on=datetime.date.today() - datetime.timedelta(days=3))
    client.force_login(recruiter)
    until = datetime.date.today() + datetime.timedelta(days=200)
    client.post(f"/kandidaten/{candidate.pk}/toestemming/", {"until": until.isoformat(), "version": candidate.version})
    candidate.refresh_from_db()
    assert candidate.retention_consent_until == until


def test_the_admin_searches_candidates_by_number_only_so_names_stay_out_of_its_urls(client):
    client.force_login(UserFactory(username="beheer", is_staff=True, is_superuser=True))
    sanne = CandidateFactory(first_name="Sanne", last_name="de Vries")
    CandidateFactory(first_name="Piet", last_name="Jansen")
    by_number = client.get("/beheer/intake/candidate/", {"q": sanne.number}).context["cl"].result_list
    by_name = client.get("/beheer/intake/candidate/", {"q": "Vries"}).context["cl"].result_list
    assert (list(by_number), list(by_name)) == ([sanne], [])
