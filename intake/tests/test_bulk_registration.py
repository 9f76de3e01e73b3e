"""Bulk registration (the CSV import's writer) stores exactly what registering one candidate at a time stores."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from intake import bulk_write, services
from intake.audit import audit_values
from intake.choices import Gender, Source
from intake.models import AuditAction, AuditEntry, Candidate, StatusEvent

from .factories import CandidateFactory, branch, track

pytestmark = pytest.mark.django_db

# What may differ between two registrations of the same data: identity, the moment of writing and the person.
VOLATILE = {"id", "candidate_id", "object_id", "created_at", "updated_at", "recorded_at", "at", "email", "last_name"}


POSTCODE_MESSAGE = "Vul een Nederlandse postcode in, zoals 1234 AB."


def registration(last_name):
    return {
        "first_name": "Sanne",
        "last_name": last_name,
        "birth_date": datetime.date(2005, 5, 17),
        "email": f"{last_name.lower()}@school.nl",
        "phone": "0612345678",
        "postcode": "3511 AB",
        "gender": Gender.VROUW,
        "krijgsmachtdeel": branch("KL"),
        "application_type": "open",
        "function_title": "",
        "source": Source.SCHOOL,
        "instroomspoor": track("nwt"),
        "applied_on": datetime.date.today() - datetime.timedelta(days=30),
    }


def rows(model, **lookup):
    return [
        {name: value for name, value in row.items() if name not in VOLATILE}
        for row in model.objects.filter(**lookup).values()
    ]


def test_bulk_registration_writes_the_rows_events_and_audit_of_single_registration(other_track_recruiter):
    one = services.candidate_register(actor=other_track_recruiter, **registration("Enkel"))
    first, second = services.candidates_register(
        actor=other_track_recruiter, registrations=[registration("Bulk"), registration("Tweede")]
    )

    assert [c.pk for c in Candidate.objects.filter(last_name__in=["Bulk", "Tweede"]).order_by("pk")] == [
        first.pk,
        second.pk,
    ]
    assert rows(Candidate, pk=first.pk) == rows(Candidate, pk=one.pk)
    assert rows(StatusEvent, candidate=first) == rows(StatusEvent, candidate=one)
    assert rows(AuditEntry, object_id=str(first.pk)) == rows(AuditEntry, object_id=str(one.pk))
    stored = Candidate.objects.get(pk=first.pk)
    assert stored.created_at and stored.updated_at and stored.events.get().kind == "aanmelding"
    assert AuditEntry.objects.get(object_id=str(second.pk)).actor == other_track_recruiter


def test_bulk_registration_refuses_all_and_names_the_field_of_each_error(other_track_recruiter):
    bad = {**registration("Fout"), "postcode": "12345"}
    with pytest.raises(services.RegistrationErrors) as refused:
        services.candidates_register(actor=other_track_recruiter, registrations=[registration("Goed"), bad])
    assert refused.value.errors == {1: {"postcode": [POSTCODE_MESSAGE]}}
    assert not Candidate.objects.exists()


def test_bulk_registration_checks_a_repeated_value_once_and_refuses_each_row_with_a_repeated_bad_one(
    other_track_recruiter,
):
    # Given as text, a birth date is cleaned to a date: the rows after the first get the kept clean value.
    born = {"birth_date": "2005-05-17"}
    bad = {"postcode": "12345"}
    candidates = [registration("Een") | born, registration("Twee") | born | bad, registration("Drie") | born | bad]
    with pytest.raises(services.RegistrationErrors) as refused:
        services.candidates_register(actor=other_track_recruiter, registrations=candidates)
    assert refused.value.errors == {index: {"postcode": [POSTCODE_MESSAGE]} for index in (1, 2)}

    registered = services.candidates_register(
        actor=other_track_recruiter, registrations=[registration(name) | born for name in ("Een", "Twee", "Drie")]
    )
    assert [candidate.birth_date for candidate in registered] == [datetime.date(2005, 5, 17)] * 3
    assert set(Candidate.objects.values_list("birth_date", flat=True)) == {datetime.date(2005, 5, 17)}


def test_bulk_registration_writes_in_chunks_and_refuses_all_for_an_error_in_a_later_chunk(
    other_track_recruiter, monkeypatch
):
    monkeypatch.setattr(bulk_write, "BULK_BATCH", 2)
    names = ["Een", "Twee", "Drie", "Vier", "Vijf"]
    candidates = services.candidates_register(
        actor=other_track_recruiter, registrations=[registration(name) for name in names]
    )

    assert [c.last_name for c in Candidate.objects.order_by("pk")] == names
    for candidate in candidates:
        assert candidate.events.get().to_step == candidate.step
        assert AuditEntry.objects.get(object_id=str(candidate.pk)).action == "create"

    late_error = [registration(f"Later{i}") for i in range(4)] + [{**registration("Fout"), "postcode": "12345"}]
    with pytest.raises(services.RegistrationErrors) as refused:
        services.candidates_register(actor=other_track_recruiter, registrations=late_error)
    assert list(refused.value.errors) == [4]
    assert Candidate.objects.count() == len(names)
    assert StatusEvent.objects.count() == AuditEntry.objects.filter(action="create").count() == len(names)


def test_bulk_registration_reports_a_missing_related_row_next_to_the_rows_other_errors(other_track_recruiter):
    gone = branch("KL")
    gone.pk = 999_999
    bad = {**registration("Fout"), "krijgsmachtdeel": gone, "postcode": "12345"}
    with pytest.raises(services.RegistrationErrors) as refused:
        services.candidates_register(actor=other_track_recruiter, registrations=[registration("Goed"), bad])
    assert set(refused.value.errors) == {1}
    assert set(refused.value.errors[1]) == {"krijgsmachtdeel", "postcode"}
    assert not Candidate.objects.exists()


def test_rows_derived_per_row_only_for_the_ids_given_also_when_they_are_not_a_range(other_track_recruiter):
    first, _middle, last = (CandidateFactory() for _ in range(3))
    values = audit_values(actor=other_track_recruiter, action=AuditAction.EXPORT, model=Candidate)

    bulk_write.insert_per_row(AuditEntry, Candidate, [first.pk, last.pk], values)

    exported = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert sorted(exported.values_list("object_id", flat=True)) == sorted([str(first.pk), str(last.pk)])
    assert {entry.actor for entry in exported} == {other_track_recruiter}


HEADER = "voornaam;achternaam;geboortedatum;e-mail;postcode;instroomspoor;krijgsmachtdeel;bron\n"


def test_the_command_imports_all_rows_or_none_with_each_error_on_its_line(tmp_path, other_track_recruiter, capsys):
    existing = CandidateFactory(first_name="Jan", last_name="Jansen", birth_date=datetime.date(2004, 1, 2))
    path = tmp_path / "kandidaten.csv"
    path.write_text(
        HEADER
        + "Sanne;de Vries;17-05-2005;sanne@school.nl;3511ab;nwt;KL;school\n"
        + "Jan;Jansen;02-01-2004;ander@school.nl;12345;nwt;KM;school\n"
    )
    with pytest.raises(CommandError, match="Niets geïmporteerd"):
        call_command("import_candidates", str(path), user=other_track_recruiter.username)
    # The duplicate (same name and birth date) and the model's postcode check are reported together.
    assert (
        f"regel 3: Bestaat al als {existing.number} ({existing.full_name}, {existing.instroomspoor}).; "
        "postcode: Vul een Nederlandse postcode in, zoals 1234 AB." in capsys.readouterr().err
    )
    assert Candidate.objects.count() == 1

    path.write_text(HEADER + "Sanne;de Vries;17-05-2005;sanne@school.nl;3511ab;nwt;KL;school\n")
    call_command("import_candidates", str(path), user=other_track_recruiter.username)
    assert "1 kandidaten geïmporteerd" in capsys.readouterr().out
    sanne = Candidate.objects.get(email="sanne@school.nl")
    assert (sanne.postcode, sanne.events.get().actor) == ("3511 AB", other_track_recruiter)
