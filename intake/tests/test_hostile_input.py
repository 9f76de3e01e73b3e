"""Malformed, oversized, out-of-range and hostile input gets a clear answer and changes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Candidate, StatusEvent

from .factories import CandidateFactory

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "<script>alert('x')</script>",
            '"><img src=x onerror=alert(1)>',
            "=cmd|' /C calc'!A0",
            "+31612345678",
            "@SUM(A1:A9)",
            "0001-01-01",
            "9999-12-31",
            "31-02-2025",
            "-1",
            "1e309",
            "NaN",
            "\u202egnp.exe",
            "ǅ𝔘𝔫𝔦𝔠𝔬𝔡𝔢🙂",
            "x" * 5000,
            "Robert'); DROP TABLE intake_candidate;--",
            "\x00",
            " ",
            "",
        ]
    ),
)
FIELDS = [
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "postcode",
    "gender",
    "instroomspoor",
    "krijgsmachtdeel",
    "application_type",
    "function_title",
    "source",
    "applied_on",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries(dict.fromkeys(FIELDS, HOSTILE)))
def test_new_candidate_form_never_fails_on_hostile_input(client, recruiter, values):
    client.force_login(recruiter)
    before = Candidate.objects.count()
    response = client.post("/kandidaten/nieuw/", values)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Candidate.objects.count() == before
        assert "niet aangemaakt" in response.content.decode() or "bestaat mogelijk al" in response.content.decode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.fixed_dictionaries(
        dict.fromkeys(["kind", "to_step", "verdict", "reason", "note", "occurred_at", "version"], HOSTILE)
    )
)
def test_transition_form_never_fails_on_hostile_input(client, recruiter, values):
    candidate = CandidateFactory()
    client.force_login(recruiter)
    response = client.post(f"/kandidaten/{candidate.pk}/overgang/", values)
    assert response.status_code < 500
    assert StatusEvent.objects.filter(candidate=candidate).count() == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message(client, recruiter, day):
    candidate = CandidateFactory()
    client.force_login(recruiter)
    response = client.post(
        f"/kandidaten/{candidate.pk}/overgang/",
        {"kind": "doorzetten", "occurred_at": day, "version": candidate.version},
    )
    assert response.status_code in (200, 400, 409)
    assert candidate.events.count() == 1


def test_script_in_a_name_is_shown_as_text(client, recruiter):
    candidate = CandidateFactory(first_name="<script>alert(1)</script>")
    client.force_login(recruiter)
    page = client.get(f"/kandidaten/{candidate.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_oversized_request_is_refused_before_it_is_read(client, recruiter, settings):
    client.force_login(recruiter)
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post("/kandidaten/nieuw/", {"first_name": "x" * 4096})
    assert response.status_code == 413
    assert "te groot" in response.content.decode()
    assert not Candidate.objects.exists()


def test_an_import_file_larger_than_the_limit_is_refused(client, recruiter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(recruiter)
    upload = SimpleUploadedFile("groot.csv", b"a;b\n" * (700 * 1024), content_type="text/csv")
    response = client.post("/kandidaten/importeren/", {"file": upload, "instroomspoor": "beroeps"})
    assert response.status_code == 200
    assert "groter dan 2 MB" in response.content.decode()
    assert not Candidate.objects.exists()
