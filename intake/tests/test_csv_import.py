"""CSV import of reference data: all rows or none, with every error on its line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from intake.models import Lichting
from nwt.models import School

from .factories import LichtingFactory, UserFactory, track

pytestmark = pytest.mark.django_db


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "import.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


GOOD = (
    "\ufeffinstroomspoor;naam;krijgsmachtdeel;startdatum;einddatum;locatie;capaciteit\n"
    "dienjaar;Dienjaar september 2027;KL;01-09-2027;31-08-2028;Ermelo;120\n"
    "nwt;NWT maart 2027;DEF;2027-03-01;2027-06-30;Havelte;60\n"
)


def test_lichtingen_are_imported_from_an_excel_style_file(tmp_path, capsys):
    call_command("import_lichtingen", write(tmp_path, GOOD))
    assert "2 toegevoegd, 0 bijgewerkt." in capsys.readouterr().out
    lichting = Lichting.objects.get(name="Dienjaar september 2027")
    assert (lichting.instroomspoor, lichting.krijgsmachtdeel.code, lichting.capacity) == (track("dienjaar"), "KL", 120)
    assert lichting.start_date.isoformat() == "2027-09-01"


def test_one_bad_file_imports_nothing_and_names_every_error_with_its_line(tmp_path):
    text = (
        "instroomspoor,naam,krijgsmachtdeel,startdatum,einddatum,locatie,capaciteit\n"
        "dienjaar,Goed,KL,2027-09-01,2028-08-31,Ermelo,20\n"
        "beroeps,Fout spoor,KL,2027-09-01,2028-08-31,Ermelo,20\n"
        "nwt,Einde te vroeg,DEF,2027-09-01,2027-08-01,Havelte,twintig\n"
        "dienjaar,goed,KL,2027-09-01,2028-08-31,Ermelo,20\n"
    )
    with pytest.raises(CommandError) as failed:
        call_command("import_lichtingen", write(tmp_path, text))
    message = str(failed.value)
    assert "Niets geïmporteerd." in message
    assert "Regel 3, instroomspoor: Onbekend instroomspoor, of een spoor dat niet in lichtingen start." in message
    assert "Regel 4, einddatum: De einddatum ligt vóór de startdatum." in message
    assert "Regel 4, capaciteit:" in message
    assert "Regel 5: staat al op regel 2." in message
    assert not Lichting.objects.exists()


def test_a_known_lichting_is_updated_not_duplicated(tmp_path, capsys):
    LichtingFactory(name="Dienjaar september 2027", capacity=80)
    call_command("import_lichtingen", write(tmp_path, GOOD))
    assert "1 toegevoegd, 1 bijgewerkt." in capsys.readouterr().out
    assert Lichting.objects.get(name="Dienjaar september 2027").capacity == 120


def test_missing_columns_and_other_encodings_are_explained(tmp_path):
    with pytest.raises(CommandError, match="Deze kolommen ontbreken: krijgsmachtdeel, capaciteit"):
        call_command("import_lichtingen", write(tmp_path, "instroomspoor,naam,startdatum,einddatum,locatie\n"))
    with pytest.raises(CommandError, match="geen UTF-8"):
        call_command("import_lichtingen", write(tmp_path, GOOD.replace("\ufeff", "") + "é", encoding="latin-1"))


SCHOOLS = "naam,niveau,plaats,partner_sinds\n"


def test_schools_are_imported_from_csv(tmp_path, capsys):
    text = SCHOOLS + "Hogeschool Utrecht,hbo,Utrecht,2025-02-01\nROC Friesland,mbo,Leeuwarden,2026-01-15\n"
    call_command("import_scholen", write(tmp_path, text))
    assert School.objects.get(name="ROC Friesland").level == "mbo"


def test_a_beheerder_imports_in_the_admin_and_sees_the_errors_first(client):
    client.force_login(UserFactory(username="beheer", is_staff=True, is_superuser=True))
    changelist = client.get("/beheer/nwt/school/")
    assert b"Importeren uit CSV" in changelist.content
    bad = SimpleUploadedFile(
        "scholen.csv", b"naam,niveau,plaats,partner_sinds\nUniversiteit Twente,universiteit,Enschede,2025-03-01\n"
    )
    response = client.post("/beheer/nwt/school/importeren/", {"file": bad})
    assert "Regel 2, niveau:" in response.content.decode()
    assert not School.objects.exists()
    good = SimpleUploadedFile(
        "scholen.csv", b"naam,niveau,plaats,partner_sinds\nUniversiteit Twente,wo,Enschede,2025-03-01\n"
    )
    response = client.post("/beheer/nwt/school/importeren/", {"file": good}, follow=True)
    assert "1 toegevoegd, 0 bijgewerkt." in response.content.decode()
    assert School.objects.get().city == "Enschede"


def test_the_admin_import_is_for_who_may_add_and_change(client, manager):
    client.force_login(UserFactory(username="kijker", is_staff=True))
    assert client.get("/beheer/intake/lichting/importeren/").status_code == 403
