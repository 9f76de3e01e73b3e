"""CSV import: a preview with per-row errors, then every row in one transaction or none."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake import imports
from intake.choices import Gender, Phase, Source
from intake.models import Candidate

from .factories import CandidateFactory, track

pytestmark = pytest.mark.django_db

HEADER = "voornaam;achternaam;geboortedatum;e-mail;telefoon;postcode;geslacht;instroomspoor;krijgsmachtdeel;bron"
SANNE = "Sanne;de Vries;17-05-2005;sanne@school.nl;0612345678;3511ab;vrouw;nwt;KL;school"
JAN = "Jan;Jansen;2004-01-02;jan@school.nl;;;Man;NWT;km;School"


@pytest.fixture
def nwt_recruiter(client, other_track_recruiter):
    client.force_login(other_track_recruiter)
    return client


def upload(client, *lines, encoding="utf-8"):
    content = "\r\n".join(lines).encode(encoding)
    return client.post("/kandidaten/importeren/", {"file": SimpleUploadedFile("lijst.csv", content)})


def test_template_has_every_column_and_an_example_row(client, recruiter):
    client.force_login(recruiter)
    response = client.get("/kandidaten/importeren/sjabloon.csv")
    assert response["Content-Disposition"] == 'attachment; filename="kandidaten-sjabloon.csv"'
    header, example = response.content.decode("utf-8-sig").splitlines()
    assert header.split(";") == [column for column, _name, _required in imports.COLUMNS]
    assert example.split(";")[0] == "Sanne"


def test_a_valid_file_is_previewed_then_imported_in_one_go(nwt_recruiter, other_track_recruiter):
    preview = upload(nwt_recruiter, HEADER, SANNE, JAN)
    assert "2 kandidaten importeren" in preview.content.decode()
    assert not Candidate.objects.exists()
    response = nwt_recruiter.post(
        "/kandidaten/importeren/bevestigen/", {"token": preview.context["token"]}, follow=True
    )
    assert "2 kandidaten geïmporteerd." in response.content.decode()
    sanne, jan = Candidate.objects.order_by("pk")
    assert (sanne.instroomspoor, sanne.postcode, sanne.gender, sanne.phase) == (
        track("nwt"),
        "3511 AB",
        Gender.VROUW,
        Phase.WERVING,
    )
    assert (jan.gender, jan.source, jan.krijgsmachtdeel.code) == (Gender.MAN, Source.SCHOOL, "KM")
    assert sanne.events.get().actor == other_track_recruiter


def test_one_bad_row_is_shown_and_nothing_is_imported(nwt_recruiter):
    bad = "Piet;;31-02-2005;geen-adres;;;onbekend;nwt;KL;school"
    response = upload(nwt_recruiter, HEADER, SANNE, bad, JAN)
    page = response.content.decode()
    rows = {row.line: row.errors for row in response.context["result"].rows}
    assert rows[2] == [] and rows[4] == []
    assert "achternaam: Dit veld is vereist." in rows[3]
    assert "geboortedatum: Voer een geldige datum in." in rows[3]
    assert "e-mail: Voer een geldig e-mailadres in." in rows[3]
    assert "1 regel bevat fouten; niets geïmporteerd." in page and "importeren</button>" not in page
    assert not Candidate.objects.exists()


def test_a_value_repeated_on_many_rows_is_read_alike_on_each_and_its_error_shown_on_each(nwt_recruiter):
    rows = [f"Sanne;Rij{line};17-05-2005;rij{line}@school.nl;;3511ab;vrouw;nwt;KL;school" for line in range(4)]
    bad = [f"Piet;Fout{line};31-02-2005;fout{line}@school.nl;;;man;nwt;KL;school" for line in range(2)]
    response = upload(nwt_recruiter, HEADER, *rows[:2], *bad, *rows[2:])
    errors = {row.line: row.errors for row in response.context["result"].rows}
    assert errors == {
        2: [],
        3: [],
        4: ["geboortedatum: Voer een geldige datum in."],
        5: ["geboortedatum: Voer een geldige datum in."],
        6: [],
        7: [],
    }

    preview = upload(nwt_recruiter, HEADER, *rows)
    nwt_recruiter.post("/kandidaten/importeren/bevestigen/", {"token": preview.context["token"]})
    assert set(Candidate.objects.values_list("birth_date", "postcode", "gender", "krijgsmachtdeel__code")) == {
        (datetime.date(2005, 5, 17), "3511 AB", Gender.VROUW, "KL")
    }
    assert Candidate.objects.count() == 4


def test_duplicates_in_the_database_and_within_the_file_are_row_errors(nwt_recruiter):
    existing = CandidateFactory(email="sanne@school.nl", instroomspoor=track("nwt"))
    twin = "Sanne;de Vries;17-05-2005;andere@school.nl;;;vrouw;nwt;KL;school"
    result = upload(nwt_recruiter, HEADER, SANNE, JAN, JAN.replace("jan@", "jan2@")).context["result"]
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == [f"Bestaat al als {existing.number} ({existing.full_name}, {existing.instroomspoor})."]
    assert errors[4] == ["Staat ook op regel 3 van dit bestand."]
    assert "Staat ook op regel 2" in " ".join(
        upload(nwt_recruiter, HEADER, SANNE, twin).context["result"].rows[1].errors
    )
    assert Candidate.objects.count() == 1


def test_a_recruiter_imports_only_into_their_own_tracks(nwt_recruiter):
    result = upload(nwt_recruiter, HEADER, SANNE.replace(";nwt;", ";beroeps;")).context["result"]
    assert result.rows[0].errors == [
        f"instroomspoor: U mag geen kandidaten registreren in het instroomspoor {track('beroeps').name}."
    ]


def test_comma_separated_windows_1252_files_are_read(nwt_recruiter):
    response = upload(
        nwt_recruiter,
        HEADER.replace(";", ","),
        "Zoë,Özdemir,01-01-2005,zoe@school.nl,,,vrouw,nwt,KL,school",
        encoding="cp1252",
    )
    assert response.context["result"].ok
    assert "Özdemir" in response.content.decode()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "Het verstuurde bestand is leeg."),
        ([";;", ""], "Het bestand is leeg."),
        ([HEADER], "Het bestand bevat geen kandidaten, alleen een kopregel."),
        (["voornaam;achternaam;leeftijd", "a;b;19"], "Onbekende kolommen: leeftijd."),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(nwt_recruiter, lines, message):
    response = upload(nwt_recruiter, *lines)
    assert message in response.content.decode() and not Candidate.objects.exists()


def test_import_rechecks_at_confirmation_and_imports_nothing_if_a_row_became_invalid(nwt_recruiter):
    preview = upload(nwt_recruiter, HEADER, SANNE, JAN)
    CandidateFactory(email="jan@school.nl")  # registered by someone else after the preview
    response = nwt_recruiter.post("/kandidaten/importeren/bevestigen/", {"token": preview.context["token"]})
    assert "1 regel bevat fouten; niets geïmporteerd." in response.content.decode()
    assert Candidate.objects.count() == 1


def test_an_expired_preview_asks_for_the_file_again(nwt_recruiter):
    response = nwt_recruiter.post("/kandidaten/importeren/bevestigen/", {"token": "oud"}, follow=True)
    assert "Deze voorvertoning is verlopen" in response.content.decode()
